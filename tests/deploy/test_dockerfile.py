"""deploy/Dockerfile, checked by reading it: no Docker engine runs on the development or CI machines."""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib

import pytest

from tests.conftest import REPO_ROOT
from tests.deploy.manifests import DEPLOY_DIR, cli_command_names, setting_variables

DOCKERFILE = DEPLOY_DIR / "Dockerfile"
DOCKERIGNORE = DEPLOY_DIR / "Dockerfile.dockerignore"


def instructions() -> list[tuple[str, str]]:
    """Return (instruction, arguments) pairs, with continuation lines joined and comments dropped."""
    joined: list[str] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        joined.append(pending + line)
        pending = ""
    assert pending == "", "the Dockerfile ends inside a continued line"

    pairs = []
    for line in joined:
        keyword, _, arguments = line.partition(" ")
        pairs.append((keyword.upper(), arguments.strip()))
    return pairs


def copy_sources() -> list[str]:
    sources = []
    for keyword, arguments in instructions():
        if keyword != "COPY" or arguments.startswith("--from="):
            continue
        sources.extend(arguments.split()[:-1])
    return sources


def build_arg(name: str) -> str:
    for keyword, arguments in instructions():
        if keyword == "ARG" and arguments.startswith(f"{name}="):
            return arguments.partition("=")[2]
    raise AssertionError(f"no ARG {name}= in the Dockerfile")


def environment() -> dict[str, str]:
    values: dict[str, str] = {}
    for keyword, arguments in instructions():
        if keyword == "ENV":
            values.update(re.findall(r"(\S+?)=(\S+)", arguments))
    return values


def test_dockerfile_copy_sources_exist() -> None:
    sources = copy_sources()

    assert "pyproject.toml" in sources
    for source in sources:
        assert (REPO_ROOT / source).exists(), source


def test_dockerignore_keeps_copy_sources() -> None:
    included = {line.lstrip("!").rstrip("/") for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}

    for source in copy_sources():
        assert source in included, f"{source} is excluded from the build context"


def test_dockerfile_command_is_cli_command() -> None:
    commands = [arguments for keyword, arguments in instructions() if keyword == "CMD"]

    assert len(commands) == 1
    command = json.loads(commands[0])
    assert command[0] == "xingchen"
    assert command[1] in cli_command_names()


def test_dockerfile_extras_exist_without_embedded_model() -> None:
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = build_arg("EXTRAS").split(",")

    assert set(extras) <= set(pyproject["project"]["optional-dependencies"])
    assert {"postgres", "celery", "speech"} <= set(extras)
    assert "embedded" not in extras
    assert environment()["XINGCHEN_MODEL_BACKEND"] == "openai"


def test_dockerfile_environment_names_only_settings() -> None:
    names = {name for name in environment() if name.startswith("XINGCHEN_")}

    assert names
    assert names - setting_variables() == set()


def test_dockerfile_torch_index_matches_pinned_build() -> None:
    constraints = (REPO_ROOT / "constraints.txt").read_text(encoding="utf-8")
    torch_pin = re.search(r"^torch==(\S+)$", constraints, flags=re.MULTILINE)
    assert torch_pin is not None

    if torch_pin.group(1).endswith("+cpu"):
        assert build_arg("TORCH_INDEX_URL").endswith("/whl/cpu")


@pytest.mark.parametrize("package", ["services", "apps", "prompts"])
def test_package_data_covers_data_files(package: str) -> None:
    # The image installs the suite as a wheel, which carries only files that package-data names.
    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]

    for path in (REPO_ROOT / package).rglob("*"):
        if not path.is_file() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
            continue
        assert any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns), path
