"""Review a record: check the reviewer's values against the category and source, then store them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from services.core.errors import InvalidInputError
from services.knowledge.categories import Category
from services.knowledge.models import RecordRow
from services.knowledge.store import RecordStatus, RecordStore
from services.knowledge.values import ValueNotConvertible, convert_value


class ReviewRequest(BaseModel):
    """A reviewer's decision on a record."""

    status: RecordStatus | None = Field(default=None, description="New status: `draft`, `approved` or `rejected`.")
    values: dict[str, Any] = Field(
        default_factory=dict,
        description="Field name to the reviewer's value (text or typed JSON; null means not stated).",
    )
    spans: dict[str, list[int]] = Field(
        default_factory=dict,
        description="Field name to `[start, end]`: the source span that supports the reviewer's value.",
    )
    reviewer: str | None = Field(default=None, max_length=128, description="Who reviewed the record.")
    note: str | None = Field(default=None, max_length=2000, description="The reviewer's note.")


def review_record(*, store: RecordStore, category: Category, record_id: str, request: ReviewRequest) -> RecordRow:
    """Convert and check the reviewer's values, then store them beside the model's originals."""
    record = store.get(record_id)
    accepted = ", ".join(category.field_names)

    values: dict[str, Any] = {}
    for name, raw in request.values.items():
        field = category.field(name)
        if field is None:
            raise InvalidInputError("knowledge.unknown_field", category=category.name, field=name, accepted=accepted)
        try:
            values[name] = convert_value(field, raw)
        except ValueNotConvertible as exc:
            raise InvalidInputError(
                "knowledge.bad_field_value", field=name, value=raw, type=field.type, reason=str(exc)
            ) from exc

    spans: dict[str, list[dict[str, Any]]] = {}
    for name, span in request.spans.items():
        if category.field(name) is None:
            raise InvalidInputError("knowledge.unknown_field", category=category.name, field=name, accepted=accepted)
        if len(span) != 2 or not 0 <= span[0] < span[1] <= len(record.source_text):
            raise InvalidInputError(
                "knowledge.bad_field_value",
                field=name,
                value=span,
                type="[start, end]",
                reason=f"the span must satisfy 0 <= start < end <= {len(record.source_text)}",
            )
        start, end = span
        spans[name] = [
            {"text": record.source_text[start:end], "start": start, "end": end, "match": "manual", "score": 1.0}
        ]

    return store.review(
        record_id, status=request.status, values=values, spans=spans, reviewer=request.reviewer, note=request.note
    )
