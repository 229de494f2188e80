"""Every prompt template renders; a missing variable fails and names itself."""

import jinja2
import pytest

from services.core.prompts import list_templates, render_prompt

# Variables for each template, keyed by `<service>/<task>`; both languages share them.
TEMPLATE_VARIABLES: dict[str, dict[str, object]] = {
    "model/structured": {"schema": '{"type": "object"}'},
    "model/structured_retry": {"errors": ["price: Input should be a valid integer"]},
    "model/check": {},
}


def test_every_template_has_test_variables() -> None:
    names = {name.rsplit(".", 2)[0] for name in list_templates()}

    assert names <= set(TEMPLATE_VARIABLES)


def test_every_template_has_both_languages() -> None:
    templates = set(list_templates())

    for name in TEMPLATE_VARIABLES:
        assert f"{name}.zh.j2" in templates
        assert f"{name}.en.j2" in templates


@pytest.mark.parametrize("name", sorted(TEMPLATE_VARIABLES))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_template_renders(name: str, language: str) -> None:
    service, task = name.split("/")

    text = render_prompt(service, task, language, **TEMPLATE_VARIABLES[name])  # type: ignore[arg-type]

    assert text.strip()
    assert "{{" not in text


def test_retry_template_lists_errors() -> None:
    text = render_prompt("model", "structured_retry", "zh", errors=["a: bad", "b: missing"])

    assert "- a: bad" in text
    assert "- b: missing" in text


def test_missing_variable_named_in_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="schema"):
        render_prompt("model", "structured", "zh")
