"""Readers for the files under deploy/ that the deploy tests share."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from apps.cli.main import app as cli_app
from services.core.settings import Settings
from tests.conftest import REPO_ROOT

DEPLOY_DIR = REPO_ROOT / "deploy"
K8S_DIR = DEPLOY_DIR / "k8s"
INSTALL_HINT = "run scripts/install-system-packages.sh (CI runs it through `make test`)"

SETTING_NAME = re.compile(r"\bXINGCHEN_[A-Z0-9_]+\b")


def setting_variables() -> set[str]:
    """Return the environment variable of every field of `Settings`."""
    prefix = Settings.model_config.get("env_prefix", "")
    return {f"{prefix}{name}".upper() for name in Settings.model_fields}


def settings_from_environment(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Build `Settings` from exactly `environment`, as a container that receives only these variables would."""
    for name in setting_variables():
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, str(value))
    return Settings(_env_file=None)  # type: ignore[call-arg]


def cli_command_names() -> set[str]:
    """Return the top-level subcommands of the `xingchen` command."""
    group = typer.main.get_command(cli_app)
    return set(getattr(group, "commands", {}))


def yaml_files() -> list[Path]:
    return sorted([*DEPLOY_DIR.glob("*.yaml"), *K8S_DIR.glob("*.yaml")])


def load_documents(path: Path) -> list[Any]:
    with path.open(encoding="utf-8") as stream:
        return [document for document in yaml.safe_load_all(stream) if document is not None]


def k8s_objects() -> list[dict[str, Any]]:
    """Return every Kubernetes object in deploy/k8s except the kustomization itself."""
    objects: list[dict[str, Any]] = []
    for path in sorted(K8S_DIR.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        objects.extend(load_documents(path))
    return objects


def run_tool(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


def compose_command() -> list[str]:
    """Return the Compose client: the `docker compose` plugin, else Debian's `docker-compose`."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    pytest.fail(f"no Docker Compose client found; {INSTALL_HINT}")


def kubectl_command() -> list[str]:
    if shutil.which("kubectl"):
        return ["kubectl"]
    pytest.fail(f"kubectl not found; {INSTALL_HINT}")
