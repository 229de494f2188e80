"""Tests of `DocumentOptions`."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.core.settings import Settings
from services.documents import DocumentOptions


def test_options_from_settings_copies_limits(settings: Settings) -> None:
    custom = settings.model_copy(update={"max_document_bytes": 1234, "max_document_chars": 567})

    options = DocumentOptions.from_settings(custom, chunk_max_chars=300)

    assert options.max_bytes == 1234
    assert options.max_chars == 567
    assert options.chunk_max_chars == 300


def test_options_defaults_match_settings(settings: Settings) -> None:
    options = DocumentOptions()

    assert options.max_bytes == settings.max_document_bytes
    assert options.max_chars == settings.max_document_chars


@pytest.mark.parametrize(
    "values",
    [
        {"chunk_max_chars": 100, "chunk_overlap_chars": 100},
        {"chunk_max_chars": 0},
        {"max_bytes": 0},
        {"chunk_overlap_chars": -1},
    ],
)
def test_options_reject_invalid_values(values: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        DocumentOptions(**values)
