"""Small recordings made in the tests: tones, silence, resampled and stereo speech, broken files."""

from __future__ import annotations

import io
from pathlib import Path

import av
import numpy as np

from tests.conftest import TEST_DATA

DATA = TEST_DATA / "meetings"
SAMPLE = DATA / "pyannote_sample.wav"
JFK = DATA / "whisper_jfk.flac"
AISHELL = DATA / "zh_aishell_BAC009S0724W0121.wav"


def encode(samples: np.ndarray, *, rate: int, container: str = "wav", codec: str = "pcm_s16le") -> bytes:
    """Encode float samples (frames x channels, or mono) with PyAV."""
    if samples.ndim == 1:
        samples = samples[:, np.newaxis]
    channels = samples.shape[1]
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as output:
        stream = output.add_stream(codec, rate=rate, layout="mono" if channels == 1 else "stereo")
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout=stream.layout.name)
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)
    return buffer.getvalue()


def sine(seconds: float, *, rate: int = 16_000, frequency: float = 440.0) -> bytes:
    moments = np.arange(int(seconds * rate)) / rate
    return encode(0.3 * np.sin(2 * np.pi * frequency * moments), rate=rate)


def silence(seconds: float, *, rate: int = 16_000) -> bytes:
    return encode(np.zeros(int(seconds * rate)), rate=rate)


def speech_samples(path: Path = AISHELL, *, rate: int = 16_000) -> np.ndarray:
    """The clip's samples resampled to `rate` (mono float)."""
    from services.meetings.audio import decode_audio

    audio = decode_audio(path.read_bytes(), filename=path.name, max_seconds=600, max_bytes=10**8)
    if rate == 16_000:
        return audio.samples
    positions = np.arange(0, len(audio.samples), 16_000 / rate)
    return np.interp(positions, np.arange(len(audio.samples)), audio.samples).astype(np.float32)


def telephone(path: Path = AISHELL) -> bytes:
    """The clip at 8 kHz, as telephone recordings come."""
    return encode(speech_samples(path, rate=8_000), rate=8_000)


def stereo(path: Path = AISHELL) -> bytes:
    """The clip on the left channel and a quieter copy on the right, at 44.1 kHz."""
    mono = speech_samples(path, rate=44_100)
    return encode(np.stack([mono, 0.5 * mono], axis=1), rate=44_100)


def truncated(path: Path = SAMPLE, *, keep: float = 0.4) -> bytes:
    data = path.read_bytes()
    return data[: int(len(data) * keep)]


def random_bytes(size: int = 4096) -> bytes:
    return np.random.default_rng(7).integers(0, 256, size, dtype=np.uint8).tobytes()
