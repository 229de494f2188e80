"""Job status, cancellation and progress events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sse_starlette.sse import EventSourceResponse

from apps.gateway.deps import JobsDep, LanguageDep, PrincipalDep
from services.core.apikeys import Principal
from services.core.errors import NotFoundError
from services.core.i18n import Language, translate
from services.core.jobs import FINISHED_STATUSES, JobStatus, JobStore
from services.core.models import JobRecord

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])

# Seconds between database polls of a job's state for the event stream.
EVENT_POLL_SECONDS = 0.5


class JobError(BaseModel):
    code: str = Field(description="Stable error code, e.g. `job.interrupted`.")
    message: str = Field(description="The error in the caller's language.")


class JobView(BaseModel):
    id: str
    kind: str
    status: str = Field(description="queued, running, succeeded, failed or cancelled.")
    cancel_requested: bool = Field(
        False,
        description=(
            "True once a cancel was requested. A running job keeps status `running` until it stops "
            "at its next progress report, then becomes `cancelled`."
        ),
    )
    progress: float = Field(description="Fraction done, 0 to 1.")
    message: str = Field(description="Latest progress message from the job.")
    result: dict[str, Any] | None = None
    error: JobError | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


def job_view(job: JobRecord, language: Language) -> JobView:
    error = None
    if job.error:
        code = job.error.get("code", "job.failed")
        error = JobError(code=code, message=translate(code, language, **job.error.get("params", {})))
    return JobView(
        id=job.id,
        kind=job.kind,
        status=job.status,
        cancel_requested=bool(job.cancel_requested),
        progress=job.progress,
        message=job.message,
        result=job.result,
        error=error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def visible_job(jobs: JobStore, job_id: str, principal: Principal) -> JobRecord:
    """Fetch a job the caller may see: its own, or any job for an admin key."""
    job = jobs.get(job_id)
    if not principal.is_admin and job.owner != principal.key_id:
        raise NotFoundError("job.not_found", job_id=job_id)
    return job


@router.get("", response_model=list[JobView])
def list_jobs(
    jobs: JobsDep,
    principal: PrincipalDep,
    language: LanguageDep,
    limit: int = Query(50, ge=1, le=500, description="Maximum number of jobs, newest first."),
    status: JobStatus | None = Query(None, description="Only jobs in this state."),
) -> list[JobView]:
    """List the caller's most recent jobs, optionally only those in one state."""
    owner = None if principal.is_admin else principal.key_id
    return [job_view(job, language) for job in jobs.recent(owner=owner, status=status, limit=limit)]


@router.get("/{job_id}", response_model=JobView)
def get_job(job_id: str, jobs: JobsDep, principal: PrincipalDep, language: LanguageDep) -> JobView:
    """Return a job's status, progress and, once finished, its result or error."""
    return job_view(visible_job(jobs, job_id, principal), language)


@router.delete("/{job_id}", response_model=JobView)
def cancel_job(job_id: str, jobs: JobsDep, principal: PrincipalDep, language: LanguageDep) -> JobView:
    """Cancel a queued job, or ask a running one to stop at its next progress report.

    A queued job comes back `cancelled`. A running job comes back still `running`, with
    `cancel_requested` true, until its next progress report stops it.
    """
    visible_job(jobs, job_id, principal)
    return job_view(jobs.request_cancel(job_id), language)


@router.get("/{job_id}/events")
async def job_events(
    job_id: str, request: Request, jobs: JobsDep, principal: PrincipalDep, language: LanguageDep
) -> EventSourceResponse:
    """Stream `progress` events while the job runs and one `done` event when it ends (Server-Sent Events)."""
    visible_job(jobs, job_id, principal)

    async def events() -> AsyncIterator[dict[str, str]]:
        last: tuple[str, float, str] | None = None
        while True:
            if await request.is_disconnected():
                return
            job = await asyncio.to_thread(jobs.get, job_id)
            view = job_view(job, language)
            state = (view.status, view.progress, view.message)
            if job.status in FINISHED_STATUSES:
                yield {"event": "done", "data": view.model_dump_json()}
                return
            if state != last:
                last = state
                payload = {"status": view.status, "progress": view.progress, "message": view.message}
                yield {"event": "progress", "data": json.dumps(payload, ensure_ascii=False)}
            await asyncio.sleep(EVENT_POLL_SECONDS)

    return EventSourceResponse(events(), ping=15)
