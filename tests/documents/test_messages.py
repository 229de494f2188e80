"""Tests that the documents.* message codes exist in both languages."""

from __future__ import annotations

import string

import pytest

import services.documents  # noqa: F401  (registers the messages)
from services.core.i18n import message_codes
from services.documents.messages import MESSAGES


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_message_registered_in_both_languages(code: str) -> None:
    texts = MESSAGES[code]

    assert code in message_codes()
    assert code.startswith("documents.")
    assert texts["zh"].strip()
    assert texts["en"].strip()


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_message_languages_share_placeholders(code: str) -> None:
    def placeholders(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert placeholders(MESSAGES[code]["zh"]) == placeholders(MESSAGES[code]["en"])
