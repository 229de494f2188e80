from pathlib import Path

import pytest
from pydantic import ValidationError

from services.core.settings import LOCAL_ADMIN_KEY, Settings


def test_settings_read_prefixed_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XINGCHEN_MODEL_BACKEND", "openai")
    monkeypatch.setenv("XINGCHEN_OPENAI_BASE_URL", "http://127.0.0.1:9000/v1")
    monkeypatch.setenv("XINGCHEN_CORS_ORIGINS", '["https://localhost:3000"]')

    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    assert settings.model_backend == "openai"
    assert settings.openai_base_url == "http://127.0.0.1:9000/v1"
    assert settings.cors_origins == ["https://localhost:3000"]


def test_settings_read_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("XINGCHEN_JOB_WORKERS=5\nXINGCHEN_LOG_JSON=true\n", encoding="utf-8")
    monkeypatch.delenv("XINGCHEN_JOB_WORKERS", raising=False)

    settings = Settings(_env_file=env_file)  # type: ignore[call-arg]

    assert settings.job_workers == 5
    assert settings.log_json is True


def test_settings_reject_placeholder_key_in_production() -> None:
    with pytest.raises(ValidationError, match="XINGCHEN_ADMIN_API_KEY"):
        Settings(_env_file=None, environment="production")  # type: ignore[call-arg]


def test_settings_reject_placeholder_portal_secret_in_production() -> None:
    with pytest.raises(ValidationError, match="XINGCHEN_PORTAL_SESSION_SECRET"):
        Settings(_env_file=None, environment="production", admin_api_key="a-real-secret-value")  # type: ignore[call-arg]


def test_settings_accept_real_key_in_production() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="production",
        admin_api_key="a-real-secret-value",
        portal_session_secret="another-real-secret",
    )

    assert settings.admin_api_key is not None
    assert settings.admin_api_key.get_secret_value() != LOCAL_ADMIN_KEY


def test_settings_default_database_is_sqlite_under_data_dir(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]

    assert settings.resolved_database_url == f"sqlite:///{tmp_path.as_posix()}/xingchen.db"


def test_settings_fields_all_described() -> None:
    undescribed = [name for name, field in Settings.model_fields.items() if not field.description]

    assert undescribed == []


def test_settings_reject_invalid_backend() -> None:
    with pytest.raises(ValidationError, match="model_backend"):
        Settings(_env_file=None, model_backend="gpt")  # type: ignore[call-arg, arg-type]
