"""REST routes of the knowledge service, mounted by the gateway under `/api/v1/knowledge`."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError

from apps.gateway.deps import LanguageDep, ModelDep, PrincipalDep, RunnerDep, SettingsDep, StateDep
from services.core.errors import InvalidInputError, UnsupportedMediaTypeError
from services.core.validation import localised_validation_errors, parse_json_object, single_upload
from services.documents import Document, DocumentOptions, load_document
from services.knowledge.answer import AnswerResult, answer_question
from services.knowledge.categories import Category
from services.knowledge.export import EXPORT_FORMATS, MEDIA_TYPES, export_knowledge
from services.knowledge.options import AnswerOptions, ExtractionOptions
from services.knowledge.results import ExtractionResult
from services.knowledge.review import ReviewRequest, review_record
from services.knowledge.service import EXTRACT_JOB, RecordOut, extract_and_store, record_out
from services.knowledge.store import CategoryStore, RecordStore

logger = logging.getLogger(__name__)

router = APIRouter(tags=["knowledge"])


class ExtractTextRequest(BaseModel):
    """Extraction from text sent as JSON."""

    category: str = Field(description="Name of the category to fill, e.g. `资费套餐`.")
    text: str = Field(description="The document text (Markdown or plain text).")
    filename: str = Field(default="text.md", description="Name used for the record; its extension picks the loader.")
    options: dict[str, Any] = Field(default_factory=dict, description="Overrides of `ExtractionOptions`.")


class ExtractResponse(BaseModel):
    record: RecordOut
    result: ExtractionResult


class JobAccepted(BaseModel):
    job_id: str
    status_url: str
    events_url: str


class RecordList(BaseModel):
    total: int
    items: list[RecordOut]


class AnswerRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2000, description="The customer's question.")
    category: str | None = Field(default=None, description="Only use approved records of this category.")
    options: dict[str, Any] = Field(default_factory=dict, description="Overrides of `AnswerOptions`.")


# --- categories ---------------------------------------------------------------


@router.get("/categories", response_model=list[Category])
def list_categories(state: StateDep) -> list[Category]:
    """List built-in and stored categories."""
    return CategoryStore(state.database).all()


@router.post("/categories", response_model=Category, status_code=status.HTTP_201_CREATED)
def create_category(body: dict[str, Any], state: StateDep) -> Category:
    """Create a category from its definition."""
    return CategoryStore(state.database).create(body)


@router.get("/categories/{name}", response_model=Category)
def get_category(name: str, state: StateDep) -> Category:
    """Return one category."""
    return CategoryStore(state.database).get(name)


@router.put("/categories/{name}", response_model=Category)
def put_category(name: str, body: dict[str, Any], state: StateDep) -> Category:
    """Create or replace a stored category (overriding a built-in one of the same name)."""
    return CategoryStore(state.database).put(name, body)


@router.delete("/categories/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_category(name: str, state: StateDep) -> Response:
    """Delete a stored category."""
    CategoryStore(state.database).delete(name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- extraction -----------------------------------------------------------------


@router.post("/extract", response_model=ExtractResponse, responses={202: {"model": JobAccepted}})
async def extract(
    request: Request,
    state: StateDep,
    settings: SettingsDep,
    runner: RunnerDep,
    model: ModelDep,
    principal: PrincipalDep,
    language: LanguageDep,
) -> Any:
    """Extract a category from an upload (multipart) or JSON text; long documents become a job."""
    category, document, overrides = await _read_extract_input(request, settings)
    options = _options(ExtractionOptions, settings, overrides)
    CategoryStore(state.database).get(category)

    if len(document.text) > options.direct_max_chars:
        params = {
            "category": category,
            "document": document.model_dump(mode="json"),
            "options": overrides,
            "language": language,
        }
        job = runner.submit(EXTRACT_JOB, params, owner=principal.key_id)
        body = JobAccepted(
            job_id=job.id, status_url=f"/api/v1/jobs/{job.id}", events_url=f"/api/v1/jobs/{job.id}/events"
        )
        return JSONResponse(status_code=status.HTTP_202_ACCEPTED, content=body.model_dump())

    result, row = await run_in_threadpool(
        extract_and_store,
        model=model,
        database=state.database,
        category_name=category,
        document=document,
        options=options,
        language=language,
    )
    return ExtractResponse(record=record_out(row), result=result)


async def _read_extract_input(request: Request, settings: SettingsDep) -> tuple[str, Document, dict[str, Any]]:
    limits = DocumentOptions.from_settings(settings)
    content_type = request.headers.get("content-type", "")

    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = single_upload(form, "file")
        category = str(form.get("category") or "")
        if upload is None or form.get("text"):
            raise InvalidInputError("knowledge.no_input")
        overrides = parse_json_object(str(form.get("options") or "{}"), "options")
        data = await upload.read()
        document = await run_in_threadpool(
            load_document, data, upload.filename or "upload", max_bytes=limits.max_bytes, max_chars=limits.max_chars
        )
        return _require_category(category), document, overrides

    if content_type.startswith("application/json"):
        try:
            body = ExtractTextRequest.model_validate(await request.json())
        except (ValidationError, ValueError) as exc:
            raise InvalidInputError("knowledge.no_input") from exc
        if not body.text.strip():
            raise InvalidInputError("knowledge.empty_text")
        document = load_document(
            body.text.encode("utf-8"), body.filename, max_bytes=limits.max_bytes, max_chars=limits.max_chars
        )
        return _require_category(body.category), document, body.options

    raise UnsupportedMediaTypeError(
        "unsupported_media_type", media_type=content_type or "-", accepted="multipart/form-data, application/json"
    )


def _require_category(category: str) -> str:
    if not category.strip():
        raise InvalidInputError(
            "knowledge.invalid_category", category="-", detail="the form field 'category' is missing"
        )
    return category.strip()


def _options(kind: Any, settings: SettingsDep, overrides: dict[str, Any]) -> Any:
    try:
        return kind.from_settings(settings, overrides)
    except ValidationError as exc:
        raise InvalidInputError("invalid_input", reason=localised_validation_errors(exc, ("options",))) from exc


# --- records ----------------------------------------------------------------------


@router.get("/records", response_model=RecordList)
def list_records(
    state: StateDep,
    category: str | None = None,
    status_filter: str | None = Query(default=None, alias="status", description="draft, approved or rejected"),
    limit: int = Query(default=50, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> RecordList:
    """List records, newest first."""
    rows, total = RecordStore(state.database).find(category=category, status=status_filter, limit=limit, offset=offset)
    return RecordList(total=total, items=[record_out(row) for row in rows])


@router.get("/records/export")
def export_records(
    state: StateDep,
    format: str = Query(default="json", description=f"One of: {', '.join(EXPORT_FORMATS)} (jsonl: reviewed pairs)."),
    category: str | None = None,
) -> Response:
    """Export approved knowledge (json, csv, xlsx) or reviewed pairs for fine-tuning (jsonl)."""
    content = export_knowledge(store=RecordStore(state.database), format=format, category=category)
    filename = f"knowledge-{'pairs' if format == 'jsonl' else 'approved'}.{format}"
    return Response(
        content=content,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/records/{record_id}", response_model=RecordOut)
def get_record(record_id: str, state: StateDep) -> RecordOut:
    """Return a record with its fields, edits and source text."""
    store = RecordStore(state.database)
    return record_out(store.get(record_id), store.edits(record_id), with_source=True)


@router.patch("/records/{record_id}", response_model=RecordOut)
def patch_record(record_id: str, body: ReviewRequest, state: StateDep) -> RecordOut:
    """Review a record: set its status and edit field values (the model's values are kept)."""
    store = RecordStore(state.database)
    category = CategoryStore(state.database).get(store.get(record_id).category)
    row = review_record(store=store, category=category, record_id=record_id, request=body)
    return record_out(row, store.edits(record_id), with_source=True)


# --- answering ----------------------------------------------------------------------


@router.post("/answer", response_model=AnswerResult)
async def answer(
    body: AnswerRequest, state: StateDep, settings: SettingsDep, model: ModelDep, language: LanguageDep
) -> AnswerResult:
    """Answer a customer question from approved knowledge with citations, or say that none applies."""
    options = _options(AnswerOptions, settings, body.options)
    return await run_in_threadpool(
        answer_question,
        model=model,
        store=RecordStore(state.database),
        question=body.question,
        options=options,
        category=body.category,
        language=language,
    )
