"""Usage errors of the `xingchen` command start with a Chinese line, then Typer's English message."""

from __future__ import annotations

import os
import socket
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
        (("meetings", "batch", "/tmp", "--out", "/tmp/x", "--workers", "0"), "错误：参数值无效。", "--workers"),
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
    assert "XINGCHEN_PORT：应为整数" in result.stderr
    assert "XINGCHEN_PORT: Should be an integer" in result.stderr
    assert "input_value" not in result.stderr
    assert "abc" not in result.stderr
    assert "Traceback" not in result.stderr


def test_successful_command_exits_zero(tmp_path: Path) -> None:
    result = run_cli("config", "--env-example", cwd=tmp_path)

    assert result.returncode == 0
    assert "XINGCHEN_PORT=" in result.stdout


def test_placeholder_secret_shows_no_input_values(tmp_path: Path) -> None:
    result = run_cli(
        "serve",
        env={"XINGCHEN_ENVIRONMENT": "production", "XINGCHEN_DATABASE_URL": "postgresql://u:topsecret@127.0.0.1/db"},
        cwd=tmp_path,
    )

    assert result.returncode == 2
    chinese, _, english = result.stderr.partition("Error:")
    assert "XINGCHEN_ADMIN_API_KEY 仍是本地占位值" in chinese
    assert "XINGCHEN_ADMIN_API_KEY still has the local placeholder value" in english
    assert "input_value" not in result.stderr
    assert "topsecret" not in result.stderr


@pytest.mark.parametrize(
    ("args", "chinese", "english"),
    [
        (("meetings", "transcribe", "/nonexistent/a.wav"), "未找到文件“/nonexistent/a.wav”", "was not found"),
        (("meetings", "batch", "/nonexistent", "--out", "/tmp/x"), "未找到文件夹“/nonexistent”", "was not found"),
        (("meetings", "transcribe", "/tmp"), "“/tmp”是文件夹，不是文件", "is a folder"),
    ],
)
def test_meetings_missing_path_localised(args: tuple[str, ...], chinese: str, english: str) -> None:
    result = run_cli(*args)

    assert result.returncode == 2
    assert result.stderr.startswith(f"错误：{chinese}")
    assert english in result.stderr
    assert "Invalid value" not in result.stderr


def test_meetings_usage_shows_metavars() -> None:
    transcribe = run_cli("meetings", "transcribe", "--help")
    batch = run_cli("meetings", "batch", "--help")

    assert "FILE" in transcribe.stdout.splitlines()[1]
    assert "{file}" not in transcribe.stdout
    assert "IN_DIR" in batch.stdout.splitlines()[1]
    assert "{in_dir}" not in batch.stdout


def test_serve_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--host", "127.0.0.1", "--port", str(port), cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr.startswith(f"错误：无法在 127.0.0.1:{port} 上启动服务：该端口已被其他程序占用")
    assert "--port" in result.stderr
    assert "XINGCHEN_PORT" in result.stderr
    assert "Errno" not in result.stderr
