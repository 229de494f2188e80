"""Transcripts and results built in code for the minutes and output tests."""

from __future__ import annotations

from services.meetings.results import (
    ActionItem,
    MeetingResult,
    Minutes,
    MinutesItem,
    SpeakerSection,
    Transcript,
    Turn,
    Utterance,
    Word,
)


def transcript(lines: list[tuple[float, str, str]], *, language: str = "zh") -> Transcript:
    """A transcript of (start, speaker, text) lines, each 4 s long."""
    utterances = [Utterance(start=start, end=start + 4, speaker=speaker, text=text) for start, speaker, text in lines]
    words = [Word(start=u.start, end=u.end, text=u.text, speaker=u.speaker) for u in utterances]
    turns = [Turn(start=u.start, end=u.end, speaker=u.speaker) for u in utterances]
    speakers: list[str] = []
    for utterance in utterances:
        if utterance.speaker not in speakers:
            speakers.append(utterance.speaker)
    duration = lines[-1][0] + 4 if lines else 0.0
    return Transcript(
        language=language, duration=duration, words=words, turns=turns, utterances=utterances, speakers=speakers
    )


MEETING_LINES = [
    (0.0, "SPEAKER_00", "今天讨论五月的融合套餐推广。"),
    (65.5, "SPEAKER_01", "我建议先在广州试点。"),
    (3725.0, "SPEAKER_00", "好，就这么定了，李娜周五前提交方案。"),
]


def meeting_result() -> MeetingResult:
    minutes = Minutes(
        language="zh",
        summary="SPEAKER_00 主持讨论融合套餐推广。",
        topics=[MinutesItem(text="融合套餐推广", time=0.0)],
        decisions=[MinutesItem(text="先在广州试点", time=65.5)],
        action_items=[ActionItem(task="提交方案", owner="SPEAKER_01", due="周五", time=3725.0)],
        speakers=[SpeakerSection(speaker="SPEAKER_01", points=[MinutesItem(text="建议广州试点", time=65.5)])],
    )
    return MeetingResult(filename="例会.wav", transcript=transcript(MEETING_LINES), minutes=minutes)
