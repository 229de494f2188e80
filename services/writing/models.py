"""Tables of the writing service: stored outlines (with their references) and drafted documents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base
from services.core.models import utcnow


class OutlineRecord(Base):
    __tablename__ = "writing_outlines"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    document_type: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(8))
    requirements: Mapped[str] = mapped_column(Text, default="")
    structure_source: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The section tree as `OutlineSection` JSON.
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Each reference as `ReferenceDocument` JSON, passages included, so drafting needs no re-upload.
    references: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Incremented by every PUT, so a client can tell which version a draft used.
    version: Mapped[int] = mapped_column(Integer, default=1)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DocumentRecord(Base):
    __tablename__ = "writing_documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    outline_id: Mapped[str | None] = mapped_column(
        String(32), ForeignKey("writing_outlines.id", ondelete="SET NULL"), nullable=True, index=True
    )
    outline_version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    # The whole `Draft` as JSON: sections, citations and timing.
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
