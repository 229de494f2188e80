"""The `pyannote` diarization backend: a pyannote.audio pipeline folder loaded offline.

The folder is copied to the machine by the user (config.yaml plus the
segmentation, embedding and PLDA checkpoints it names). Nothing is fetched:
`HF_HUB_OFFLINE=1` is set before the import, and `PYANNOTE_METRICS_ENABLED=false`
turns off the usage data pyannote.audio 4 otherwise sends to a remote server.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

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
            from pyannote.audio import Pipeline
        except ImportError as exc:
            raise ConfigurationError("meetings.pyannote_missing", reason=str(exc)[:200]) from exc

        logger.info("loading pyannote pipeline from %s", pipeline_dir)
        self._torch = torch
        self._pipeline: Any = Pipeline.from_pretrained(str(pipeline_dir))
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
