"""Fixtures of the documents tests; the files themselves are built in `sample_files`."""

from __future__ import annotations

import pytest

from tests.documents.sample_files import REGULATION_PATH, sample_files


@pytest.fixture
def regulation_text() -> str:
    return REGULATION_PATH.read_text(encoding="utf-8")


@pytest.fixture
def regulation_as_txt(regulation_text: str) -> str:
    """The regulation without Markdown: no `#` marks and no HTML comment."""
    lines = []
    for line in regulation_text.split("\n"):
        if line.startswith("<!--"):
            continue
        lines.append(line.lstrip("#").strip())
    return "\n".join(lines)


@pytest.fixture
def sample_documents() -> dict[str, bytes]:
    """One small file per supported format, keyed by file name."""
    return sample_files()
