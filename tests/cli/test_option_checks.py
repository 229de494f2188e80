"""Option values checked before any work starts, with a two-language error and exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, Field, ValidationError

import services.core.messages  # noqa: F401
from apps.cli.option_checks import build_options
from services.core.errors import InvalidInputError
from tests.cli.test_usage_errors import run_cli


class _Limits(BaseModel):
    pages: int = Field(default=1, ge=1, le=9)
    rows: int = Field(default=1, ge=1)
    width: int = Field(default=1, ge=1)


@pytest.mark.parametrize(
    "args",
    [
        ("writing", "outline", "--title", "x", "--lang", "fr"),
        ("writing", "edit", "polish", "--text", "文字", "--lang", "fr"),
        ("knowledge", "extract", "missing.md", "--lang", "fr"),
        ("analytics", "ask", "收入", "--lang", "fr"),
    ],
)
def test_lang_rejected_in_both_languages(args: tuple[str, ...]) -> None:
    result = run_cli(*args)

    assert result.returncode == 2
    assert result.stderr.startswith("错误：选项 --lang 的值 fr 无效。可选值：zh, en。")
    assert "Error: The value fr of option --lang is invalid. Accepted values: zh, en." in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_outline_file_through_entry_point(tmp_path: Path) -> None:
    result = run_cli("writing", "draft", "--title", "测试", "--outline", str(tmp_path / "nonexist.json"))

    assert result.returncode == 2
    assert "错误：找不到提纲文件" in result.stderr
    assert "Error: Outline file" in result.stderr
    assert "Traceback" not in result.stderr
    assert "设置项" not in result.stderr


def test_build_options_names_option_and_range() -> None:
    with pytest.raises(InvalidInputError) as caught:
        build_options(_Limits, lambda: _Limits(pages=10), {"pages": "--pages"})

    assert caught.value.code == "cli.out_of_range"
    assert caught.value.message("zh") == "选项 --pages 的值 10 超出范围。允许的范围：1 到 9。"
    assert caught.value.message("en") == "The value 10 of option --pages is out of range. Accepted range: 1 to 9."


def test_build_options_without_maximum() -> None:
    with pytest.raises(InvalidInputError) as caught:
        build_options(_Limits, lambda: _Limits(rows=0), {"rows": "--rows"})

    assert caught.value.code == "cli.below_minimum"
    assert "Minimum: 1." in caught.value.message("en")


def test_build_options_reraises_settings_error() -> None:
    with pytest.raises(ValidationError):
        build_options(_Limits, lambda: _Limits(width=0), {"rows": "--rows"})
