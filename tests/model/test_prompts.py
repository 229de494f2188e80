"""The model client's own templates render in both languages."""

import jinja2
import pytest

from services.core.prompts import render_prompt

# Variables for each template, keyed by `<service>/<task>`; both languages share them.
# tests/core/test_prompts.py renders each of them and checks that every template file is listed.
TEMPLATE_VARIABLES: dict[str, dict[str, object]] = {
    "model/structured": {"schema": '{"type": "object"}'},
    "model/structured_retry": {"errors": ["price: Input should be a valid integer"]},
    "model/check": {},
}


def test_retry_template_lists_errors() -> None:
    text = render_prompt("model", "structured_retry", "zh", errors=["a: bad", "b: missing"])

    assert "- a: bad" in text
    assert "- b: missing" in text


def test_missing_variable_named_in_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="schema"):
        render_prompt("model", "structured", "zh")
