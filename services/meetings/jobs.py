"""The `meetings.process` job: the same task for the gateway's thread pool and Celery workers."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from services.core.errors import NotFoundError
from services.core.jobs import JobContext, job_handler
from services.core.settings import Settings
from services.meetings.options import parse_options
from services.meetings.pipeline import process_meeting
from services.meetings.store import MeetingStore

logger = logging.getLogger(__name__)

PROCESS_JOB = "meetings.process"


def upload_dir(settings: Settings) -> Path:
    return settings.data_dir / "meetings" / "uploads"


def save_upload(data: bytes, *, filename: str, settings: Settings) -> tuple[Path, str]:
    """Keep an uploaded recording under the data dir, named by its SHA-256; returns path and hash."""
    digest = hashlib.sha256(data).hexdigest()
    folder = upload_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}{Path(filename).suffix.lower()[:8]}"
    if not path.exists():
        path.write_bytes(data)
    return path, digest


@job_handler(PROCESS_JOB)
def run_process_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Process the recording at `params["path"]` and store the result; returns the meeting id and facts."""
    settings: Settings = context.resources["settings"]
    path = Path(params["path"])
    if not path.is_file():
        logger.error("job %s: uploaded recording %s is missing", context.job_id, path)
        raise NotFoundError("meetings.upload_missing", path=str(path))
    data = path.read_bytes()
    options = parse_options(params.get("options"))
    result = process_meeting(
        data,
        filename=params.get("filename") or path.name,
        options=options,
        settings=settings,
        model=context.resources.get("model"),
        progress=context.report,
    )
    digest = hashlib.sha256(data).hexdigest()
    meeting_id = MeetingStore(context.resources["database"]).save(
        result, content_sha256=digest, owner=params.get("owner"), job_id=context.job_id
    )
    return {
        "meeting_id": meeting_id,
        "content_sha256": digest,
        "duration": result.transcript.duration,
        "speakers": result.transcript.speakers,
        "notes": result.transcript.notes,
        "result": result.model_dump(mode="json") if params.get("return_result") else None,
    }
