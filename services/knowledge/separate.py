"""Separate text fields that the model quoted from one sentence.

A small model often quotes a whole sentence for a text field ("套外国内流量3元/GB，
国内通话0.1元/分钟") although another text field of the same document is grounded
on a clause inside it. The clause belongs to that other field, so the first
field's evidence is cut at the clause, and its value follows when the value was
the evidence text itself. A value the model wrote in its own words keeps its
evidence unchanged.
"""

from __future__ import annotations

import logging
import re

from services.knowledge.categories import Category
from services.knowledge.grounding import Evidence, SourceText
from services.knowledge.quantity import mention_pieces
from services.knowledge.results import FieldResult
from services.knowledge.textnorm import compact, fold_width, normalise

logger = logging.getLogger(__name__)

_CLAUSE_END = re.compile(r"[，,；;。！？\n]")
_EDGE = " \t，,；;。：:、"
_CLAUSE = re.compile(r"[^，,；;。！？\n]+")


def separate_text_fields(category: Category, fields: list[FieldResult], source: SourceText) -> list[FieldResult]:
    """Return `fields` with each text value cut where another text field's evidence lies inside its evidence."""
    texts = {
        item.name: item
        for item in fields
        if item.type == "string" and item.status == "grounded" and len(item.evidence) == 1
    }
    separated: list[FieldResult] = []
    for item in fields:
        if item.name not in texts:
            separated.append(item)
            continue
        evidence = item.evidence[0]
        owners = [name for name, other in texts.items() if name != item.name and _inside(other.evidence[0], evidence)]
        if not owners or compact(str(item.value)) != compact(evidence.text):
            separated.append(item)
            continue
        own = _pieces(category, item.name)
        shared = set().union(*(_pieces(category, name) for name in owners))
        narrowed = _cut(source, evidence, [texts[name].evidence[0] for name in owners], own, own - shared)
        if narrowed is None:
            separated.append(item)
            continue
        logger.info("field %s: evidence cut to %r, the rest belongs to other fields", item.name, narrowed.text[:40])
        separated.append(item.model_copy(update={"value": fold_width(narrowed.text), "evidence": [narrowed]}))
    return separated


def _inside(inner: Evidence, outer: Evidence) -> bool:
    return (
        outer.start <= inner.start and inner.end <= outer.end and (inner.start, inner.end) != (outer.start, outer.end)
    )


def _pieces(category: Category, name: str) -> set[str]:
    field = category.field(name)
    return mention_pieces(field) if field is not None else set()


def _cut(
    source: SourceText, evidence: Evidence, inner: list[Evidence], pieces: set[str], distinct: set[str]
) -> Evidence | None:
    """Drop the clauses that hold `inner` spans; keep the remaining run that mentions the field, else the longest.

    Clauses at the start of the run that mention no `distinct` piece (words of
    this field's label that the other fields' labels lack) are context shared
    with the other fields ("超出套餐后，") and are dropped too.
    """
    text = source.text
    claimed = [_clause(text, evidence, span) for span in inner]

    runs: list[tuple[int, int]] = []
    start = evidence.start
    for clause_start, clause_end in sorted(claimed):
        if clause_start > start:
            runs.append((start, clause_start))
        start = max(start, clause_end)
    if start < evidence.end:
        runs.append((start, evidence.end))
    runs = [trimmed for run in runs if (trimmed := _trim(text, run)) is not None]
    if not runs:
        return None

    mentioning = [run for run in runs if any(piece in normalise(text[run[0] : run[1]]).text for piece in pieces)]
    chosen = max(mentioning or runs, key=lambda run: run[1] - run[0])
    chosen = _skip_shared_context(text, chosen, distinct)
    return source.evidence(chosen[0], chosen[1], evidence.match, evidence.score)


def _skip_shared_context(text: str, run: tuple[int, int], distinct: set[str]) -> tuple[int, int]:
    start = run[0]
    for clause in _CLAUSE.finditer(text, run[0], run[1]):
        if any(piece in normalise(clause.group()).text for piece in distinct):
            trimmed = _trim(text, (max(start, clause.start()), run[1]))
            return trimmed or run
    return run


def _clause(text: str, evidence: Evidence, span: Evidence) -> tuple[int, int]:
    """Widen `span` to the clause of `evidence` that contains it."""
    start = span.start
    while start > evidence.start and not _CLAUSE_END.match(text[start - 1]):
        start -= 1
    end = span.end
    while end < evidence.end and not _CLAUSE_END.match(text[end]):
        end += 1
    return start, end


def _trim(text: str, run: tuple[int, int]) -> tuple[int, int] | None:
    start, end = run
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return (start, end) if end > start else None
