"""REST routes of the meetings service, mounted by the gateway under `/api/v1/meetings`."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

import services.meetings.jobs  # noqa: F401  (registers the meetings.process job)
from apps.gateway.deps import PrincipalDep, RunnerDep, SettingsDep, StateDep
from services.core.errors import InvalidInputError
from services.core.validation import parse_json_object, single_upload
from services.meetings.audio import decode_audio
from services.meetings.jobs import PROCESS_JOB, save_upload
from services.meetings.options import parse_options
from services.meetings.outputs import MEDIA_TYPES, OUTPUT_FORMATS, render
from services.meetings.results import MeetingResult
from services.meetings.store import MeetingStore

logger = logging.getLogger(__name__)

router = APIRouter(tags=["meetings"])


class JobAccepted(BaseModel):
    job_id: str
    status_url: str
    events_url: str


class SpeakerNames(BaseModel):
    names: dict[str, str] = Field(description='Speaker label -> display name, e.g. `{"SPEAKER_00": "王经理"}`.')


@router.post("", status_code=status.HTTP_202_ACCEPTED, response_model=JobAccepted)
async def submit_meeting(
    request: Request, settings: SettingsDep, runner: RunnerDep, principal: PrincipalDep
) -> JSONResponse:
    """Upload a recording (multipart field `file`, JSON field `options`) and return 202 with the job id."""
    form = await request.form()
    upload = single_upload(form, "file")
    if upload is None:
        raise InvalidInputError("meetings.missing_file")
    overrides = parse_json_object(
        str(form.get("options") or "{}"), "options", code="meetings.bad_options", param="detail"
    )
    parse_options(overrides)

    data = await upload.read()
    filename = upload.filename or "upload"
    # Reject bad audio now with its 4xx instead of as a failed job later.
    await run_in_threadpool(
        decode_audio,
        data,
        filename=filename,
        max_seconds=settings.meetings_max_audio_seconds,
        max_bytes=settings.meetings_max_upload_bytes,
    )
    path, digest = await run_in_threadpool(save_upload, data, filename=filename, settings=settings)
    params = {"path": str(path), "filename": filename, "options": overrides, "owner": principal.key_id}
    job = runner.submit(PROCESS_JOB, params, owner=principal.key_id)
    logger.info("meeting upload %s (%s) queued as job %s", filename, digest[:12], job.id)
    body = JobAccepted(job_id=job.id, status_url=f"/api/v1/jobs/{job.id}", events_url=f"/api/v1/jobs/{job.id}/events")
    return JSONResponse(status_code=status.HTTP_202_ACCEPTED, content=body.model_dump())


@router.get("/formats", response_model=list[str])
def list_formats() -> list[str]:
    """Output formats of a meeting."""
    return list(OUTPUT_FORMATS)


@router.get("/{meeting_id}")
def get_meeting(
    meeting_id: str,
    state: StateDep,
    principal: PrincipalDep,
    format: str = Query("json", description="One of json, md, docx, srt, vtt, rttm."),  # noqa: A002
) -> Response:
    """Return a processed meeting in the chosen format, with speaker names applied."""
    if format not in OUTPUT_FORMATS:
        raise InvalidInputError("meetings.bad_format", format=format, accepted=", ".join(OUTPUT_FORMATS))
    store = MeetingStore(state.database)
    store.check_access(meeting_id, owner=principal.key_id, is_admin=principal.is_admin)
    result = store.get(meeting_id)
    headers = {}
    if format != "json":
        headers["Content-Disposition"] = f'attachment; filename="meeting-{meeting_id}.{format}"'
    return Response(content=render(result, format), media_type=MEDIA_TYPES[format], headers=headers)  # type: ignore[arg-type]


@router.patch("/{meeting_id}/speakers", response_model=MeetingResult)
def rename_speakers(meeting_id: str, body: SpeakerNames, state: StateDep, principal: PrincipalDep) -> MeetingResult:
    """Name speaker labels; every output is rendered again with the names."""
    store = MeetingStore(state.database)
    store.check_access(meeting_id, owner=principal.key_id, is_admin=principal.is_admin)
    return store.rename_speakers(meeting_id, body.names)
