"""Tables of the knowledge service: categories created over REST, extracted records and reviewer edits."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base


def _now() -> datetime:
    return datetime.now(UTC)


class CategoryRow(Base):
    """A category defined over REST; it overrides a built-in category of the same name."""

    __tablename__ = "knowledge_categories"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class RecordRow(Base):
    """One document's extracted fields, with the reviewer's decision and current values."""

    __tablename__ = "knowledge_records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    category: Mapped[str] = mapped_column(String(64), index=True)
    document_id: Mapped[str] = mapped_column(String(128))
    filename: Mapped[str] = mapped_column(String(255))
    source_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True, default="draft")
    # The extraction result as the model produced it (list of FieldResult dicts); never changed by review.
    extracted: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Current value of each field: the extracted value, or the reviewer's edit.
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    model: Mapped[str] = mapped_column(String(128))
    reviewer: Mapped[str | None] = mapped_column(String(128), nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class EditRow(Base):
    """A reviewer's value for one field, stored beside the model's original value."""

    __tablename__ = "knowledge_edits"
    __table_args__ = (UniqueConstraint("record_id", "field", name="uq_knowledge_edits_record_field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("knowledge_records.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(64))
    original_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    edited_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    # Evidence spans of the edited value: the reviewer's span, or the original evidence.
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reviewer: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
