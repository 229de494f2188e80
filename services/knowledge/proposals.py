"""Judge one chunk's proposal for a field: ground the quote and value, convert, check support."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from services.knowledge.categories import CategoryField
from services.knowledge.grounding import Evidence, SourceText, locate
from services.knowledge.injection import overlaps
from services.knowledge.quantity import locate_quantity, mentions_field
from services.knowledge.results import FieldCandidate
from services.knowledge.support import entity_problem, quantities, supports, text_overlap, value_from_evidence
from services.knowledge.textnorm import normalise
from services.knowledge.values import ValueNotConvertible, convert_value, split_list

logger = logging.getLogger(__name__)

# A text value that is only a decimal, such as "0.1", is a fragment of the value (a
# phone number or an account of digits alone is a whole value).
_NUMBER_ONLY = re.compile(r"^\d+\.\d+$")


@dataclass(frozen=True)
class ProposalJudge:
    """Judge proposals against one source document; the same rules hold for first answers and follow-ups."""

    source: SourceText
    suspicious: list[tuple[int, int]]
    fuzzy_threshold: float
    pieces: dict[str, set[str]]

    def __call__(
        self, field: CategoryField, quote: str | None, raw: Any, *, chunk: int, window: tuple[int, int]
    ) -> FieldCandidate:
        return judge_proposal(
            field,
            self.source,
            quote=quote,
            raw=raw,
            chunk=chunk,
            window=window,
            suspicious=self.suspicious,
            fuzzy_threshold=self.fuzzy_threshold,
            label_pieces=self.pieces.get(field.name),
        )


def judge_proposal(
    field: CategoryField,
    source: SourceText,
    *,
    quote: str | None,
    raw: Any,
    chunk: int,
    window: tuple[int, int],
    suspicious: list[tuple[int, int]],
    fuzzy_threshold: float,
    label_pieces: set[str] | None = None,
) -> FieldCandidate:
    """Turn the model's `(quote, raw value)` for `field` into a candidate with a status and evidence."""
    quote = quote.strip() if isinstance(quote, str) and quote.strip() else None
    base = {"raw": raw, "quote": quote, "chunk": chunk}
    if quote is None and (raw is None or raw == "" or raw == []):
        return FieldCandidate(status="not_stated", **base)

    quote_evidence = locate(source, quote, window=window, fuzzy_threshold=fuzzy_threshold) if quote else None
    if field.is_list:
        candidate = _judge_list(field, source, raw, quote_evidence, window, fuzzy_threshold, base)
    else:
        candidate = _judge_scalar(field, source, raw, quote_evidence, window, fuzzy_threshold, label_pieces, base)

    if candidate.status in {"grounded", "empty"} and any(
        overlaps((item.start, item.end), suspicious) for item in candidate.evidence
    ):
        logger.warning("field %s: evidence lies in instruction-like text; value rejected", field.name)
        return candidate.model_copy(
            update={"status": "rejected", "reason": "evidence lies in an instruction-like sentence of the document"}
        )
    return candidate


def _judge_scalar(
    field: CategoryField,
    source: SourceText,
    raw: Any,
    quote_evidence: Evidence | None,
    window: tuple[int, int],
    fuzzy_threshold: float,
    label_pieces: set[str] | None,
    base: dict[str, Any],
) -> FieldCandidate:
    evidence = quote_evidence
    if field.type == "string" and isinstance(raw, str) and raw.strip():
        # The embedded model drops the zero of a decimal (".15 元/分钟" for "0.15 元/分钟").
        raw = re.sub(r"^\.(?=\d)", "0.", raw.strip())
        fragment = _clause_with(source, quote_evidence, raw) if _NUMBER_ONLY.match(raw) else None
        located = fragment or locate(source, raw, window=window, fuzzy_threshold=fuzzy_threshold)
        if located is not None:
            # The value itself is the tightest span when the model copied it, and
            # a bare number stands for the clause of the quote that contains it.
            evidence = located
            raw = None if fragment is not None else raw
        elif quote_evidence is not None:
            # A value the text does not contain (a paraphrase) gives way to the quote.
            raw = None
    is_number = field.type in {"number", "integer"}
    if evidence is not None and is_number and label_pieces and not mentions_field(source, evidence, label_pieces):
        # The small model sometimes shifts by one field and quotes the next field's sentence.
        logger.info("field %s: evidence %r does not mention the field; quote ignored", field.name, evidence.text[:40])
        evidence = None
    if evidence is None and is_number and raw is not None and label_pieces:
        evidence = locate_quantity(field, source, raw, window, label_pieces)
    if evidence is None:
        return FieldCandidate(
            status="ungrounded", reason="neither the quote nor the value was found in the text", **base
        )

    if raw is None or (isinstance(raw, str) and not raw.strip() and field.type != "string"):
        try:
            value = value_from_evidence(field, evidence.text)
        except ValueNotConvertible as exc:
            return FieldCandidate(status="invalid", evidence=[evidence], reason=str(exc), **base)
    else:
        try:
            value = convert_value(field, raw)
        except ValueNotConvertible as exc:
            if not is_number:
                return FieldCandidate(status="invalid", evidence=[evidence], reason=str(exc), **base)
            # A number field's value that is no number ("value", "见上") counts as missing.
            try:
                value = value_from_evidence(field, evidence.text)
            except ValueNotConvertible:
                return FieldCandidate(status="invalid", evidence=[evidence], reason=str(exc), **base)

    if value == "":
        return FieldCandidate(status="empty", value="", evidence=[evidence], **base)
    problem = entity_problem(field, value)
    if problem is not None:
        # A name or number field answered with the sentence around it ("您好，我是张先生"): asked again.
        return FieldCandidate(status="invalid", evidence=[evidence], reason=problem, **base)
    if supports(field, value, evidence.text):
        return FieldCandidate(status="grounded", value=value, evidence=[evidence], **base)

    # A number in another unit, or a figure the evidence does not state: when the
    # evidence contains exactly one quantity, that quantity is the value it supports.
    if field.type in {"number", "integer"} and len(quantities(evidence.text, field.unit, with_unit=True)) == 1:
        try:
            value = value_from_evidence(field, evidence.text)
        except ValueNotConvertible:
            pass
        else:
            return FieldCandidate(
                status="grounded",
                value=value,
                evidence=[evidence],
                reason=f"value {raw!r} is not stated by the evidence; read {value} from it",
                **base,
            )
    return FieldCandidate(status="ungrounded", reason=f"the evidence does not state {raw!r}", **base)


def _clause_with(source: SourceText, evidence: Evidence | None, number: str) -> Evidence | None:
    """Return the one clause of `evidence` that contains `number` as a whole number, or None."""
    if evidence is None:
        return None
    found: list[tuple[int, int]] = []
    start = evidence.start
    for part in re.split(r"([，,；;。])", evidence.text):
        end = start + len(part)
        if re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", normalise(part).text):
            found.append((start, end))
        start = end
    if len(found) != 1:
        return None
    return source.evidence(found[0][0], found[0][1], evidence.match, evidence.score)


def _judge_list(
    field: CategoryField,
    source: SourceText,
    raw: Any,
    quote_evidence: Evidence | None,
    window: tuple[int, int],
    fuzzy_threshold: float,
    base: dict[str, Any],
) -> FieldCandidate:
    # An item the model wrote as "A或B" or "A、B" is two items.
    texts = [str(item) for item in raw] if isinstance(raw, list) else [str(raw or "")]
    items: list[str] = [part for text in texts for part in split_list(text)]
    items = [item for item in items if item]
    if raw is None and quote_evidence is not None:
        try:
            derived = value_from_evidence(field, quote_evidence.text)
        except ValueNotConvertible as exc:
            return FieldCandidate(status="invalid", evidence=[quote_evidence], reason=str(exc), **base)
        items = [str(item) for item in derived]
    if not items:
        if quote_evidence is not None:
            return FieldCandidate(status="empty", value=[], evidence=[quote_evidence], **base)
        return FieldCandidate(status="ungrounded", reason="the quote was not found in the text", **base)

    values: list[Any] = []
    evidence: list[Evidence] = []
    missing: list[str] = []
    for item in items:
        found = locate(source, item, window=window, fuzzy_threshold=fuzzy_threshold)
        if found is None and quote_evidence is not None and text_overlap(item, quote_evidence.text) >= 0.8:
            found = quote_evidence
        try:
            converted = convert_value(field, [item])
        except ValueNotConvertible:
            converted = []
        if found is None or not converted:
            missing.append(item)
            continue
        values.append(converted[0])
        evidence.append(found)

    if not values:
        return FieldCandidate(status="ungrounded", reason=f"no item was found in the text: {missing}", **base)
    reason = f"items not found in the text were dropped: {missing}" if missing else None
    return FieldCandidate(status="grounded", value=values, evidence=evidence, reason=reason, **base)
