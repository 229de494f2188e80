"""Tables the analytics service owns: stored sources, glossary terms, examples and conversation turns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.db import Base
from services.core.models import utcnow


class SourceRecord(Base):
    """A data source registered over REST (sources from settings are not stored)."""

    __tablename__ = "analytics_sources"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    allowed_tables: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    row_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timeout_seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GlossaryRecord(Base):
    """A business term: what it means and the SQL fragment that computes it."""

    __tablename__ = "analytics_glossary"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # Empty source means the term applies to every source.
    source: Mapped[str] = mapped_column(String(64), default="", index=True)
    term: Mapped[str] = mapped_column(String(128))
    meaning: Mapped[str] = mapped_column(Text, default="")
    sql_fragment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExampleRecord(Base):
    """A question with the SQL that answers it, shown to the model for similar questions."""

    __tablename__ = "analytics_examples"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(64), index=True)
    question: Mapped[str] = mapped_column(Text)
    sql: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TurnRecord(Base):
    """One answered question of a conversation, with its result rows for paging and reports."""

    __tablename__ = "analytics_turns"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    sql: Mapped[str] = mapped_column(Text)
    columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    rows: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    chart: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    analysis: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    owner: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
