"""Drafting: write an outline's sections in order, each from retrieved passages, with checked citations."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from langchain_core.embeddings import Embeddings

from services.core.prompts import render_prompt
from services.documents import Passage
from services.model.client import ModelClient
from services.writing.citations import MARKER, check_citations, renumber
from services.writing.options import WritingOptions
from services.writing.outline import check_outline, iter_sections
from services.writing.retrieval import HybridRetriever
from services.writing.schemas import (
    DOCUMENT_TYPE_LABELS,
    Citation,
    Draft,
    DraftSection,
    Outline,
    OutlineSection,
    ReferenceDocument,
)

logger = logging.getLogger(__name__)

EXCERPT_CHARS = 120
# A first line that only labels the body, such as "本节正文：" or "Section text:".
_LABEL_LINE = re.compile(r"(?:本节|本章)?(?:正文|内容)\s*[：:]|(?:section\s+)?(?:text|body|content)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class DraftEvent:
    """One step of a draft: `section_start`, `delta`, `section_done` or `done`."""

    event: str
    data: dict[str, Any]


def stream_draft(
    model: ModelClient,
    *,
    outline: Outline,
    references: list[ReferenceDocument],
    options: WritingOptions,
    embeddings: Embeddings | None = None,
    draft_id: str = "",
) -> Iterator[DraftEvent]:
    """Write the outline section by section, yielding events as text arrives.

    The last event is `done` with the whole `Draft`, whose citations are
    renumbered 1, 2, ... in order of first use.
    """
    check_outline(outline)
    started = time.perf_counter()
    passages = [passage for reference in references for passage in reference.passages]
    filenames = {reference.document_id: reference.filename for reference in references}
    retriever = HybridRetriever(passages, embeddings=embeddings, rrf_k=options.rrf_k)
    sections = list(iter_sections(outline.sections))
    logger.info(
        "draft %s of %r started: %d sections, %d passages, embeddings %s",
        draft_id or "-",
        outline.title,
        len(sections),
        len(passages),
        "on" if retriever.uses_embeddings else "off",
    )

    numbers: dict[str, int] = {}
    written: list[DraftSection] = []
    completion_tokens = 0
    model_seconds = 0.0

    for position, section in enumerate(sections):
        yield DraftEvent(
            "section_start",
            {"index": position, "total": len(sections), "section_id": section.id, "heading": section.heading},
        )
        if section.children:
            # A section with children gets its heading only; its children carry the text.
            done = DraftSection(section_id=section.id, heading=section.heading, level=section.level, text="")
            written.append(done)
            yield DraftEvent("section_done", {"index": position, "total": len(sections), **done.model_dump()})
            continue

        supplied = _passages_for(section, outline.title, retriever, options.passages_per_section)
        for passage in supplied:
            numbers.setdefault(passage.id, len(numbers) + 1)
        prompt = _section_prompt(outline, section, supplied, numbers, written, options, filenames)

        call_started = time.perf_counter()
        stream = model.stream(
            prompt,
            system=render_prompt("writing", "system", outline.language),
            max_tokens=options.section_max_tokens,
            temperature=options.temperature,
        )
        pieces: list[str] = []
        for piece in stream:
            pieces.append(piece)
            yield DraftEvent("delta", {"index": position, "section_id": section.id, "text": piece})
        model_seconds += time.perf_counter() - call_started
        text = _clean_section_text("".join(pieces), section.heading)
        if stream.completion is not None:
            completion_tokens += stream.completion.usage.completion_tokens
            if stream.completion.finish_reason == "length":
                text = drop_unfinished_sentence(text)

        allowed = {numbers[passage.id] for passage in supplied}
        checked = check_citations(
            text,
            allowed,
            context=f"draft {draft_id or '-'} section {section.id}",
        )
        done = DraftSection(
            section_id=section.id,
            heading=section.heading,
            level=section.level,
            text=checked.text,
            citations=checked.used,
            removed_markers=checked.removed,
        )
        written.append(done)
        yield DraftEvent("section_done", {"index": position, "total": len(sections), **done.model_dump()})

    by_number = {number: passage_id for passage_id, number in numbers.items()}
    draft = _finish(outline, written, by_number, retriever, filenames)
    draft.id = draft_id or None
    draft.outline_id = outline.id
    draft.completion_tokens = completion_tokens
    draft.model_seconds = round(model_seconds, 3)
    draft.wall_seconds = round(time.perf_counter() - started, 3)
    logger.info(
        "draft %s finished: %d sections, %d citations, %d tokens in %.1f s",
        draft_id or "-",
        len(written),
        len(draft.citations),
        completion_tokens,
        draft.wall_seconds,
    )
    yield DraftEvent("done", draft.model_dump())


def write_draft(model: ModelClient, **kwargs: Any) -> Draft:
    """Run `stream_draft` to its end and return the draft."""
    for event in stream_draft(model, **kwargs):
        if event.event == "done":
            return Draft.model_validate(event.data)
    raise RuntimeError("stream_draft ended without a done event")


def _passages_for(section: OutlineSection, title: str, retriever: HybridRetriever, k: int) -> list[Passage]:
    """Choose the section's assigned passages first, then retrieved ones, up to `k` without repeats."""
    chosen: list[Passage] = []
    for passage_id in section.passage_ids:
        passage = retriever.get(passage_id)
        if passage is None:
            logger.warning("section %s names passage %s, which no reference contains; ignored", section.id, passage_id)
            continue
        chosen.append(passage)
    for passage in retriever.search(f"{title} {section.heading} {section.note}", k):
        if len(chosen) >= k:
            break
        if all(passage.id != existing.id for existing in chosen):
            chosen.append(passage)
    return chosen[:k]


def _section_prompt(
    outline: Outline,
    section: OutlineSection,
    supplied: list[Passage],
    numbers: dict[str, int],
    written: list[DraftSection],
    options: WritingOptions,
    filenames: dict[str, str],
) -> str:
    quoted = [
        {
            "number": numbers[passage.id],
            "source": " > ".join([filenames.get(passage.document_id, passage.document_id), *passage.heading_path]),
            "text": passage.text[: options.passage_quote_chars],
        }
        for passage in supplied
    ]
    earlier = [
        {"heading": item.heading, "summary": _summary(item.text, options.summary_chars)}
        for item in written
        if item.text and options.summary_chars
    ]
    return render_prompt(
        "writing",
        "section",
        outline.language,
        title=outline.title,
        document_type=DOCUMENT_TYPE_LABELS[outline.document_type][outline.language],
        requirements=outline.requirements,
        heading=section.heading,
        note=section.note,
        earlier=earlier,
        passages=quoted,
        # About half the token limit, in characters (zh) or words (en), so the text ends before the limit cuts it.
        max_chars=max(options.section_max_tokens // 2, 30),
    )


def _summary(text: str, max_chars: int) -> str:
    plain = re.sub(r"\[\d+\]", "", text).replace("\n", " ").strip()
    return plain if len(plain) <= max_chars else plain[:max_chars] + "…"


def _clean_section_text(text: str, heading: str) -> str:
    """Drop heading lines, fences, bold marks and repeated paragraphs that the model adds to a section body."""
    lines: list[str] = []
    for line in text.strip().splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or stripped.startswith("```"):
            continue
        if stripped.strip("*：: ") == heading:
            continue
        if not lines and _LABEL_LINE.fullmatch(stripped):
            # A label such as "本节正文：" or "Section text:" before the body.
            continue
        lines.append(line.rstrip())
    text = "\n".join(lines).replace("**", "")

    # Small models loop: a paragraph written twice is kept once.
    paragraphs: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = paragraph.strip()
        if paragraph and paragraph not in paragraphs:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def drop_unfinished_sentence(text: str) -> str:
    """Cut text that the token limit ended mid-sentence back to its last complete sentence, if it has one."""
    # A sentence end may be followed by citation markers, which belong to that sentence.
    ends = list(re.finditer(rf"(?:[。！？!?]|\.(?=\s|$|[\[【]))(?:\s*{MARKER.pattern})*", text))
    if not ends:
        return text
    return text[: ends[-1].end()].strip()


def _finish(
    outline: Outline,
    written: list[DraftSection],
    by_number: dict[int, str],
    retriever: HybridRetriever,
    filenames: dict[str, str],
) -> Draft:
    """Renumber citations 1, 2, ... by first use and list the passages they point to."""
    mapping: dict[int, int] = {}
    for section in written:
        for number in section.citations:
            mapping.setdefault(number, len(mapping) + 1)

    citations: list[Citation] = []
    for old_number, new_number in sorted(mapping.items(), key=lambda item: item[1]):
        passage = retriever.get(by_number[old_number])
        assert passage is not None  # numbers are only given to passages of this retriever
        citations.append(
            Citation(
                number=new_number,
                passage_id=passage.id,
                filename=filenames.get(passage.document_id, passage.document_id),
                heading_path=passage.heading_path,
                excerpt=" ".join(passage.text.split())[:EXCERPT_CHARS],
            )
        )

    sections = [
        section.model_copy(
            update={"text": renumber(section.text, mapping), "citations": [mapping[n] for n in section.citations]}
        )
        for section in written
    ]
    return Draft(
        title=outline.title,
        document_type=outline.document_type,
        language=outline.language,
        sections=sections,
        citations=citations,
    )
