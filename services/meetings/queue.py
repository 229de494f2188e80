"""Batch files processed by Celery workers: the `meetings.process` job sent over the broker."""

from __future__ import annotations

import logging
import time
from typing import Any

from services.core.celery_jobs import CeleryJobRunner, create_celery
from services.core.db import Database
from services.core.errors import XingchenError
from services.core.jobs import JobStore
from services.core.settings import Settings
from services.meetings.jobs import PROCESS_JOB, save_upload
from services.meetings.results import MeetingResult

logger = logging.getLogger(__name__)


class JobFailedError(XingchenError):
    """A queued job ended failed; carries the stored error code and parameters."""

    status = 422


class QueueProcessor:
    """A `FileProcessor` that sends each file to Celery workers and waits for the result.

    NOTE: the recording is stored under `data_dir`, so workers on other machines
    need that folder shared (NFS, a mounted volume) with the submitting machine.
    """

    def __init__(self, settings: Settings, options: dict[str, Any], *, poll_seconds: float = 0.5) -> None:
        self.settings = settings
        self.options = options
        self.poll_seconds = poll_seconds
        self.database = Database(settings.resolved_database_url)
        self.database.upgrade()
        self.runner = CeleryJobRunner(
            JobStore(self.database), celery=create_celery(settings), broker_url=settings.broker_url
        )

    def __call__(self, data: bytes, *, filename: str, progress: Any) -> MeetingResult:
        path, _ = save_upload(data, filename=filename, settings=self.settings)
        params = {"path": str(path), "filename": filename, "options": self.options, "return_result": True}
        job = self.runner.submit(PROCESS_JOB, params, owner="batch")
        logger.info("batch file %s sent as job %s", filename, job.id)
        while True:
            current = self.runner.store.get(job.id)
            if current.status == "succeeded":
                assert current.result is not None
                return MeetingResult.model_validate(current.result["result"])
            if current.status in {"failed", "cancelled"}:
                error = current.error or {"code": "job.failed", "params": {}}
                raise JobFailedError(error["code"], **error.get("params", {}))
            progress(current.progress, current.message or current.status)
            time.sleep(self.poll_seconds)

    def close(self) -> None:
        self.database.dispose()
