"""Storage of categories, extracted records and reviewer edits (SQLAlchemy)."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import func, select

from services.core.db import Database
from services.core.errors import ConflictError, InvalidInputError, NotFoundError
from services.knowledge.categories import Category, builtin_categories, parse_category
from services.knowledge.models import CategoryRow, EditRow, RecordRow
from services.knowledge.results import ExtractionResult

logger = logging.getLogger(__name__)

RecordStatus = Literal["draft", "approved", "rejected"]
RECORD_STATUSES: tuple[str, ...] = ("draft", "approved", "rejected")


class CategoryStore:
    """Built-in categories merged with those stored in the database (stored ones win)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def all(self) -> list[Category]:
        categories = dict(builtin_categories())
        with self.database.session() as session:
            for row in session.scalars(select(CategoryRow).order_by(CategoryRow.name)):
                categories[row.name] = parse_category(dict(row.definition))
        return list(categories.values())

    def get(self, name: str) -> Category:
        with self.database.session() as session:
            row = session.get(CategoryRow, name)
        if row is not None:
            return parse_category(dict(row.definition))
        builtin = builtin_categories().get(name)
        if builtin is None:
            known = ", ".join(item.name for item in self.all())
            raise NotFoundError("knowledge.category_not_found", category=name, known=known)
        return builtin

    def create(self, data: dict[str, Any]) -> Category:
        category = parse_category(data)
        if category.name in builtin_categories() or self._stored(category.name):
            raise ConflictError("knowledge.category_exists", category=category.name)
        with self.database.session() as session:
            session.add(CategoryRow(name=category.name, definition=_definition(category)))
        logger.info("knowledge category %s created with %d fields", category.name, len(category.fields))
        return category

    def put(self, name: str, data: dict[str, Any]) -> Category:
        """Create or replace the stored definition of `name` (overriding a built-in one)."""
        category = parse_category({**data, "name": name})
        with self.database.session() as session:
            row = session.get(CategoryRow, name)
            if row is None:
                session.add(CategoryRow(name=name, definition=_definition(category)))
            else:
                row.definition = _definition(category)
        logger.info("knowledge category %s stored with %d fields", name, len(category.fields))
        return category

    def delete(self, name: str) -> None:
        with self.database.session() as session:
            row = session.get(CategoryRow, name)
            if row is not None:
                session.delete(row)
                logger.info("knowledge category %s deleted", name)
                return
        if name in builtin_categories():
            raise ConflictError("knowledge.category_builtin", category=name)
        raise NotFoundError("knowledge.category_not_found", category=name, known=", ".join(c.name for c in self.all()))

    def _stored(self, name: str) -> bool:
        with self.database.session() as session:
            return session.get(CategoryRow, name) is not None


def _definition(category: Category) -> dict[str, Any]:
    return category.model_dump(mode="json", exclude={"builtin"})


class RecordStore:
    """Extracted records, their review status and the reviewer edits."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, result: ExtractionResult, *, source_text: str) -> RecordRow:
        row = RecordRow(
            id=uuid.uuid4().hex,
            category=result.category,
            document_id=result.document_id,
            filename=result.filename[:255],
            source_text=source_text,
            status="draft",
            extracted=[field.model_dump(mode="json") for field in result.fields],
            values={field.name: field.value for field in result.fields},
            warnings=list(result.warnings),
            model=result.model[:128],
        )
        with self.database.session() as session:
            session.add(row)
        logger.info("knowledge record %s stored (category %s, document %s)", row.id, row.category, row.document_id)
        return row

    def get(self, record_id: str) -> RecordRow:
        with self.database.session() as session:
            row = session.get(RecordRow, record_id)
        if row is None:
            raise NotFoundError("knowledge.record_not_found", record_id=record_id)
        return row

    def find(
        self, *, category: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[RecordRow], int]:
        if status is not None and status not in RECORD_STATUSES:
            raise InvalidInputError("knowledge.bad_status", status=status, accepted=", ".join(RECORD_STATUSES))
        query = select(RecordRow)
        if category is not None:
            query = query.where(RecordRow.category == category)
        if status is not None:
            query = query.where(RecordRow.status == status)
        with self.database.session() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = list(
                session.scalars(query.order_by(RecordRow.created_at.desc(), RecordRow.id).limit(limit).offset(offset))
            )
        return rows, int(total)

    def edits(self, record_id: str | None = None) -> list[EditRow]:
        query = select(EditRow).order_by(EditRow.record_id, EditRow.id)
        if record_id is not None:
            query = query.where(EditRow.record_id == record_id)
        with self.database.session() as session:
            return list(session.scalars(query))

    def review(
        self,
        record_id: str,
        *,
        status: RecordStatus | None,
        values: dict[str, Any],
        spans: dict[str, list[dict[str, Any]]],
        reviewer: str | None,
        note: str | None,
    ) -> RecordRow:
        """Apply a review: new field values (already converted and checked) and/or a status.

        The model's original value of each edited field is kept in `knowledge_edits`;
        editing a field again replaces the edited value and keeps the original.
        """
        now = datetime.now(UTC)
        with self.database.session() as session:
            row = session.get(RecordRow, record_id)
            if row is None:
                raise NotFoundError("knowledge.record_not_found", record_id=record_id)
            originals = {item["name"]: item for item in row.extracted}
            current = dict(row.values)

            for name, value in values.items():
                edit = session.scalar(select(EditRow).where(EditRow.record_id == record_id, EditRow.field == name))
                evidence = spans.get(name, originals[name].get("evidence", []))
                if edit is None:
                    session.add(
                        EditRow(
                            record_id=record_id,
                            field=name,
                            original_value=originals[name].get("value"),
                            edited_value=value,
                            evidence=evidence,
                            reviewer=reviewer,
                        )
                    )
                else:
                    edit.edited_value = value
                    edit.evidence = evidence
                    edit.reviewer = reviewer
                current[name] = value

            row.values = current
            if status is not None:
                row.status = status
                row.reviewed_at = now if status != "draft" else None
            if reviewer is not None:
                row.reviewer = reviewer[:128]
            if note is not None:
                row.review_note = note
            row.updated_at = now
        logger.info(
            "knowledge record %s reviewed: status=%s, %d fields edited", record_id, status or "unchanged", len(values)
        )
        return self.get(record_id)

    def reviewed(self, *, category: str | None = None) -> list[RecordRow]:
        query = select(RecordRow).where(RecordRow.status.in_(("approved", "rejected"))).order_by(RecordRow.created_at)
        if category is not None:
            query = query.where(RecordRow.category == category)
        with self.database.session() as session:
            return list(session.scalars(query))

    def approved(self, *, category: str | None = None) -> list[RecordRow]:
        rows, _ = self.find(category=category, status="approved", limit=100_000)
        return rows
