from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli.main import app

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the CLI's settings at a temporary data folder and the fake model."""
    from services.core.settings import get_settings

    monkeypatch.setenv("XINGCHEN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XINGCHEN_MODEL_BACKEND", "fake")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_keys_create_list_revoke(cli_env: Path) -> None:
    created = runner.invoke(app, ["keys", "create", "portal", "--services", "writing,knowledge"])
    key_id = next(line.split(": ")[1] for line in created.output.splitlines() if line.startswith("id: "))
    key = next(line.split(": ")[1] for line in created.output.splitlines() if line.startswith("key: "))

    listed = runner.invoke(app, ["keys", "list"])
    revoked = runner.invoke(app, ["keys", "revoke", key_id])
    listed_after = runner.invoke(app, ["keys", "list"])

    assert created.exit_code == 0
    assert key.startswith("xc_")
    assert key_id in listed.output
    assert key not in listed.output
    assert "knowledge,writing" in listed.output
    assert revoked.exit_code == 0
    assert "revoked" in listed_after.output


def test_keys_create_unknown_service_fails(cli_env: Path) -> None:
    result = runner.invoke(app, ["keys", "create", "x", "--services", "payroll"])

    assert result.exit_code == 2
    assert "payroll" in result.output
    assert "未知的服务" in result.output


def test_keys_revoke_unknown_fails(cli_env: Path) -> None:
    result = runner.invoke(app, ["keys", "revoke", "nope"])

    assert result.exit_code == 2


def test_model_check_prints_figures(cli_env: Path) -> None:
    result = runner.invoke(app, ["model", "check", "--max-tokens", "16"])

    assert result.exit_code == 0, result.output
    assert "load time" in result.output
    assert "first token" in result.output
    assert "tokens/s" in result.output
    assert "fake" in result.output


def test_model_check_missing_model_named(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from services.core.settings import get_settings

    monkeypatch.setenv("XINGCHEN_MODEL_BACKEND", "embedded")
    monkeypatch.setenv("XINGCHEN_MODEL_PATH", str(cli_env / "missing.gguf"))
    get_settings.cache_clear()

    result = runner.invoke(app, ["model", "check"])

    assert result.exit_code == 1
    assert "XINGCHEN_MODEL_PATH" in result.output
    assert "missing.gguf" in result.output


def test_db_upgrade_creates_database(cli_env: Path) -> None:
    result = runner.invoke(app, ["db-upgrade"])

    assert result.exit_code == 0
    assert (cli_env / "var" / "xingchen.db").is_file()


@pytest.mark.parametrize("name", ["", "   "])
def test_keys_create_rejects_empty_name(cli_env: Path, name: str) -> None:
    result = runner.invoke(app, ["keys", "create", name, "--services", "writing"])

    assert result.exit_code == 2
    assert "API 密钥的名称不能为空" in result.output
    assert "must not be empty" in result.output
    assert "id: " not in result.output
    assert runner.invoke(app, ["keys", "list"]).output.strip() == ""


def test_keys_revoke_unknown_id_localised(cli_env: Path) -> None:
    result = runner.invoke(app, ["keys", "revoke", "nosuchid"])

    assert result.exit_code == 2
    assert "未找到 API 密钥“nosuchid”" in result.output
    assert "API key 'nosuchid' was not found" in result.output
