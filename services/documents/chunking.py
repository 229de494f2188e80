"""Splitting a document into passages: by section first, then by size at sentence boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.documents.models import Block, Document, Passage
from services.documents.options import DEFAULT_OPTIONS

# A sentence ends after Chinese 。！？； or English ! ? (with any closing quotes or
# brackets), after a "." followed by whitespace, or at a line break.
_SENTENCE_END = re.compile(r"(?:[。！？；!?]+|\.(?=\s|$))[”’」』）)\]\"']*|\n")
# Cut points for an over-long sentence: after a space or a comma-like mark.
_SOFT_BREAK = re.compile(r"[\s，、,：:]")


@dataclass(frozen=True)
class _Unit:
    """A sentence, or a piece of an over-long one, as offsets into `Document.text`."""

    start: int
    end: int
    ends_block: bool


@dataclass
class _Section:
    blocks: list[Block]
    heading_path: list[str]


def chunk_document(
    document: Document,
    *,
    max_chars: int = DEFAULT_OPTIONS.chunk_max_chars,
    overlap_chars: int = DEFAULT_OPTIONS.chunk_overlap_chars,
) -> list[Passage]:
    """Split `document` into passages of at most `max_chars` characters.

    Each section (the blocks under one heading, together with that heading and
    any headings directly above it) starts a new passage. A section longer than
    `max_chars` is cut at block ends where that keeps a passage at least half
    full, and otherwise at sentence ends or line breaks. A sentence longer than
    `max_chars` is cut at a space or comma, or at `max_chars` when it has none.
    Within a section, each passage after the first repeats the last whole
    sentences of the previous one, up to `overlap_chars` characters.
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, not {max_chars}")
    if not 0 <= overlap_chars < max_chars:
        raise ValueError(f"overlap_chars must be between 0 and max_chars - 1, not {overlap_chars}")

    passages: list[Passage] = []
    for section in _sections(document.blocks):
        units = [unit for block in section.blocks for unit in _units(document.text, block, max_chars)]
        for start, end in _pack(units, max_chars, overlap_chars):
            passages.append(
                Passage(
                    id=f"{document.id}#p{len(passages)}",
                    document_id=document.id,
                    text=document.text[start:end],
                    start=start,
                    end=end,
                    heading_path=section.heading_path,
                    page=_page_at(section.blocks, start),
                )
            )
    return passages


def _sections(blocks: list[Block]) -> list[_Section]:
    """Group blocks so that each run of headings starts a section with the blocks after it."""
    sections: list[_Section] = []
    current: list[Block] = []

    for block in blocks:
        if block.kind == "heading" and any(item.kind != "heading" for item in current):
            sections.append(_section(current))
            current = []
        current.append(block)
    if current:
        sections.append(_section(current))

    return sections


def _section(blocks: list[Block]) -> _Section:
    headings = [block for block in blocks if block.kind == "heading"]
    if headings:
        last = headings[-1]
        return _Section(blocks, [*last.heading_path, last.text])
    return _Section(blocks, list(blocks[0].heading_path))


def _units(text: str, block: Block, max_chars: int) -> list[_Unit]:
    """Split a block into sentence spans, cutting any longer than `max_chars`."""
    spans: list[tuple[int, int]] = []
    position = block.start
    for match in _SENTENCE_END.finditer(text, block.start, block.end):
        spans.extend(_strip(text, position, match.end()))
        position = match.end()
    spans.extend(_strip(text, position, block.end))

    pieces = [piece for start, end in spans for piece in _cut(text, start, end, max_chars)]
    return [_Unit(start, end, ends_block=index == len(pieces) - 1) for index, (start, end) in enumerate(pieces)]


def _strip(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the span without surrounding whitespace, or nothing if only whitespace is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [(start, end)] if start < end else []


def _cut(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    pieces: list[tuple[int, int]] = []
    while end - start > max_chars:
        limit = start + max_chars
        cut = limit
        # Prefer the last soft break in the second half of the window.
        for match in _SOFT_BREAK.finditer(text, start + max_chars // 2, limit):
            cut = match.end()
        pieces.extend(_strip(text, start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    pieces.extend(_strip(text, start, end))
    return pieces


def _pack(units: list[_Unit], max_chars: int, overlap_chars: int) -> list[tuple[int, int]]:
    """Group consecutive units into windows of at most `max_chars` characters, with overlap."""
    windows: list[tuple[int, int]] = []
    first = 0

    while first < len(units):
        last = first
        while last + 1 < len(units) and units[last + 1].end - units[first].start <= max_chars:
            last += 1

        if last + 1 < len(units):
            last = _prefer_block_end(units, first, last, max_chars)
        windows.append((units[first].start, units[last].end))
        if last + 1 == len(units):
            break

        first = _overlap_start(units, first, last, max_chars, overlap_chars)

    return windows


def _prefer_block_end(units: list[_Unit], first: int, last: int, max_chars: int) -> int:
    """Move the window's end back to the last block end if the window stays at least half full."""
    for candidate in range(last, first - 1, -1):
        if units[candidate].ends_block:
            if units[candidate].end - units[first].start >= max_chars // 2:
                return candidate
            break
    return last


def _overlap_start(units: list[_Unit], first: int, last: int, max_chars: int, overlap_chars: int) -> int:
    """Pick the first unit of the next window, the earliest that keeps the overlap short enough.

    The next window must still reach the unit after `last`, so that it adds
    new text, and must start after `first`, so that packing always advances.
    """
    start = last + 1
    while start - 1 > first and units[last].end - units[start - 1].start <= overlap_chars:
        start -= 1
    while start <= last and units[last + 1].end - units[start].start > max_chars:
        start += 1
    return start


def _page_at(blocks: list[Block], offset: int) -> int | None:
    for block in blocks:
        if block.start <= offset < block.end:
            return block.page
    return None
