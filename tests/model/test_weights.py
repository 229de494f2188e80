import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.core.errors import ConfigurationError
from services.model.weights import PACKAGED_MODELS, PackagedModel, assemble_packaged_model, resolve_model_file

PART_CONTENTS = [b"GGUF" + b"a" * 1000, b"b" * 1500, b"c" * 7]


@pytest.fixture
def part_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Three importable packages `xcpart1..3`, each with `data/partNN.bin`, like the real part packages."""
    site = tmp_path / "site"
    for index, content in enumerate(PART_CONTENTS, start=1):
        package = site / f"xcpart{index}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "data" / f"part{index:02d}.bin").write_bytes(content)
    monkeypatch.syspath_prepend(str(site))
    yield site
    for index in range(1, len(PART_CONTENTS) + 1):
        sys.modules.pop(f"xcpart{index}", None)


def packaged(sha256: str | None = None, size: int | None = None, parts: int = 3) -> PackagedModel:
    joined = b"".join(PART_CONTENTS)
    return PackagedModel(
        name="test-model",
        description="test",
        filename="test-model.gguf",
        parts=tuple((f"xc-part{index}", f"xcpart{index}") for index in range(1, parts + 1)),
        sha256=sha256 or hashlib.sha256(joined).hexdigest(),
        size_bytes=size if size is not None else len(joined),
        pip_extra="embedded",
    )


def test_assemble_joins_parts_in_order(part_packages: Path, tmp_path: Path) -> None:
    path = assemble_packaged_model(packaged(), cache_dir=tmp_path / "cache")

    assert path.read_bytes() == b"".join(PART_CONTENTS)
    assert path.with_suffix(".verified.json").is_file()


def test_assemble_reuses_verified_file(part_packages: Path, tmp_path: Path) -> None:
    model = packaged()
    first = assemble_packaged_model(model, cache_dir=tmp_path / "cache")
    first_mtime = first.stat().st_mtime_ns

    second = assemble_packaged_model(model, cache_dir=tmp_path / "cache")

    assert second == first
    assert second.stat().st_mtime_ns == first_mtime


def test_assemble_redoes_tampered_file(part_packages: Path, tmp_path: Path) -> None:
    model = packaged()
    path = assemble_packaged_model(model, cache_dir=tmp_path / "cache")
    path.write_bytes(b"tampered")

    path = assemble_packaged_model(model, cache_dir=tmp_path / "cache")

    assert path.read_bytes() == b"".join(PART_CONTENTS)


def test_checksum_mismatch_rejected(part_packages: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"

    with pytest.raises(ConfigurationError) as raised:
        assemble_packaged_model(packaged(sha256="0" * 64), cache_dir=cache)

    assert raised.value.code == "model.checksum_mismatch"
    assert "0" * 64 in raised.value.message("en")
    assert "SHA-256" in raised.value.message("zh")
    assert list(cache.iterdir()) == []


def test_missing_part_package_named(part_packages: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        assemble_packaged_model(packaged(parts=4), cache_dir=tmp_path / "cache")

    message = raised.value.message("en")
    assert raised.value.code == "model.package_missing"
    assert "xc-part4" in message
    assert "XINGCHEN_MODEL_PATH" in message
    assert "xingchen-suite[embedded]" in message


def test_model_path_used_when_set(tmp_path: Path) -> None:
    gguf = tmp_path / "own.gguf"
    gguf.write_bytes(b"GGUF")

    assert resolve_model_file(model_path=gguf, packaged_name="qwen2.5-coder-1.5b", cache_dir=tmp_path) == gguf


def test_model_path_missing_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        resolve_model_file(model_path=tmp_path / "nope.gguf", packaged_name="qwen2.5-coder-1.5b", cache_dir=tmp_path)

    assert "XINGCHEN_MODEL_PATH" in raised.value.message("zh")
    assert "nope.gguf" in raised.value.message("en")


@pytest.mark.parametrize("name", sorted(PACKAGED_MODELS))
def test_packaged_models_well_formed(name: str) -> None:
    model = PACKAGED_MODELS[name]

    assert len(model.sha256) == 64
    assert model.size_bytes > 100_000_000
    assert model.filename.endswith(".gguf")
    assert len({module for _, module in model.parts}) == len(model.parts)
