"""Decoding recordings to 16 kHz mono, and the 4xx errors for bad input."""

import numpy as np
import pytest

import services.meetings  # noqa: F401
from services.core.errors import InvalidInputError, PayloadTooLargeError, UnsupportedMediaTypeError
from services.meetings.audio import SAMPLE_RATE, decode_audio
from tests.meetings import clips


def decode(data: bytes, *, max_seconds: float = 600, max_bytes: int = 10**8):  # type: ignore[no-untyped-def]
    return decode_audio(data, filename="clip", max_seconds=max_seconds, max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("make", "rate", "channels", "seconds"),
    [
        (lambda: clips.telephone(), 8_000, 1, 4.28),
        (lambda: clips.stereo(), 44_100, 2, 4.28),
        (lambda: clips.JFK.read_bytes(), 44_100, 2, 11.0),
        (
            lambda: clips.encode(clips.speech_samples(), rate=16_000, container="mp3", codec="libmp3lame"),
            16_000,
            1,
            4.28,
        ),
    ],
    ids=["telephone-8k", "stereo-44k", "flac", "mp3"],
)
def test_decode_formats_to_16k_mono(make, rate: int, channels: int, seconds: float) -> None:  # type: ignore[no-untyped-def]
    audio = decode(make())

    assert audio.samples.dtype == np.float32
    assert audio.samples.ndim == 1
    assert audio.source_rate == rate
    assert audio.source_channels == channels
    assert audio.duration == pytest.approx(seconds, abs=0.1)


def test_decode_telephone_keeps_speech_energy() -> None:
    original = clips.speech_samples()

    audio = decode(clips.telephone())

    assert float(np.abs(audio.samples).mean()) == pytest.approx(float(np.abs(original).mean()), rel=0.25)


@pytest.mark.parametrize(
    ("data", "error", "code"),
    [
        (b"", InvalidInputError, "meetings.audio_empty"),
        (clips.random_bytes(), UnsupportedMediaTypeError, "meetings.audio_unreadable"),
        (b"%PDF-1.7\n" + b"x" * 2000, UnsupportedMediaTypeError, "meetings.audio_unreadable"),
        (clips.truncated(), InvalidInputError, "meetings.audio_truncated"),
    ],
    ids=["empty", "random", "pdf", "truncated"],
)
def test_decode_rejects_bad_input(data: bytes, error: type, code: str) -> None:
    with pytest.raises(error) as raised:
        decode(data)

    assert raised.value.code == code


def test_decode_rejects_over_long() -> None:
    with pytest.raises(PayloadTooLargeError) as raised:
        decode(clips.silence(3.0), max_seconds=2.0)

    assert raised.value.code == "meetings.audio_too_long"
    assert "XINGCHEN_MEETINGS_MAX_AUDIO_SECONDS" in raised.value.message("en")


def test_decode_rejects_over_large() -> None:
    with pytest.raises(PayloadTooLargeError) as raised:
        decode(clips.silence(1.0), max_bytes=100)

    assert raised.value.code == "meetings.audio_too_large"


def test_decode_error_names_file_in_chinese() -> None:
    with pytest.raises(UnsupportedMediaTypeError) as raised:
        decode_audio(clips.random_bytes(), filename="会议.wav", max_seconds=60, max_bytes=10**6)

    assert "会议.wav" in raised.value.message("zh")


def test_decode_sample_rate_constant() -> None:
    assert SAMPLE_RATE == 16_000
