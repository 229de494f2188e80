"""Words to speakers by maximal overlap, and utterances."""

import pytest

from services.meetings.assign import assign_speakers, group_utterances
from services.meetings.results import Turn, Word

TURNS = [
    Turn(start=0.0, end=2.0, speaker="SPEAKER_00"),
    Turn(start=1.5, end=4.0, speaker="SPEAKER_01"),
    Turn(start=5.0, end=6.0, speaker="SPEAKER_00"),
]


@pytest.mark.parametrize(
    ("start", "end", "speaker", "overlap"),
    [
        (0.2, 0.6, "SPEAKER_00", False),
        (1.6, 1.8, "SPEAKER_00", True),
        (1.7, 2.5, "SPEAKER_01", True),
        (3.0, 3.5, "SPEAKER_01", False),
        (4.6, 4.8, "SPEAKER_00", False),
    ],
    ids=["inside", "overlap-tie-first", "overlap-more-second", "second", "gap-nearest"],
)
def test_assign_speakers_max_overlap(start: float, end: float, speaker: str, overlap: bool) -> None:
    word = Word(start=start, end=end, text=" w")

    [labelled] = assign_speakers([word], TURNS)

    assert labelled.speaker == speaker
    assert labelled.overlap is overlap


def test_assign_speakers_keeps_both_speakers_in_overlap() -> None:
    words = [Word(start=1.0, end=1.4, text=" yes"), Word(start=1.9, end=2.6, text=" no")]

    labelled = assign_speakers(words, TURNS)

    assert [word.speaker for word in labelled] == ["SPEAKER_00", "SPEAKER_01"]


def test_assign_speakers_without_turns_uses_default() -> None:
    [labelled] = assign_speakers([Word(start=0, end=1, text="x")], [])

    assert labelled.speaker == "SPEAKER_00"


def test_group_utterances_splits_on_speaker_and_pause() -> None:
    words = [
        Word(start=0.0, end=0.5, text=" Hello", speaker="SPEAKER_00"),
        Word(start=0.6, end=1.0, text=" there.", speaker="SPEAKER_00"),
        Word(start=1.1, end=1.5, text=" Hi.", speaker="SPEAKER_01"),
        Word(start=4.0, end=4.5, text=" Again.", speaker="SPEAKER_01"),
    ]

    utterances = group_utterances(words)

    assert [u.text for u in utterances] == ["Hello there.", "Hi.", "Again."]
