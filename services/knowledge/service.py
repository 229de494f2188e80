"""Entry points that tie extraction to storage: used by the REST routes, the job handler and the CLI."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from services.core.db import Database
from services.core.i18n import Language
from services.core.jobs import JobContext, job_handler
from services.core.settings import Settings
from services.documents import Document
from services.knowledge.extraction import ProgressCallback, extract_knowledge
from services.knowledge.models import EditRow, RecordRow
from services.knowledge.options import ExtractionOptions
from services.knowledge.results import ExtractionResult
from services.knowledge.store import CategoryStore, RecordStore
from services.model.client import ModelClient

logger = logging.getLogger(__name__)

EXTRACT_JOB = "knowledge.extract"


class EditOut(BaseModel):
    field: str
    original_value: Any = Field(description="The model's value.")
    edited_value: Any = Field(description="The reviewer's value.")
    evidence: list[dict[str, Any]]
    reviewer: str | None
    updated_at: datetime


class RecordOut(BaseModel):
    """A stored record as the API returns it."""

    id: str
    category: str
    document_id: str
    filename: str
    status: str = Field(description="`draft`, `approved` or `rejected`.")
    values: dict[str, Any] = Field(description="Current value of each field (the reviewer's edit where there is one).")
    fields: list[dict[str, Any]] = Field(description="The extraction result per field, as the model produced it.")
    edits: list[EditOut] = Field(default_factory=list, description="Reviewer edits beside the model's values.")
    warnings: list[str]
    model: str
    reviewer: str | None
    review_note: str | None
    created_at: datetime
    updated_at: datetime
    reviewed_at: datetime | None
    source_text: str | None = Field(
        default=None, description="The document text the spans refer to (record detail only)."
    )


def record_out(row: RecordRow, edits: list[EditRow] | None = None, *, with_source: bool = False) -> RecordOut:
    return RecordOut(
        id=row.id,
        category=row.category,
        document_id=row.document_id,
        filename=row.filename,
        status=row.status,
        values=row.values,
        fields=row.extracted,
        edits=[
            EditOut(
                field=edit.field,
                original_value=edit.original_value,
                edited_value=edit.edited_value,
                evidence=edit.evidence,
                reviewer=edit.reviewer,
                updated_at=edit.updated_at,
            )
            for edit in edits or []
        ],
        warnings=row.warnings,
        model=row.model,
        reviewer=row.reviewer,
        review_note=row.review_note,
        created_at=row.created_at,
        updated_at=row.updated_at,
        reviewed_at=row.reviewed_at,
        source_text=row.source_text if with_source else None,
    )


def extract_and_store(
    *,
    model: ModelClient,
    database: Database,
    category_name: str,
    document: Document,
    options: ExtractionOptions,
    language: Language = "zh",
    progress: ProgressCallback | None = None,
) -> tuple[ExtractionResult, RecordRow]:
    """Extract `category_name` from `document` and store the result as a draft record."""
    category = CategoryStore(database).get(category_name)
    result = extract_knowledge(
        model=model, category=category, document=document, options=options, language=language, progress=progress
    )
    record = RecordStore(database).save(result, source_text=document.text)
    return result, record


@job_handler(EXTRACT_JOB)
def run_extract_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Job: extract a long document; params hold the loaded document, the category and the options."""
    settings: Settings = context.resources["settings"]
    document = Document.model_validate(params["document"])
    options = ExtractionOptions.from_settings(settings, params.get("options"))
    context.report(0.0, "extracting")
    result, record = extract_and_store(
        model=context.resources["model"],
        database=context.resources["database"],
        category_name=params["category"],
        document=document,
        options=options,
        language=params.get("language", "zh"),
        progress=lambda share, message: context.report(0.05 + 0.9 * share, message),
    )
    return {"record_id": record.id, "result": result.model_dump(mode="json")}
