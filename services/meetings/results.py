"""Result types of a meeting run: words, speaker turns, utterances, minutes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Word(BaseModel):
    """One recognised word (or Chinese character group) with its time and speaker."""

    start: float = Field(description="Start time, in seconds.")
    end: float = Field(description="End time, in seconds.")
    text: str = Field(description="The word as recognised, Chinese in Simplified characters.")
    probability: float = Field(0.0, description="Recogniser confidence, 0–1.")
    speaker: str | None = Field(None, description="Speaker label, e.g. `SPEAKER_00`.")
    overlap: bool = Field(False, description="True when another speaker talked at the same time.")


class Turn(BaseModel):
    """A stretch of time in which one speaker talks (from diarization)."""

    start: float
    end: float
    speaker: str


class Utterance(BaseModel):
    """Consecutive words of one speaker."""

    start: float
    end: float
    speaker: str
    text: str


class Transcript(BaseModel):
    """The transcript: words, speakers and times."""

    language: str = Field(description="Detected or requested language code, e.g. `zh`.")
    language_probability: float = 0.0
    duration: float = Field(description="Length of the audio, in seconds.")
    words: list[Word] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    utterances: list[Utterance] = Field(default_factory=list)
    speakers: list[str] = Field(default_factory=list, description="Speaker labels in order of first appearance.")
    notes: list[str] = Field(default_factory=list, description="Message codes about the run, e.g. no speech.")


class MinutesItem(BaseModel):
    """A point of the minutes tied to the transcript time where it was said."""

    text: str
    time: float | None = Field(None, description="Transcript time it refers to, in seconds.")


class ActionItem(BaseModel):
    task: str
    owner: str | None = None
    due: str | None = Field(None, description="Due date as stated in the meeting, when stated.")
    time: float | None = Field(None, description="Transcript time it was said, in seconds.")


class UnsupportedItem(BaseModel):
    """A decision or action item from the model that the transcript does not support, kept out of the minutes."""

    kind: Literal["decision", "action_item"]
    text: str
    line: int = Field(description="Transcript line number (1-based) the model cited.")
    reason: Literal["line_missing", "quote_not_found", "text_not_supported"] = Field(
        description="Which check failed: no such line in the chunk, the quote is in no line, or no shared words."
    )


class SpeakerSection(BaseModel):
    speaker: str
    points: list[MinutesItem] = Field(default_factory=list)


class Minutes(BaseModel):
    language: str
    summary: str = ""
    topics: list[MinutesItem] = Field(default_factory=list)
    decisions: list[MinutesItem] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    speakers: list[SpeakerSection] = Field(default_factory=list)
    unsupported: list[UnsupportedItem] = Field(
        default_factory=list, description="Decisions and action items left out because the transcript lacks them."
    )


class MeetingResult(BaseModel):
    """Everything one run produced; stored as JSON and rendered to every output format."""

    filename: str
    transcript: Transcript
    minutes: Minutes | None = None
    speaker_names: dict[str, str] = Field(default_factory=dict)
    timings: dict[str, float] = Field(default_factory=dict, description="Seconds per step.")

    def display_name(self, speaker: str | None) -> str:
        if speaker is None:
            return "?"
        return self.speaker_names.get(speaker, speaker)
