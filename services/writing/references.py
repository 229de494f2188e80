"""Turn uploaded files or texts into reference documents cut into passages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from services.core.errors import CallerError, InvalidInputError, NotFoundError
from services.documents import Document, DocumentOptions, chunk_document, load_document
from services.writing.schemas import ReferenceDocument, ReferenceText

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReferenceSource:
    """One reference as received: raw bytes with a filename, and whether to imitate its structure."""

    filename: str
    data: bytes
    structure_model: bool = False

    @classmethod
    def from_text(cls, reference: ReferenceText) -> ReferenceSource:
        return cls(reference.filename, reference.text.encode("utf-8"), reference.structure_model)

    @classmethod
    def from_path(cls, path: Path, *, structure_model: bool = False) -> ReferenceSource:
        """Read a reference file; a missing or unreadable file is a 4xx error naming it."""
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFoundError("documents.file_not_found", path=str(path)) from exc
        except OSError as exc:
            raise InvalidInputError(
                "writing.reference_unreadable", filename=str(path), reason=exc.strerror or str(exc)
            ) from exc
        return cls(path.name, data, structure_model)


@dataclass(frozen=True)
class LoadedReference:
    document: Document
    reference: ReferenceDocument


def load_references(
    sources: list[ReferenceSource], *, options: DocumentOptions, max_references: int
) -> list[LoadedReference]:
    """Load and chunk every source, in input order.

    Raises a 4xx error naming the file when one cannot be read: the documents
    service's codes (empty, too large, corrupt, wrong type) all name the file.
    A reference whose bytes repeat an earlier one is skipped, because its
    passages would have the same ids.
    """
    if len(sources) > max_references:
        raise InvalidInputError("writing.too_many_references", count=len(sources), limit=max_references)

    loaded: list[LoadedReference] = []
    seen: set[str] = set()
    for source in sources:
        if source.data and not source.data.strip():
            raise InvalidInputError("writing.reference_empty", filename=source.filename)
        try:
            document = load_document(
                source.data,
                source.filename,
                max_bytes=options.max_bytes,
                max_chars=options.max_chars,
                max_unpacked_bytes=options.max_unpacked_bytes,
            )
        except CallerError as exc:
            logger.info("reference %s rejected: %s", source.filename, exc.code)
            raise
        if document.id in seen:
            logger.info("reference %s repeats an earlier reference (id %s); skipped", source.filename, document.id)
            continue
        seen.add(document.id)

        passages = chunk_document(
            document, max_chars=options.chunk_max_chars, overlap_chars=options.chunk_overlap_chars
        )
        reference = ReferenceDocument(
            document_id=document.id,
            filename=document.filename,
            structure_model=source.structure_model,
            passages=passages,
        )
        loaded.append(LoadedReference(document=document, reference=reference))
        logger.info("reference %s loaded: %d passages", document.filename, len(passages))
    return loaded
