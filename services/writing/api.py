"""REST routes of the writing service, mounted under /api/v1/writing."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field, ValidationError
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool

from apps.gateway.deps import LanguageDep, ModelDep, PrincipalDep, RunnerDep, SettingsDep, StateDep
from services.core.apikeys import Principal
from services.core.errors import InvalidInputError, Localised, UnsupportedMediaTypeError, XingchenError
from services.core.i18n import Language
from services.core.validation import localised_validation_errors, parse_json_object
from services.writing import jobs as _jobs  # noqa: F401  (registers the writing.draft job)
from services.writing.edit import check_edit_request, parse_operation, stream_edit
from services.writing.export import to_docx, to_markdown
from services.writing.options import EditOptions, ExportOptions, WritingOptions
from services.writing.outline import check_outline
from services.writing.references import ReferenceSource
from services.writing.schemas import (
    CitedPassage,
    DocumentTypeField,
    EditRequest,
    Outline,
    OutlineUpdate,
    ReferenceText,
)
from services.writing.schemas import (
    Language as OutputLanguage,
)
from services.writing.service import create_outline, stream_stored_draft
from services.writing.store import WritingStore

logger = logging.getLogger(__name__)

router = APIRouter(tags=["writing"])

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class OutlineRequest(BaseModel):
    """An outline request with references sent as text (JSON)."""

    title: str = Field(description="Title of the text to write.")
    requirements: str = Field(default="", description="What the text must cover, its audience, its length.")
    document_type: DocumentTypeField = Field(
        default="article", description="notice/通知, request/请示, report/报告, plan/方案 or article/文章."
    )
    language: OutputLanguage | None = Field(
        default=None, description="Output language; empty means the caller's language."
    )
    references: list[ReferenceText] = Field(default_factory=list)
    options: dict[str, Any] = Field(
        default_factory=dict, description="WritingOptions fields that override the defaults."
    )


class DraftRequest(BaseModel):
    outline_id: str
    options: dict[str, Any] = Field(
        default_factory=dict, description="WritingOptions fields that override the defaults."
    )


class JobAccepted(BaseModel):
    job_id: str
    status_url: str
    events_url: str


def _owner(principal: Principal) -> str | None:
    return None if principal.is_admin else principal.key_id


def _writing_options(settings: Any, overrides: dict[str, Any]) -> WritingOptions:
    try:
        return WritingOptions.from_settings(settings, overrides)
    except ValidationError as exc:
        raise InvalidInputError("writing.invalid_request_body", reason=_first_error(exc)) from exc


def _first_error(exc: ValidationError) -> Localised:
    return localised_validation_errors(exc)


@router.post("/outline", response_model=Outline, status_code=201)
async def post_outline(
    request: Request,
    model: ModelDep,
    settings: SettingsDep,
    state: StateDep,
    principal: PrincipalDep,
    language: LanguageDep,
) -> Outline:
    """Plan and store an outline. Send JSON (references as text) or multipart/form-data (reference files)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        body, sources = await _multipart_outline(request, settings.max_document_bytes)
    elif content_type.startswith("application/json"):
        try:
            body = OutlineRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            raise InvalidInputError("writing.invalid_request_body", reason=_first_error(exc)) from exc
        sources = [ReferenceSource.from_text(reference) for reference in body.references]
    else:
        raise UnsupportedMediaTypeError(
            "unsupported_media_type", media_type=content_type or "-", accepted="application/json, multipart/form-data"
        )

    options = _writing_options(settings, body.options)
    store = WritingStore(state.database)
    return await _in_thread(
        create_outline,
        model,
        settings=settings,
        title=body.title,
        requirements=body.requirements,
        document_type=body.document_type,
        language=body.language or language,
        sources=sources,
        options=options,
        store=store,
        owner=_owner(principal),
    )


async def _multipart_outline(request: Request, max_bytes: int) -> tuple[OutlineRequest, list[ReferenceSource]]:
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    options = parse_json_object(fields.get("options") or "{}", "options")
    try:
        body = OutlineRequest.model_validate(
            {
                "title": fields.get("title", ""),
                "requirements": fields.get("requirements", ""),
                "document_type": fields.get("document_type") or "article",
                "language": fields.get("language") or None,
                "options": options,
            }
        )
    except ValidationError as exc:
        raise InvalidInputError("writing.invalid_request_body", reason=_first_error(exc)) from exc

    structure_model = fields.get("structure_model", "")
    sources: list[ReferenceSource] = []
    for upload in form.getlist("files"):
        if isinstance(upload, str):
            continue
        filename = upload.filename or "upload"
        data = await upload.read(max_bytes + 1)
        sources.append(ReferenceSource(filename, data, structure_model == filename))
    if structure_model and not any(source.structure_model for source in sources):
        raise InvalidInputError(
            "writing.structure_model_unknown",
            name=structure_model,
            accepted=", ".join(source.filename for source in sources) or "-",
        )
    return body, sources


@router.get("/outline/{outline_id}", response_model=Outline)
def get_outline(outline_id: str, state: StateDep, principal: PrincipalDep) -> Outline:
    """Return a stored outline."""
    outline, _references, _version = WritingStore(state.database).get_outline(outline_id, owner=_owner(principal))
    return outline


@router.put("/outline/{outline_id}", response_model=Outline)
def put_outline(outline_id: str, update: OutlineUpdate, state: StateDep, principal: PrincipalDep) -> Outline:
    """Replace a stored outline's sections (and title, type or requirements when given); drafting uses this version."""
    return WritingStore(state.database).update_outline(outline_id, update, owner=_owner(principal))


@router.post("/draft", response_model=JobAccepted, status_code=202)
def post_draft(
    body: DraftRequest, settings: SettingsDep, state: StateDep, runner: RunnerDep, principal: PrincipalDep
) -> JobAccepted:
    """Start a draft job for a stored outline; poll the job or follow its events."""
    _check_draftable(state, body.outline_id, principal)
    options = _writing_options(settings, body.options)
    job = runner.submit(
        _jobs.DRAFT_JOB,
        {"outline_id": body.outline_id, "owner": _owner(principal), "options": options.model_dump()},
        owner=principal.key_id,
    )
    return JobAccepted(job_id=job.id, status_url=f"/api/v1/jobs/{job.id}", events_url=f"/api/v1/jobs/{job.id}/events")


@router.post("/draft/stream")
def post_draft_stream(
    body: DraftRequest,
    model: ModelDep,
    settings: SettingsDep,
    state: StateDep,
    principal: PrincipalDep,
    language: LanguageDep,
) -> EventSourceResponse:
    """Draft a stored outline and stream `section_start`, `delta`, `section_done` and `done` events (SSE)."""
    _check_draftable(state, body.outline_id, principal)
    options = _writing_options(settings, body.options)
    events = stream_stored_draft(
        model,
        settings=settings,
        store=WritingStore(state.database),
        outline_id=body.outline_id,
        options=options,
        owner=_owner(principal),
    )
    return EventSourceResponse(_sse(((event.event, event.data) for event in events), language), ping=15)


def _check_draftable(state: Any, outline_id: str, principal: Principal) -> None:
    outline, _references, _version = WritingStore(state.database).get_outline(outline_id, owner=_owner(principal))
    check_outline(outline)


@router.post("/edit/{operation}", response_model=None)
def post_edit(
    operation: str,
    body: EditRequest,
    model: ModelDep,
    settings: SettingsDep,
    language: LanguageDep,
    stream: Annotated[
        bool, Query(description="Stream SSE `delta` events and a `done` event; false returns JSON.")
    ] = True,
) -> Response | EventSourceResponse:
    """Expand, continue, rewrite, polish or shorten a selection; the `done` event carries the replacement."""
    checked = parse_operation(operation)
    options = EditOptions(max_tokens=settings.writing_edit_max_tokens)
    output_language = body.language or language
    check_edit_request(checked, body, options)
    events = stream_edit(model, operation=checked, request=body, language=output_language, options=options)
    if not stream:
        result = next(event.data for event in events if event.event == "done")
        return Response(json.dumps(result, ensure_ascii=False), media_type="application/json")
    return EventSourceResponse(_sse(((event.event, event.data) for event in events), language), ping=15)


@router.get("/documents/{document_id}", response_model=None)
def get_document(
    document_id: str,
    state: StateDep,
    principal: PrincipalDep,
    format: Annotated[Literal["markdown", "docx", "json"], Query(description="markdown, docx or json.")] = "markdown",
    layout: Annotated[
        Literal["standard", "official"], Query(description="official: Chinese official-document layout.")
    ] = "standard",
    citations: Annotated[bool, Query(description="Append the list of cited passages.")] = True,
) -> Response:
    """Return a drafted document as Markdown, .docx or JSON."""
    draft = WritingStore(state.database).get_document(document_id, owner=_owner(principal))
    options = ExportOptions(layout=layout, include_citations=citations)
    if format == "docx":
        headers = {"Content-Disposition": f'attachment; filename="{document_id}.docx"'}
        return Response(to_docx(draft, options), media_type=DOCX_MEDIA_TYPE, headers=headers)
    if format == "json":
        return Response(draft.model_dump_json(), media_type="application/json")
    return Response(to_markdown(draft, options), media_type="text/markdown; charset=utf-8")


@router.get("/documents/{document_id}/citations/{number}", response_model=CitedPassage)
def get_cited_passage(document_id: str, number: int, state: StateDep, principal: PrincipalDep) -> CitedPassage:
    """Return the whole reference passage behind citation `number` of a drafted document."""
    return WritingStore(state.database).get_cited_passage(document_id, number, owner=_owner(principal))


async def _sse(events: Iterator[tuple[str, dict[str, Any]]], language: Language) -> AsyncIterator[dict[str, str]]:
    """Serialise events for SSE; an error after the stream began becomes an `error` event."""
    try:
        async for name, data in iterate_in_threadpool(events):
            yield {"event": name, "data": json.dumps(data, ensure_ascii=False, default=str)}
    except XingchenError as exc:
        logger.warning("writing stream failed: %s", exc.code)
        payload = {"code": exc.code, "status": exc.status, "detail": exc.message(language)}
        yield {"event": "error", "data": json.dumps(payload, ensure_ascii=False)}


async def _in_thread(function: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a blocking call (model, database) off the event loop."""
    return await asyncio.to_thread(function, *args, **kwargs)
