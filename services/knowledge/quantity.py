"""Locate a number the model gave without a usable quote: the value with its unit, once, near the field's label.

The embedded model sometimes copies a field's label from the prompt as its
quote while its value is right. The value is then accepted only when the
quantity, written with a unit of the field's unit, occurs exactly once in the
chunk with a two-character piece of the field's label or description (one
that no other field's label has) in the 20 characters before it or the 8 after.
"""

from __future__ import annotations

import re
from typing import Any

from services.knowledge.categories import Category, CategoryField
from services.knowledge.grounding import Evidence, SourceText
from services.knowledge.support import quantities
from services.knowledge.textnorm import normalise
from services.knowledge.values import unit_matches

_NUMBER_AND_UNIT = re.compile(r"\d+(?:\.\d+)?\s*[^\d\s，。、；;,]{0,4}")
_BRACKETED = re.compile(r"（[^）]*）|\([^)]*\)")
_LABEL_WINDOW = 20
_LABEL_AFTER = 8
# Characters before a quoted span searched for the field's label ("国内通话 1000 分钟" quoted as "1000 分钟").
_MENTION_BEFORE = 12


def locate_quantity(
    field: CategoryField, source: SourceText, raw: Any, window: tuple[int, int], pieces: set[str]
) -> Evidence | None:
    """Return the span of the one quantity in `window` equal to `raw` in the field's unit, or None."""
    try:
        wanted = float(raw)
    except (TypeError, ValueError):
        return None

    folded = source.normalised
    hits: list[tuple[int, int]] = []
    for match in _NUMBER_AND_UNIT.finditer(folded.text):
        start, end = folded.source_span(match.start(), match.end())
        if start < window[0] or end > window[1]:
            continue
        found = quantities(source.text[start:end], field.unit)
        if not found or abs(found[0] - wanted) >= 1e-6 or not unit_matches(match.group(), field.unit):
            continue
        nearby = source.text[max(0, start - _LABEL_WINDOW) : end + _LABEL_AFTER]
        if _label_nearby(pieces, nearby):
            hits.append((start, end))

    if len(hits) != 1:
        return None
    start, end = hits[0]
    end = _trim_unit(source.text, start, end, field.unit)
    return source.evidence(start, end, "normalised", 1.0)


def label_pieces(category: Category) -> dict[str, set[str]]:
    """Map each field to the two-character pieces of its label and description that no other field's label has."""
    own: dict[str, set[str]] = {}
    for field in category.fields:
        words = [_BRACKETED.sub("", field.label.zh)]
        if field.description is not None:
            words.extend(part.strip("（）()") for part in _BRACKETED.findall(field.description.zh))
            words.append(_BRACKETED.sub("", field.description.zh))
        own[field.name] = {word[index : index + 2] for word in words for index in range(len(word) - 1)}

    label_counts: dict[str, int] = {}
    for field in category.fields:
        label = _BRACKETED.sub("", field.label.zh)
        for piece in {label[index : index + 2] for index in range(len(label) - 1)}:
            label_counts[piece] = label_counts.get(piece, 0) + 1
    return {name: {piece for piece in pieces if label_counts.get(piece, 0) < 2} for name, pieces in own.items()}


def mention_pieces(field: CategoryField) -> set[str]:
    """Return the two-character pieces of the field's label without its bracketed unit, shared ones included."""
    label = _BRACKETED.sub("", field.label.zh)
    return {label[index : index + 2] for index in range(len(label) - 1)}


def mentions_field(source: SourceText, evidence: Evidence, pieces: set[str]) -> bool:
    """Check that the evidence, or its sentence just before it, contains a piece of the field's label or description."""
    before = source.text[max(0, evidence.start - _MENTION_BEFORE) : evidence.start]
    # Only the same sentence counts: the previous field's sentence often ends just before.
    before = re.split(r"[。；;！？\n]", before)[-1]
    return _label_nearby(pieces, before + evidence.text)


def _label_nearby(pieces: set[str], nearby: str) -> bool:
    folded = normalise(nearby).text
    return any(piece in folded for piece in pieces)


def _trim_unit(text: str, start: int, end: int, unit: str | None) -> int:
    """Cut the span after the unit, so "60GB、国" ends at "60GB"."""
    span = text[start:end]
    match = re.match(r"[\d.\s]+(?:[A-Za-z]+|个月|分钟|小时|[元月张年GMT兆])?", span)
    return start + len(match.group().rstrip()) if match else end
