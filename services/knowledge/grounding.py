"""Locate a model's quote in the source document and return its exact character span.

Three passes run in order, each inside the chunk the quote came from before
the whole document. The first is an exact match. The second matches after
normalisation (full/half width, whitespace, Traditional/Simplified, Chinese
numerals) and maps back to source offsets. The third is a fuzzy match on the
normalised text, which tolerates changed wording but never changed digits. Every result satisfies
`source[evidence.start:evidence.end] == evidence.text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from difflib import SequenceMatcher
from functools import partial
from typing import Literal

from pydantic import BaseModel, Field

from services.knowledge.textnorm import NormalisedText, normalise

# `manual`: a span a reviewer chose.
MatchKind = Literal["exact", "normalised", "fuzzy", "manual"]

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
# Quote marks and spaces a model adds around an excerpt.
_QUOTE_TRIM = " \t\r\n\"'“”‘’「」『』《》。，,;；:："


class Evidence(BaseModel):
    """A span of the source document that supports a value."""

    text: str = Field(description="The source text of the span, equal to `source[start:end]`.")
    start: int = Field(ge=0, description="Offset of the first character in the source text.")
    end: int = Field(ge=0, description="Offset one past the last character in the source text.")
    match: MatchKind = Field(description="How the span was found: `exact`, `normalised` or `fuzzy`.")
    score: float = Field(ge=0, le=1, description="Similarity of the quote and the span, 1 for exact and normalised.")


class SourceText:
    """A source document prepared for repeated lookups (the normalised form is computed once)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.normalised: NormalisedText = normalise(text)
        # Without numeral conversion, for quotes that cut a numeral run ("百三十" quoted as "三十").
        self.folded: NormalisedText = normalise(text, numerals=False)

    def evidence(self, start: int, end: int, match: MatchKind, score: float) -> Evidence:
        return Evidence(text=self.text[start:end], start=start, end=end, match=match, score=round(score, 3))


def locate(
    source: SourceText,
    quote: str,
    *,
    window: tuple[int, int] | None = None,
    fuzzy_threshold: float = 0.85,
    min_fuzzy_chars: int = 4,
) -> Evidence | None:
    """Return the span of `source` that `quote` was copied from, or None when none is close enough."""
    quote = quote.strip(_QUOTE_TRIM)
    if not quote:
        return None
    window = window or (0, len(source.text))

    exact = _find_exact(source.text, quote, window)
    if exact is not None:
        return source.evidence(exact, exact + len(quote), "exact", 1.0)

    folded_quote = normalise(quote).text
    if not folded_quote:
        return None
    for view, view_quote in ((source.normalised, folded_quote), (source.folded, normalise(quote, numerals=False).text)):
        folded = _find_normalised(source.text, view, view_quote, window)
        if folded is not None:
            start, end = view.source_span(*folded)
            return source.evidence(start, end, "normalised", 1.0)

    if len(folded_quote) < min_fuzzy_chars:
        return None
    fuzzy = _find_fuzzy(source.text, source.normalised, folded_quote, window, fuzzy_threshold)
    if fuzzy is None:
        return None
    (folded_start, folded_end), score = fuzzy
    start, end = source.normalised.source_span(folded_start, folded_end)
    return source.evidence(start, end, "fuzzy", score)


def _find_exact(text: str, quote: str, window: tuple[int, int]) -> int | None:
    position = _find_whole(text, quote, window[0], window[1])
    if position is None:
        position = _find_whole(text, quote, 0, len(text))
    return position


def _find_whole(
    text: str, needle: str, first: int, last: int, cuts: Callable[[int, int], bool] | None = None
) -> int | None:
    """Find `needle` in `text[first:last]` where it does not cut a number ("5 元" is not in "0.15 元").

    `cuts` checks a span of `text` for a cut number; by default `text` is the source itself.
    """
    cuts = cuts or partial(_cuts_number, text)
    position = text.find(needle, first, last)
    while position >= 0:
        if not cuts(position, position + len(needle)):
            return position
        position = text.find(needle, position + 1, last)
    return None


def _cuts_number(text: str, start: int, end: int) -> bool:
    """Check whether `text[start:end]` starts or ends inside a number."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    first = text[start]
    cuts_start = (first.isdigit() and (before.isdigit() or before == ".")) or (first == "." and before.isdigit())
    return cuts_start or (text[end - 1].isdigit() and after.isdigit())


def _folded_window(normalised: NormalisedText, window: tuple[int, int]) -> tuple[int, int]:
    """Return the range of folded characters whose source spans lie inside `window`."""
    first = next((index for index, span in enumerate(normalised.spans) if span[0] >= window[0]), len(normalised.spans))
    last = first
    while last < len(normalised.spans) and normalised.spans[last][1] <= window[1]:
        last += 1
    return first, last


def _find_normalised(
    source: str, normalised: NormalisedText, folded_quote: str, window: tuple[int, int]
) -> tuple[int, int] | None:
    def cuts(start: int, end: int) -> bool:
        return _cuts_number(source, *normalised.source_span(start, end))

    first, last = _folded_window(normalised, window)
    position = _find_whole(normalised.text, folded_quote, first, last, cuts)
    if position is None:
        position = _find_whole(normalised.text, folded_quote, 0, len(normalised.text), cuts)
    return (position, position + len(folded_quote)) if position is not None else None


def _find_fuzzy(
    source: str, normalised: NormalisedText, folded_quote: str, window: tuple[int, int], threshold: float
) -> tuple[tuple[int, int], float] | None:
    """Slide windows of about the quote's length over the chunk; keep the most similar one.

    A candidate must contain every number of the quote, so a quote with a wrong
    figure ("定向流量 60GB" against "通用流量 60GB" is fine, "月费 0 元" against
    "月费 199 元" is not) never matches.
    """
    first, last = _folded_window(normalised, window)
    text = normalised.text
    length = len(folded_quote)
    numbers = _DIGITS.findall(folded_quote)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(folded_quote)

    best: tuple[tuple[int, int], float] | None = None
    sizes = sorted({max(1, round(length * 0.85)), length, round(length * 1.15)})
    for size in sizes:
        for start in range(first, max(first, last - size) + 1):
            candidate = text[start : start + size]
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                continue
            score = matcher.ratio()
            if score < threshold or (best is not None and score <= best[1]):
                continue
            if any(number not in _DIGITS.findall(candidate) for number in numbers):
                continue
            if _cuts_number(source, *normalised.source_span(start, start + len(candidate))):
                continue
            best = ((start, start + size), score)

    if best is None:
        return None
    return _trim(text, best[0]), best[1]


def _trim(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Drop punctuation at the edges of a fuzzy span."""
    start, end = span
    while start < end - 1 and text[start] in _QUOTE_TRIM:
        start += 1
    while end > start + 1 and text[end - 1] in _QUOTE_TRIM:
        end -= 1
    return start, end
