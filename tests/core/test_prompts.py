"""Every prompt template under prompts/ is rendered by some test, in both languages.

Each service's `tests/<service>/test_prompts.py` declares `TEMPLATE_VARIABLES`
(`"<service>/<task>" -> variables`) and renders those templates; this file
checks that together they cover every template file.
"""

import importlib.util
from types import ModuleType

from services.core.prompts import list_templates
from tests.conftest import REPO_ROOT


def load_module(path) -> ModuleType:  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"prompt_cases_{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def declared_templates() -> set[str]:
    names: set[str] = set()
    for path in sorted((REPO_ROOT / "tests").glob("*/test_prompts.py")):
        if path.parent.name == "core":
            continue
        names |= set(load_module(path).TEMPLATE_VARIABLES)
    return names


def test_every_template_rendered_by_a_test() -> None:
    files = {name.rsplit(".", 2)[0] for name in list_templates()}

    assert files - declared_templates() == set()


def test_every_template_has_both_languages() -> None:
    templates = set(list_templates())

    for name in {name.rsplit(".", 2)[0] for name in templates}:
        assert f"{name}.zh.j2" in templates, f"{name} has no Chinese template"
        assert f"{name}.en.j2" in templates, f"{name} has no English template"
