"""Decode any recording PyAV reads into 16 kHz mono float32 samples.

Telephone audio (8 kHz), stereo and compressed formats are resampled and
mixed down here once; transcription and diarization share the result.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import av
import numpy as np

from services.core.errors import InvalidInputError, PayloadTooLargeError, UnsupportedMediaTypeError

logger = logging.getLogger(__name__)

SAMPLE_RATE = 16_000
# A file whose decoded audio is shorter than its header promises by more than
# this share (and half a second) is treated as cut off.
_TRUNCATION_TOLERANCE = 0.05


@dataclass(frozen=True)
class DecodedAudio:
    """Mono float32 samples in [-1, 1] at 16 kHz, with facts about the source file."""

    samples: np.ndarray
    source_format: str
    source_rate: int
    source_channels: int

    @property
    def duration(self) -> float:
        """Length in seconds."""
        return len(self.samples) / SAMPLE_RATE


def decode_audio(data: bytes, *, filename: str, max_seconds: float, max_bytes: int) -> DecodedAudio:
    """Decode `data` to 16 kHz mono; raises a localised 4xx error for empty, foreign, cut-off or long input."""
    if not data:
        raise InvalidInputError("meetings.audio_empty", filename=filename)
    if len(data) > max_bytes:
        raise PayloadTooLargeError("meetings.audio_too_large", filename=filename, size=len(data), limit=max_bytes)

    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.error.FFmpegError, ValueError) as exc:
        logger.info("file %s is not readable audio: %s", filename, exc)
        raise UnsupportedMediaTypeError("meetings.audio_unreadable", filename=filename) from exc

    with container:
        if not container.streams.audio:
            raise UnsupportedMediaTypeError("meetings.audio_unreadable", filename=filename)
        stream = container.streams.audio[0]
        declared = _wav_declared_seconds(data) if container.format.name == "wav" else None
        declared = declared or _declared_seconds(container, stream)
        if declared is not None and declared > max_seconds:
            raise PayloadTooLargeError(
                "meetings.audio_too_long", filename=filename, seconds=round(declared), limit=round(max_seconds)
            )
        samples = _decode_stream(container, stream, filename=filename, max_seconds=max_seconds)
        source_format = container.format.name
        source_rate = stream.rate or 0
        source_channels = stream.channels or 0

    decoded_seconds = len(samples) / SAMPLE_RATE
    if declared is not None and decoded_seconds < declared * (1 - _TRUNCATION_TOLERANCE) - 0.5:
        logger.info("file %s decoded %.1f s of the %.1f s it declares", filename, decoded_seconds, declared)
        raise InvalidInputError(
            "meetings.audio_truncated",
            filename=filename,
            decoded=round(decoded_seconds, 1),
            declared=round(declared, 1),
        )
    if len(samples) == 0:
        raise InvalidInputError("meetings.audio_empty", filename=filename)

    logger.info(
        "decoded %s: %s, %d Hz, %d channel(s), %.1f s",
        filename,
        source_format,
        source_rate,
        source_channels,
        decoded_seconds,
    )
    return DecodedAudio(samples, source_format, source_rate, source_channels)


def _declared_seconds(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None


def _wav_declared_seconds(data: bytes) -> float | None:
    """Length a RIFF/WAVE header promises (data chunk size / byte rate); PyAV estimates it from the file size."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    position = 12
    byte_rate = 0
    while position + 8 <= min(len(data), 1 << 16):
        chunk, size = data[position : position + 4], int.from_bytes(data[position + 4 : position + 8], "little")
        if chunk == b"fmt " and position + 16 <= len(data):
            byte_rate = int.from_bytes(data[position + 16 : position + 20], "little")
        if chunk == b"data":
            # 0 and 0xFFFFFFFF mean "unknown" (streamed recordings).
            if byte_rate <= 0 or size in (0, 0xFFFFFFFF):
                return None
            return size / byte_rate
        position += 8 + size + (size % 2)
    return None


def _decode_stream(
    container: av.container.InputContainer, stream: av.audio.stream.AudioStream, *, filename: str, max_seconds: float
) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    pieces: list[np.ndarray] = []
    total = 0
    limit = int(max_seconds * SAMPLE_RATE)
    try:
        for frame in container.decode(stream):
            for resampled in resampler.resample(frame):
                pieces.append(resampled.to_ndarray().reshape(-1))
                total += resampled.samples
            if total > limit:
                raise PayloadTooLargeError(
                    "meetings.audio_too_long",
                    filename=filename,
                    seconds=round(total / SAMPLE_RATE),
                    limit=round(max_seconds),
                )
        for resampled in resampler.resample(None):
            pieces.append(resampled.to_ndarray().reshape(-1))
    except (av.error.FFmpegError, ValueError) as exc:
        if total == 0:
            raise UnsupportedMediaTypeError("meetings.audio_unreadable", filename=filename) from exc
        logger.info("file %s failed to decode after %d samples: %s", filename, total, exc)
        raise InvalidInputError("meetings.audio_truncated_corrupt", filename=filename, reason=str(exc)[:200]) from exc

    if not pieces:
        return np.zeros(0, dtype=np.float32)
    samples = np.concatenate(pieces).astype(np.float32, copy=False)
    return np.clip(samples, -1.0, 1.0)
