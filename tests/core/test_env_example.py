import re

from services.core.settings import Settings
from tests.conftest import REPO_ROOT

EXAMPLE = REPO_ROOT / "deploy" / "xingchen.env.example"


def example_variables() -> set[str]:
    names = set()
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(XINGCHEN_[A-Z0-9_]+)=", line)
        if match:
            names.add(match.group(1))
    return names


def test_env_example_names_only_real_settings() -> None:
    known = {f"XINGCHEN_{name.upper()}" for name in Settings.model_fields}

    assert example_variables() - known == set()


def test_env_example_lists_every_setting() -> None:
    known = {f"XINGCHEN_{name.upper()}" for name in Settings.model_fields}

    assert known - example_variables() == set()


def test_env_example_parses_as_settings() -> None:
    settings = Settings(_env_file=EXAMPLE)  # type: ignore[call-arg]

    assert settings.environment == "local"
    assert settings.database_url is None or settings.database_url == ""


def test_env_example_up_to_date() -> None:
    from services.core.settings import render_env_example

    fix = "run: xingchen config --env-example > deploy/xingchen.env.example"
    assert EXAMPLE.read_text(encoding="utf-8") == render_env_example(), fix
