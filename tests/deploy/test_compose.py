"""deploy/compose.yaml, rendered by the Compose client (`config` parses and interpolates without an engine)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from services.analytics.jobs import reports_folder
from services.core.settings import Settings
from services.meetings.jobs import upload_dir
from tests.deploy.manifests import (
    DEPLOY_DIR,
    cli_command_names,
    compose_command,
    run_tool,
    setting_variables,
    settings_from_environment,
)

SUITE_SERVICES = ("migrate", "gateway", "worker")
FILLED_IN = {
    "POSTGRES_PASSWORD": "db-secret",
    "VLLM_API_KEY": "vllm-secret",
    "XINGCHEN_ADMIN_API_KEY": "admin-secret",
    "XINGCHEN_PORTAL_SESSION_SECRET": "portal-secret",
    "VLLM_MODEL_DIR": "/srv/models/TeleChat2-7B",
    "XINGCHEN_OPENAI_MODEL": "telechat2-7b",
    "VLLM_GPU_COUNT": "2",
    "VLLM_TENSOR_PARALLEL_SIZE": "2",
    "VLLM_EXTRA_ARGS": "--trust-remote-code --enforce-eager",
}


def write_project(folder: Path, values: dict[str, str]) -> Path:
    """Copy deploy/ as the deploy README describes, with `.env` and `xingchen.env` made from the examples."""
    deploy = folder / "deploy"
    deploy.mkdir()
    shutil.copy(DEPLOY_DIR / "compose.yaml", deploy / "compose.yaml")
    shutil.copy(DEPLOY_DIR / "xingchen.env.example", deploy / "xingchen.env")

    lines = []
    for line in (DEPLOY_DIR / "compose.env.example").read_text(encoding="utf-8").splitlines():
        name = line.partition("=")[0]
        if not line.startswith("#") and name in values:
            line = f"{name}={values[name]}"
        lines.append(line)
    (deploy / ".env").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return deploy


def render(folder: Path, values: dict[str, str]) -> tuple[int, str, str]:
    deploy = write_project(folder, values)
    # Only PATH and HOME, because variables of the calling shell override `.env`.
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(folder)}
    result = run_tool([*compose_command(), "config"], cwd=deploy, env=env)
    return result.returncode, result.stdout, result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    returncode, stdout, stderr = render(tmp_path_factory.mktemp("compose"), FILLED_IN)
    assert returncode == 0, stderr
    config: dict[str, Any] = yaml.safe_load(stdout)
    return config


def as_arguments(command: str | list[str]) -> list[str]:
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def option_value(arguments: list[str], option: str) -> str:
    return arguments[arguments.index(option) + 1]


def volume_targets(service: dict[str, Any]) -> dict[str, str]:
    """Return the mount path of each volume. Compose v1 renders `name:path:rw`, v2 a mapping."""
    targets = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            source, target = volume.split(":")[:2]
        else:
            source, target = volume["source"], volume["target"]
        targets[source] = target
    return targets


def test_compose_config_renders_services(rendered: dict[str, Any]) -> None:
    assert set(rendered["services"]) == {"migrate", "gateway", "worker", "postgres", "redis", "vllm"}


@pytest.mark.parametrize("service", SUITE_SERVICES)
def test_compose_environment_names_only_settings(rendered: dict[str, Any], service: str) -> None:
    environment = rendered["services"][service]["environment"]

    assert set(environment) - setting_variables() == set()


@pytest.mark.parametrize("service", SUITE_SERVICES)
def test_compose_environment_builds_production_settings(
    rendered: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_from_environment(rendered["services"][service]["environment"], monkeypatch)

    assert settings.environment == "production"
    assert settings.model_backend == "openai"
    assert settings.job_backend == "celery"
    assert settings.database_url == "postgresql+psycopg://xingchen:db-secret@postgres:5432/xingchen"
    assert settings.broker_url == "redis://redis:6379/0"
    assert settings.openai_api_key.get_secret_value() == "vllm-secret"
    assert settings.admin_api_key is not None
    assert settings.admin_api_key.get_secret_value() == "admin-secret"
    assert settings.portal_session_secret is not None
    assert settings.portal_session_secret.get_secret_value() == "portal-secret"


@pytest.mark.parametrize("service", SUITE_SERVICES)
def test_compose_commands_are_cli_commands(rendered: dict[str, Any], service: str) -> None:
    arguments = as_arguments(rendered["services"][service]["command"])

    assert arguments[0] == "xingchen"
    assert arguments[1] in cli_command_names()


def test_compose_vllm_serves_configured_model(rendered: dict[str, Any]) -> None:
    vllm = rendered["services"]["vllm"]
    gateway_environment = rendered["services"]["gateway"]["environment"]
    arguments = as_arguments(vllm["command"])

    assert option_value(arguments, "--served-model-name") == "telechat2-7b"
    assert gateway_environment["XINGCHEN_OPENAI_MODEL"] == "telechat2-7b"
    assert option_value(arguments, "--api-key") == gateway_environment["XINGCHEN_OPENAI_API_KEY"]
    assert gateway_environment["XINGCHEN_OPENAI_BASE_URL"] == f"http://vllm:{option_value(arguments, '--port')}/v1"
    assert option_value(arguments, "--tensor-parallel-size") == "2"
    assert "--trust-remote-code" in arguments
    assert "--enforce-eager" in arguments


def test_compose_vllm_mounts_local_model(rendered: dict[str, Any]) -> None:
    vllm = rendered["services"]["vllm"]
    model_path = option_value(as_arguments(vllm["command"]), "--model")

    assert volume_targets(vllm) == {"/srv/models/TeleChat2-7B": model_path}
    assert vllm["environment"]["HF_HUB_OFFLINE"] == "1"


def test_compose_vllm_reserves_gpus(rendered: dict[str, Any]) -> None:
    devices = rendered["services"]["vllm"]["deploy"]["resources"]["reservations"]["devices"]

    assert len(devices) == 1
    assert devices[0]["driver"] == "nvidia"
    assert devices[0]["capabilities"] == ["gpu"]
    assert str(devices[0]["count"]) == "2"


@pytest.mark.parametrize("service", ["gateway", "worker"])
def test_compose_volumes_match_code_paths(rendered: dict[str, Any], service: str) -> None:
    targets = volume_targets(rendered["services"][service])
    data_dir = Path(rendered["services"][service]["environment"]["XINGCHEN_DATA_DIR"])
    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]

    assert targets["data"] == str(data_dir)
    assert targets["uploads"] == str(upload_dir(settings))
    assert targets["results"] == str(reports_folder(settings, "turn").parent)


@pytest.mark.parametrize("service", ["gateway", "worker", "postgres", "redis", "vllm"])
def test_compose_services_have_healthchecks(rendered: dict[str, Any], service: str) -> None:
    healthcheck = rendered["services"][service]["healthcheck"]

    assert healthcheck["test"][0] in ("CMD", "CMD-SHELL")
    assert healthcheck.get("disable") is not True


def test_compose_gateway_checks_readyz(rendered: dict[str, Any]) -> None:
    gateway = rendered["services"]["gateway"]

    assert "http://127.0.0.1:8080/readyz" in " ".join(gateway["healthcheck"]["test"])
    assert gateway["environment"]["XINGCHEN_PORT"] == "8080"


def test_compose_worker_ping_names_celery_app(rendered: dict[str, Any]) -> None:
    test = " ".join(rendered["services"]["worker"]["healthcheck"]["test"])
    module = re.search(r"celery -A (\S+) inspect ping", test)

    assert module is not None
    assert module.group(1) == "services.core.celery_jobs"


def test_compose_starts_after_migration(rendered: dict[str, Any]) -> None:
    services = rendered["services"]

    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    for name in ("gateway", "worker"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["vllm"]["condition"] == "service_healthy"


@pytest.mark.parametrize(
    "missing",
    ["POSTGRES_PASSWORD", "VLLM_API_KEY", "XINGCHEN_ADMIN_API_KEY", "XINGCHEN_PORTAL_SESSION_SECRET", "VLLM_MODEL_DIR"],
)
def test_compose_rejects_missing_required_variable(tmp_path: Path, missing: str) -> None:
    values = {name: value for name, value in FILLED_IN.items() if name != missing}

    returncode, _, stderr = render(tmp_path, values)

    assert returncode != 0
    assert missing in stderr


def test_compose_env_example_matches_compose_variables() -> None:
    compose = (DEPLOY_DIR / "compose.yaml").read_text(encoding="utf-8")
    example = (DEPLOY_DIR / "compose.env.example").read_text(encoding="utf-8")
    used = set(re.findall(r"\$\{([A-Z0-9_]+)", compose))
    listed = set(re.findall(r"^([A-Z0-9_]+)=", example, flags=re.MULTILINE))

    assert used == listed
