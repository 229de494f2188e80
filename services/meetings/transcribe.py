"""Speech to words with faster-whisper: Silero VAD, word timestamps, hot words, Simplified Chinese."""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import zhconv

from services.meetings.results import Word

logger = logging.getLogger(__name__)

_models: dict[tuple[str, str, int], Any] = {}
_models_lock = threading.Lock()
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Recognition:
    """Words recognised in one recording."""

    language: str
    language_probability: float
    words: list[Word] = field(default_factory=list)
    removed_repeats: int = 0


def load_whisper(model_dir: Path, *, compute_type: str, cpu_threads: int) -> Any:
    """Load (once per process) a CTranslate2 Whisper model from `model_dir` on the CPU."""
    from faster_whisper import WhisperModel

    key = (str(model_dir), compute_type, cpu_threads)
    with _models_lock:
        if key not in _models:
            logger.info("loading Whisper from %s (%s, %d threads)", model_dir, compute_type, cpu_threads)
            _models[key] = WhisperModel(
                str(model_dir), device="cpu", compute_type=compute_type, cpu_threads=cpu_threads, local_files_only=True
            )
        return _models[key]


def recognise(model: Any, samples: np.ndarray, *, language: str, beam_size: int, hotwords: list[str]) -> Recognition:
    """Transcribe 16 kHz mono samples into timed words; repeated-phrase loops are cut."""
    segments, info = model.transcribe(
        samples,
        language=None if language == "auto" else language,
        beam_size=beam_size,
        vad_filter=True,
        word_timestamps=True,
        condition_on_previous_text=False,
        hotwords=" ".join(hotwords) or None,
    )
    words: list[Word] = []
    for segment in segments:
        for item in segment.words or []:
            text = item.word
            if _CJK.search(text):
                text = zhconv.convert(text, "zh-cn")
            words.append(Word(start=item.start, end=item.end, text=text, probability=item.probability))

    kept, removed = cut_repetitions(words)
    if removed:
        logger.warning("cut %d words of repeated-phrase loops", removed)
    detected = info.language if language == "auto" else language
    return Recognition(
        language=detected, language_probability=float(info.language_probability), words=kept, removed_repeats=removed
    )


def cut_repetitions(words: list[Word], *, max_period: int = 8, min_repeats: int = 3) -> tuple[list[Word], int]:
    """Keep one copy of any phrase of up to `max_period` words repeated back to back `min_repeats`+ times.

    Single words need two more repeats than phrases, so "no, no, no" survives.
    Returns the kept words and the number removed.
    """
    keys = [_normalise(word.text) for word in words]
    kept: list[Word] = []
    index = 0
    while index < len(words):
        skipped = 0
        for period in range(1, max_period + 1):
            pattern = keys[index : index + period]
            if len(pattern) < period or not any(pattern):
                break
            repeats = 1
            while keys[index + repeats * period : index + (repeats + 1) * period] == pattern:
                repeats += 1
            needed = min_repeats + 2 if period == 1 else min_repeats
            if repeats >= needed:
                kept.extend(words[index : index + period])
                skipped = (repeats - 1) * period
                index += repeats * period
                break
        if skipped:
            continue
        kept.append(words[index])
        index += 1
    return kept, len(words) - len(kept)


def _normalise(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())
