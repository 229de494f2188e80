"""Minutes through the shared model client: time-ordered chunks, then one merge.

The transcript goes to the model as numbered lines; each item the model
returns names its line, which is mapped back to the transcript time, so every
point of the minutes links to where it was said. Decisions and action items
also carry a quote of their line and stay only when `grounding` finds that
the transcript supports them. Long meetings are cut into chunks of whole
utterances that fit the model's context.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from services.core.i18n import Language
from services.core.prompts import one_line, render_prompt
from services.meetings.grounding import ChunkEvidence, Reason
from services.meetings.results import (
    ActionItem,
    Minutes,
    MinutesItem,
    SpeakerSection,
    Transcript,
    UnsupportedItem,
    Utterance,
)
from services.model.client import ModelClient
from services.model.errors import ModelRetry

logger = logging.getLogger(__name__)

# Utterances quoted for a speaker when the model names no point of theirs.
QUOTED_UTTERANCES = 2


class _Point(BaseModel):
    text: str = Field(description="One short sentence.")
    line: int = Field(description="Line number it comes from.")


class _Decision(BaseModel):
    text: str = Field(description="One short sentence.")
    line: int = Field(description="Line number where it was decided.")
    quote: str = Field(description="A few words copied exactly from that line that state it.")


class _Action(BaseModel):
    task: str
    owner: str | None = None
    due: str | None = None
    line: int
    quote: str = Field(description="A few words copied exactly from that line that state it.")


class _SpeakerPoint(BaseModel):
    speaker: str
    text: str
    line: int


class ChunkNotes(BaseModel):
    """Model reply for one chunk of transcript."""

    summary: str
    topics: list[_Point] = Field(default_factory=list)
    decisions: list[_Decision] = Field(default_factory=list)
    action_items: list[_Action] = Field(default_factory=list)
    speaker_points: list[_SpeakerPoint] = Field(default_factory=list)


class MergedNotes(BaseModel):
    """Model reply when merging chunk summaries."""

    summary: str
    topics: list[_Point] = Field(default_factory=list)


def format_time(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def chunk_utterances(utterances: list[Utterance], *, max_chars: int) -> list[list[int]]:
    """Indexes of utterances per chunk, in time order, each chunk at most `max_chars` of text (one line at least)."""
    chunks: list[list[int]] = []
    current: list[int] = []
    size = 0
    for index, utterance in enumerate(utterances):
        length = len(utterance.text) + 24
        if current and size + length > max_chars:
            chunks.append(current)
            current, size = [], 0
        current.append(index)
        size += length
    if current:
        chunks.append(current)
    return chunks


def write_minutes(
    transcript: Transcript,
    *,
    model: ModelClient,
    language: Language,
    names: dict[str, str],
    chunk_chars: int,
    max_tokens: int,
    progress: Callable[[float, str], None] | None = None,
) -> Minutes:
    """Summarise `transcript` chunk by chunk and merge the chunks into one set of minutes."""
    utterances = transcript.utterances
    minutes = Minutes(language=language)
    if not utterances:
        return minutes

    chunks = chunk_utterances(utterances, max_chars=chunk_chars)
    system = render_prompt("meetings", "system", language)
    notes: list[ChunkNotes] = []
    for part, indexes in enumerate(chunks, start=1):
        logger.info("minutes: chunk %d of %d (%d utterances)", part, len(chunks), len(indexes))
        # One line per utterance: a line break in a name or an utterance cannot fake another numbered line.
        lines = "\n".join(
            f"[{index + 1}] {format_time(utterances[index].start)} "
            f"{one_line(names.get(utterances[index].speaker, utterances[index].speaker))}："
            f"{one_line(utterances[index].text)}"
            for index in indexes
        )
        first, last = indexes[0] + 1, indexes[-1] + 1
        prompt = render_prompt(
            "meetings",
            "chunk",
            language,
            part=part,
            parts=len(chunks),
            span=f"{format_time(utterances[indexes[0]].start)}–{format_time(utterances[indexes[-1]].end)}",
            lines=lines,
            first_line=first,
            last_line=last,
        )
        notes.append(
            model.structured(
                ChunkNotes,
                prompt,
                system=system,
                language=language,
                max_tokens=max_tokens,
                validate=_line_check(first, last),
            )
        )
        if progress is not None:
            progress(part / (len(chunks) + 1), f"minutes {part}/{len(chunks)}")

    times = [utterance.start for utterance in utterances]
    for indexes, chunk in zip(chunks, notes, strict=True):
        evidence = ChunkEvidence(utterances, indexes, names=names, compare_terms=transcript.language == language)
        _add_supported(minutes, chunk, evidence, times)
    minutes.speakers = _speaker_sections(notes, times, names, transcript)

    if len(notes) == 1:
        minutes.summary = notes[0].summary
        minutes.topics = [MinutesItem(text=p.text, time=_time(times, p.line)) for p in notes[0].topics]
        return minutes

    merged = model.structured(
        MergedNotes,
        render_prompt("meetings", "merge", language, parts=len(notes), summaries=[n.summary for n in notes]),
        system=system,
        language=language,
        max_tokens=max_tokens,
        validate=_line_check(1, len(notes)),
    )
    minutes.summary = merged.summary
    chunk_starts = [utterances[indexes[0]].start for indexes in chunks]
    minutes.topics = [MinutesItem(text=p.text, time=_time(chunk_starts, p.line)) for p in merged.topics]
    return minutes


def _add_supported(minutes: Minutes, chunk: ChunkNotes, evidence: ChunkEvidence, times: list[float]) -> None:
    """Add the chunk's decisions and action items that `evidence` supports; list the others as unsupported."""
    for decision in chunk.decisions:
        found = evidence.check(decision.text, line=decision.line, quote=decision.quote)
        if isinstance(found, str):
            _reject(minutes, "decision", decision.text, decision.line, found)
            continue
        minutes.decisions.append(MinutesItem(text=decision.text, time=times[found - 1]))

    for action in chunk.action_items:
        found = evidence.check(action.task, line=action.line, quote=action.quote)
        if isinstance(found, str):
            _reject(minutes, "action_item", action.task, action.line, found)
            continue
        owner, due = action.owner or None, action.due or None
        # An owner or due date is checked only in the transcript's language, like the item's words.
        if evidence.compare_terms and owner and not evidence.mentions(owner):
            logger.warning("minutes: owner %r of %r is not in the transcript; left empty", owner, action.task)
            owner = None
        if evidence.compare_terms and due and not evidence.mentions(due):
            logger.warning("minutes: due date %r of %r is not in the transcript; left empty", due, action.task)
            due = None
        minutes.action_items.append(ActionItem(task=action.task, owner=owner, due=due, time=times[found - 1]))


def _reject(minutes: Minutes, kind: Literal["decision", "action_item"], text: str, line: int, reason: Reason) -> None:
    logger.warning("minutes: %s %r cited at line %d left out (%s)", kind, text, line, reason)
    minutes.unsupported.append(UnsupportedItem(kind=kind, text=text, line=line, reason=reason))


def _speaker_sections(
    notes: list[ChunkNotes], times: list[float], names: dict[str, str], transcript: Transcript
) -> list[SpeakerSection]:
    """One section per speaker of the transcript, in order of first appearance.

    A speaker the model gave no points keeps a section with their longest
    utterances quoted, so nobody drops out of the minutes.
    """
    labels = {name: label for label, name in names.items()}
    sections = {speaker: SpeakerSection(speaker=speaker) for speaker in transcript.speakers}
    for chunk in notes:
        for point in chunk.speaker_points:
            speaker = labels.get(point.speaker, point.speaker)
            section = sections.setdefault(speaker, SpeakerSection(speaker=speaker))
            section.points.append(MinutesItem(text=point.text, time=_time(times, point.line)))

    for speaker, section in sections.items():
        if section.points:
            continue
        spoken = [utterance for utterance in transcript.utterances if utterance.speaker == speaker]
        longest = sorted(
            sorted(spoken, key=lambda u: len(u.text), reverse=True)[:QUOTED_UTTERANCES], key=lambda u: u.start
        )
        section.points = [MinutesItem(text=f"“{utterance.text}”", time=utterance.start) for utterance in longest]
    return [section for section in sections.values() if section.points]


def _time(times: list[float], line: int) -> float | None:
    if 1 <= line <= len(times):
        return times[line - 1]
    return None


def _line_check(first: int, last: int) -> Callable[[BaseModel], None]:
    def check(notes: BaseModel) -> None:
        lines = [
            item.line
            for name in ("topics", "decisions", "action_items", "speaker_points")
            for item in getattr(notes, name, [])
        ]
        wrong = sorted({line for line in lines if not first <= line <= last})
        if wrong:
            raise ModelRetry(f"line numbers {wrong} are outside {first}–{last}; use the numbers in brackets")

    return check
