"""Merge the proposals of all chunks for one field; disagreeing grounded values become a conflict."""

from __future__ import annotations

from typing import Any

from services.knowledge.categories import CategoryField
from services.knowledge.grounding import Evidence
from services.knowledge.results import FieldCandidate, FieldResult
from services.knowledge.textnorm import compact

# Confidence by how the evidence was found; a heuristic, not a calibrated probability.
_MATCH_CONFIDENCE = {"exact": 0.95, "normalised": 0.85, "fuzzy": 0.6, "manual": 1.0}
_UNGROUNDED_CONFIDENCE = 0.1


def merge_candidates(field: CategoryField, candidates: list[FieldCandidate], *, label: str) -> FieldResult:
    """Combine per-chunk candidates of `field` into one result."""
    shown = [item for item in candidates if item.status != "not_stated"]
    common: dict[str, Any] = {"name": field.name, "label": label, "type": field.type, "candidates": shown}

    grounded = [item for item in shown if item.status == "grounded"]
    if field.is_list and grounded:
        values, evidence = _union_items(grounded)
        return FieldResult(
            status="grounded", value=values, evidence=evidence, confidence=_confidence(evidence), **common
        )

    groups = _group(grounded)
    if len(groups) == 1:
        best = _best(groups[0])
        return FieldResult(
            status="grounded", value=best.value, evidence=best.evidence, confidence=_confidence(best.evidence), **common
        )
    if len(groups) > 1:
        ranked = sorted(
            groups, key=lambda group: (-len(group), -_confidence(_best(group).evidence), _best(group).chunk)
        )
        best = _best(ranked[0])
        return FieldResult(
            status="conflict",
            value=best.value,
            evidence=best.evidence,
            confidence=round(_confidence(best.evidence) * 0.5, 3),
            conflict=True,
            **common,
        )

    empty = next((item for item in shown if item.status == "empty"), None)
    if empty is not None:
        return FieldResult(
            status="empty", value=empty.value, evidence=empty.evidence, confidence=_confidence(empty.evidence), **common
        )
    for status in ("rejected", "invalid", "ungrounded"):
        if any(item.status == status for item in shown):
            return FieldResult(status=status, confidence=_UNGROUNDED_CONFIDENCE, **common)
    return FieldResult(status="not_stated", confidence=1.0 if not shown else _UNGROUNDED_CONFIDENCE, **common)


def _key(value: Any) -> str:
    return compact(str(value)) if isinstance(value, str) else repr(value)


def _same(first: FieldCandidate, second: FieldCandidate) -> bool:
    """Two grounded candidates state one fact: equal values, nested texts, or overlapping evidence of a text."""
    if _key(first.value) == _key(second.value):
        return True
    if isinstance(first.value, str) and isinstance(second.value, str):
        one, two = _key(first.value), _key(second.value)
        if one in two or two in one:
            return True
        return any(a.start < b.end and b.start < a.end for a in first.evidence for b in second.evidence)
    return False


def _group(candidates: list[FieldCandidate]) -> list[list[FieldCandidate]]:
    groups: list[list[FieldCandidate]] = []
    for candidate in candidates:
        for group in groups:
            if _same(group[0], candidate):
                group.append(candidate)
                break
        else:
            groups.append([candidate])
    return groups


def _best(group: list[FieldCandidate]) -> FieldCandidate:
    return max(group, key=lambda item: (_confidence(item.evidence), len(str(item.value)), -item.chunk))


def _union_items(candidates: list[FieldCandidate]) -> tuple[list[Any], list[Evidence]]:
    values: list[Any] = []
    evidence: list[Evidence] = []
    seen: set[str] = set()
    for candidate in candidates:
        for value, span in zip(candidate.value, candidate.evidence, strict=True):
            key = _key(value)
            if key in seen:
                continue
            seen.add(key)
            values.append(value)
            evidence.append(span)
    return values, evidence


def _confidence(evidence: list[Evidence]) -> float:
    if not evidence:
        return _UNGROUNDED_CONFIDENCE
    scores = [_MATCH_CONFIDENCE[item.match] * (item.score if item.match == "fuzzy" else 1.0) for item in evidence]
    return round(min(scores), 3)
