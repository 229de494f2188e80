"""Fixtures of the meetings tests: the real Whisper base model, loaded once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import REPO_ROOT


@pytest.fixture(scope="session")
def whisper() -> Any:
    """Whisper base joined from its packages into the repository's var/ cache (CPU, int8)."""
    from services.meetings.transcribe import load_whisper
    from services.meetings.weights import resolve_whisper_dir

    folder = resolve_whisper_dir(model_dir=None, cache_dir=REPO_ROOT / "var" / "models")
    return load_whisper(folder, compute_type="int8", cpu_threads=0)
