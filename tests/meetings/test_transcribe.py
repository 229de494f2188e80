"""Loop cutting, and real Whisper base on short real clips."""

import re

import jiwer
import pytest

from services.meetings.results import Word
from services.meetings.transcribe import cut_repetitions


def words(text: str) -> list[Word]:
    return [Word(start=index, end=index + 0.5, text=f" {piece}") for index, piece in enumerate(text.split())]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("thank you thank you thank you thank you for coming", "thank you for coming"),
        ("we will we will we will rock", "we will rock"),
        ("no no no", "no no no"),
        ("ok ok ok ok ok ok ok fine", "ok fine"),
        ("the plan is the plan", "the plan is the plan"),
        ("谢谢 谢谢 谢谢 谢谢 谢谢 大家", "谢谢 大家"),
    ],
)
def test_cut_repetitions_keeps_one_copy(text: str, kept: str) -> None:
    result, _ = cut_repetitions(words(text))

    assert " ".join(word.text.strip() for word in result) == kept


def test_cut_repetitions_counts_removed() -> None:
    _, removed = cut_repetitions(words("a b a b a b a b end"))

    assert removed == 6


def test_recognise_english_clip(whisper) -> None:  # type: ignore[no-untyped-def]
    from services.meetings.audio import decode_audio
    from services.meetings.transcribe import recognise
    from tests.meetings.clips import DATA, JFK

    audio = decode_audio(JFK.read_bytes(), filename="jfk.flac", max_seconds=60, max_bytes=10**8)
    recognition = recognise(whisper, audio.samples, language="auto", beam_size=1, hotwords=[])
    text = "".join(word.text for word in recognition.words).lower()

    assert recognition.language == "en"
    for phrase in (DATA / "whisper_jfk.expected_substrings.txt").read_text().splitlines():
        assert phrase in text
    assert [w.start for w in recognition.words] == sorted(w.start for w in recognition.words)


def test_recognise_chinese_simplified(whisper) -> None:  # type: ignore[no-untyped-def]
    from services.meetings.audio import decode_audio
    from services.meetings.transcribe import recognise
    from tests.meetings.clips import AISHELL, DATA, telephone

    audio = decode_audio(telephone(AISHELL), filename="zh.wav", max_seconds=60, max_bytes=10**8)
    recognition = recognise(whisper, audio.samples, language="zh", beam_size=1, hotwords=["房地产"])
    text = re.sub(r"\W", "", "".join(word.text for word in recognition.words))
    reference = (DATA / "zh_aishell_BAC009S0724W0121.txt").read_text().strip()

    assert jiwer.cer(reference, text) < 0.35
    assert "廣" not in text
