"""Usage errors of the `xingchen` command start with a Chinese line, then Typer's English message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apps.cli.main", *args],
        cwd=cwd,
        env={**os.environ, "XINGCHEN_MODEL_BACKEND": "fake", "NO_COLOR": "1", "COLUMNS": "200", **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "chinese", "english"),
    [
        (("keys", "list", "--bogus"), "错误：没有这个选项。", "No such option: --bogus"),
        (("meetings", "transcribe", "/nonexistent/a.wav"), "错误：参数值无效。", "does not exist"),
        (("nosuchcommand",), "错误：命令用法有误。", "No such command 'nosuchcommand'"),
    ],
)
def test_usage_error_in_both_languages(args: tuple[str, ...], chinese: str, english: str) -> None:
    result = run_cli(*args)

    assert result.returncode == 2
    assert result.stderr.startswith(chinese)
    assert english in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_setting_names_environment(tmp_path: Path) -> None:
    result = run_cli("config", env={"XINGCHEN_PORT": "abc"}, cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr.startswith("错误：设置项无效")
    assert "port" in result.stderr
    assert "Traceback" not in result.stderr


def test_successful_command_exits_zero(tmp_path: Path) -> None:
    result = run_cli("config", "--env-example", cwd=tmp_path)

    assert result.returncode == 0
    assert "XINGCHEN_PORT=" in result.stdout
