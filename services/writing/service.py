"""Entry points shared by the routes, the job and the CLI: outline, draft, and stored documents."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

from services.core.settings import Settings
from services.documents import DocumentOptions
from services.model.client import ModelClient
from services.model.embeddings import build_embeddings
from services.writing.draft import DraftEvent, stream_draft
from services.writing.options import WritingOptions
from services.writing.outline import generate_outline
from services.writing.references import ReferenceSource, load_references
from services.writing.schemas import DocumentType, Draft, Language, Outline
from services.writing.store import WritingStore

logger = logging.getLogger(__name__)


def create_outline(
    model: ModelClient,
    *,
    settings: Settings,
    title: str,
    requirements: str = "",
    document_type: DocumentType = "article",
    language: Language = "zh",
    sources: list[ReferenceSource],
    options: WritingOptions,
    store: WritingStore | None = None,
    owner: str | None = None,
) -> Outline:
    """Load the references, plan the outline and, with a `store`, save both; returns the outline."""
    loaded = load_references(
        sources,
        options=DocumentOptions.from_settings(
            settings, chunk_max_chars=options.passage_max_chars, chunk_overlap_chars=options.passage_overlap_chars
        ),
        max_references=settings.writing_max_references,
    )
    outline = generate_outline(
        model,
        title=title,
        requirements=requirements,
        document_type=document_type,
        language=language,
        references=loaded,
        options=options,
        embeddings=build_embeddings(settings),
    )
    if store is None:
        return outline
    return store.create_outline(outline, [item.reference for item in loaded], owner=owner)


def stream_stored_draft(
    model: ModelClient,
    *,
    settings: Settings,
    store: WritingStore,
    outline_id: str,
    options: WritingOptions,
    owner: str | None,
) -> Iterator[DraftEvent]:
    """Draft the stored (possibly edited) outline; the `done` event carries the saved draft's id."""
    outline, references, version = store.get_outline(outline_id, owner=owner)
    draft_id = uuid.uuid4().hex
    for event in stream_draft(
        model,
        outline=outline,
        references=references,
        options=options,
        embeddings=build_embeddings(settings),
        draft_id=draft_id,
    ):
        if event.event == "done":
            saved = store.save_draft(Draft.model_validate(event.data), outline_version=version, owner=owner)
            yield DraftEvent("done", {"document_id": saved.id, "outline_version": version, **saved.model_dump()})
        else:
            yield event
