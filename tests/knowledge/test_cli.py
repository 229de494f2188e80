"""`xingchen knowledge ...` with the fake model: field values with spans, and localised errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli.main import app
from services.core.settings import get_settings
from services.knowledge.categories import builtin_categories
from services.model.client import ModelClient
from tests.documents.sample_files import blank_pdf
from tests.knowledge.conftest import reply_for

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: ModelClient) -> Path:
    monkeypatch.setenv("XINGCHEN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XINGCHEN_MODEL_BACKEND", "fake")
    monkeypatch.setattr("services.model.factory.build_model_client", lambda settings: fake_model)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_cli_extract_prints_value_and_span(cli_env: Path, fake_model: ModelClient) -> None:
    plan = cli_env / "plan.txt"
    plan.write_text("悦享套餐月租 128 元。", encoding="utf-8")
    fake_model.backend.chat_model.queue(  # type: ignore[attr-defined]
        reply_for(builtin_categories()["资费套餐"], monthly_fee_yuan=("月租 128 元", 128))
    )

    result = runner.invoke(app, ["knowledge", "extract", str(plan), "--category", "资费套餐", "--save"])

    assert result.exit_code == 0, result.output
    assert "monthly_fee_yuan) = 128" in result.output
    assert "[4:12] exact “月租 128 元”" in result.output
    assert "plan_name" in result.output
    assert "记录 record:" in result.output


@pytest.mark.parametrize(("name", "content"), [("empty.txt", b""), ("scan.pdf", blank_pdf(pages=1))])
def test_cli_extract_bad_file_both_languages(cli_env: Path, name: str, content: bytes) -> None:
    path = cli_env / name
    path.write_bytes(content)

    result = runner.invoke(app, ["knowledge", "extract", str(path)])

    assert result.exit_code == 2
    assert "错误：" in result.output
    assert "Error:" in result.output


def test_cli_extract_unknown_category(cli_env: Path) -> None:
    path = cli_env / "plan.txt"
    path.write_text("月租 1 元", encoding="utf-8")

    result = runner.invoke(app, ["knowledge", "extract", str(path), "--category", "没有"])

    assert result.exit_code == 2
    assert "Known categories" in result.output


def test_cli_categories_lists_builtin(cli_env: Path) -> None:
    result = runner.invoke(app, ["knowledge", "categories"])

    assert result.exit_code == 0
    assert "工单" in result.output
