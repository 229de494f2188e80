"""Storage of outlines and drafted documents."""

from __future__ import annotations

import logging
import uuid

from services.core.db import Database
from services.core.errors import NotFoundError
from services.core.models import utcnow
from services.writing.models import DocumentRecord, OutlineRecord
from services.writing.outline import check_outline, number_sections
from services.writing.schemas import CitedPassage, Draft, Outline, OutlineUpdate, ReferenceDocument

logger = logging.getLogger(__name__)


class WritingStore:
    """Reads and writes outlines and documents; an owner sees only its own rows (None sees all)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create_outline(self, outline: Outline, references: list[ReferenceDocument], *, owner: str | None) -> Outline:
        record = OutlineRecord(
            id=uuid.uuid4().hex,
            title=outline.title,
            document_type=outline.document_type,
            language=outline.language,
            requirements=outline.requirements,
            structure_source=outline.structure_source,
            sections=[section.model_dump() for section in outline.sections],
            references=[reference.model_dump() for reference in references],
            version=1,
            owner=owner,
        )
        with self.database.session() as session:
            session.add(record)
        logger.info("outline %s stored: %d top-level sections", record.id, len(outline.sections))
        return outline.model_copy(update={"id": record.id})

    def get_outline(self, outline_id: str, *, owner: str | None) -> tuple[Outline, list[ReferenceDocument], int]:
        """Return the outline, its references and its version."""
        record = self._outline_record(outline_id, owner)
        outline = Outline.model_validate(
            {
                "id": record.id,
                "title": record.title,
                "document_type": record.document_type,
                "language": record.language,
                "requirements": record.requirements,
                "structure_source": record.structure_source,
                "sections": record.sections,
            }
        )
        references = [ReferenceDocument.model_validate(item) for item in record.references]
        return outline, references, record.version

    def update_outline(self, outline_id: str, update: OutlineUpdate, *, owner: str | None) -> Outline:
        """Replace the sections (and any other field given); an empty section list is a 422 and changes nothing."""
        current, _references, _version = self.get_outline(outline_id, owner=owner)
        edited = current.model_copy(
            update={
                "sections": update.sections,
                "title": update.title if update.title is not None else current.title,
                "document_type": update.document_type or current.document_type,
                "requirements": update.requirements if update.requirements is not None else current.requirements,
            }
        )
        check_outline(edited)
        number_sections(edited.sections)

        with self.database.session() as session:
            record = session.get(OutlineRecord, outline_id)
            assert record is not None  # checked by get_outline in this request
            record.title = edited.title
            record.document_type = edited.document_type
            record.requirements = edited.requirements
            record.sections = [section.model_dump() for section in edited.sections]
            record.version = record.version + 1
            record.updated_at = utcnow()
        logger.info("outline %s updated", outline_id)
        return edited

    def save_draft(self, draft: Draft, *, outline_version: int, owner: str | None) -> Draft:
        draft_id = draft.id or uuid.uuid4().hex
        stored = draft.model_copy(update={"id": draft_id})
        record = DocumentRecord(
            id=draft_id,
            outline_id=draft.outline_id,
            outline_version=outline_version,
            title=draft.title,
            language=draft.language,
            draft=stored.model_dump(),
            owner=owner,
        )
        with self.database.session() as session:
            session.add(record)
        logger.info("document %s stored from outline %s", draft_id, draft.outline_id or "-")
        return stored

    def get_document(self, document_id: str, *, owner: str | None) -> Draft:
        return Draft.model_validate(self._document_record(document_id, owner).draft)

    def get_cited_passage(self, document_id: str, number: int, *, owner: str | None) -> CitedPassage:
        """Return the whole passage behind citation `number` of a document, read from its outline's references.

        Raises 404 when the document is missing or belongs to another owner,
        when it has no such citation, or when no stored outline contains the passage.
        """
        record = self._document_record(document_id, owner)
        draft = Draft.model_validate(record.draft)
        citation = next((item for item in draft.citations if item.number == number), None)
        if citation is None:
            accepted = ", ".join(str(item.number) for item in draft.citations) or "-"
            raise NotFoundError("writing.citation_not_found", document_id=document_id, number=number, accepted=accepted)

        # The caller may read the document, and its citations belong to it, so the outline is read without an
        # owner check. An admin may have drafted the document from another key's outline.
        with self.database.session() as session:
            outline = session.get(OutlineRecord, record.outline_id) if record.outline_id else None
        references = [ReferenceDocument.model_validate(item) for item in outline.references] if outline else []
        for reference in references:
            for passage in reference.passages:
                if passage.id == citation.passage_id:
                    return CitedPassage(
                        number=number,
                        passage_id=passage.id,
                        document_id=reference.document_id,
                        filename=reference.filename,
                        heading_path=passage.heading_path,
                        text=passage.text,
                        start=passage.start,
                        end=passage.end,
                        page=passage.page,
                    )
        logger.warning(
            "document %s cites passage %s, which its outline %s no longer stores",
            document_id,
            citation.passage_id,
            record.outline_id or "-",
        )
        raise NotFoundError("writing.citation_passage_missing", document_id=document_id, number=number)

    def _document_record(self, document_id: str, owner: str | None) -> DocumentRecord:
        with self.database.session() as session:
            record = session.get(DocumentRecord, document_id)
        if record is None or (owner is not None and record.owner != owner):
            raise NotFoundError("writing.document_not_found", document_id=document_id)
        return record

    def _outline_record(self, outline_id: str, owner: str | None) -> OutlineRecord:
        with self.database.session() as session:
            record = session.get(OutlineRecord, outline_id)
        if record is None or (owner is not None and record.owner != owner):
            raise NotFoundError("writing.outline_not_found", outline_id=outline_id)
        return record
