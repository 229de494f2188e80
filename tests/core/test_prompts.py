"""Every prompt template under prompts/ renders in both languages.

Each service's `tests/<service>/test_prompts.py` declares `TEMPLATE_VARIABLES`
(`"<service>/<task>" -> variables`) next to its own prompt checks. This file
renders every declared template and checks that the tables cover every
template file.
"""

import importlib.util
from types import ModuleType

import pytest

from services.core.prompts import list_templates, render_prompt
from tests.conftest import REPO_ROOT


def load_module(path) -> ModuleType:  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"prompt_cases_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def declared_variables() -> dict[str, dict[str, object]]:
    variables: dict[str, dict[str, object]] = {}
    for path in sorted((REPO_ROOT / "tests").glob("*/test_prompts.py")):
        if path.parent.name == "core":
            continue
        variables.update(load_module(path).TEMPLATE_VARIABLES)
    return variables


def declared_templates() -> set[str]:
    return set(declared_variables())


DECLARED = declared_variables()


@pytest.mark.parametrize("name", sorted(DECLARED))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_template_renders(name: str, language: str) -> None:
    service, task = name.split("/")

    text = render_prompt(service, task, language, **DECLARED[name])  # type: ignore[arg-type]

    assert text.strip()
    assert "{{" not in text


def test_every_template_rendered_by_a_test() -> None:
    files = {name.rsplit(".", 2)[0] for name in list_templates()}

    assert files - declared_templates() == set()


def test_every_template_has_both_languages() -> None:
    templates = set(list_templates())

    for name in {name.rsplit(".", 2)[0] for name in templates}:
        assert f"{name}.zh.j2" in templates, f"{name} has no Chinese template"
        assert f"{name}.en.j2" in templates, f"{name} has no English template"
