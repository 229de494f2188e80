"""Jobs: work that outlives a request, stored in the `jobs` table.

A job function is registered under a kind with `@job_handler("meetings.process")`
and receives a `JobContext` for progress reports and cancellation checks. The
same `execute_job` entry point runs it in the local thread pool or, past one
machine, in a Celery worker, so both paths share one behaviour.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from sqlalchemy import select, update

from services.core.db import Database, rows_changed
from services.core.errors import ConflictError, NotFoundError, XingchenError
from services.core.logging import job_id_var
from services.core.models import JobRecord

logger = logging.getLogger(__name__)

JobStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]
FINISHED_STATUSES: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})

JobFunction = Callable[["JobContext", dict[str, Any]], dict[str, Any]]

_handlers: dict[str, JobFunction] = {}


def job_handler(kind: str) -> Callable[[JobFunction], JobFunction]:
    """Register `function` as the handler of jobs of `kind`."""

    def register(function: JobFunction) -> JobFunction:
        _handlers[kind] = function
        return function

    return register


def registered_kinds() -> list[str]:
    return sorted(_handlers)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobCancelled(Exception):
    """Raised inside a job function when a cancel was requested."""


@dataclass
class JobContext:
    """Handle given to a running job function: progress reports, cancellation checks and shared resources."""

    job_id: str
    store: JobStore
    resources: dict[str, Any] = field(default_factory=dict)

    def report(self, progress: float, message: str = "") -> None:
        """Store progress (0–1) and a short message, then stop here if a cancel was requested."""
        self.store.set_progress(self.job_id, progress, message)
        self.check_cancelled()

    def check_cancelled(self) -> None:
        if self.store.cancel_requested(self.job_id):
            raise JobCancelled(self.job_id)


class JobStore:
    """Reads and writes job rows; safe to share between threads."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def create(self, kind: str, params: dict[str, Any], *, owner: str | None, backend: str) -> JobRecord:
        if kind not in _handlers:
            raise XingchenError("job.unknown_kind", kind=kind, known=", ".join(registered_kinds()))
        job = JobRecord(
            id=uuid.uuid4().hex,
            kind=kind,
            status="queued",
            progress=0.0,
            message="",
            params=params,
            owner=owner,
            worker=worker_identity() if backend == "local" else None,
            backend=backend,
        )
        with self.database.session() as session:
            session.add(job)
        logger.info("job %s of kind %s queued on %s", job.id, kind, backend)
        return job

    def get(self, job_id: str) -> JobRecord:
        with self.database.session() as session:
            job = session.get(JobRecord, job_id)
        if job is None:
            raise NotFoundError("job.not_found", job_id=job_id)
        return job

    def recent(self, *, owner: str | None = None, status: JobStatus | None = None, limit: int = 50) -> list[JobRecord]:
        query = select(JobRecord).order_by(JobRecord.created_at.desc()).limit(limit)
        if owner is not None:
            query = query.where(JobRecord.owner == owner)
        if status is not None:
            query = query.where(JobRecord.status == status)
        with self.database.session() as session:
            return list(session.scalars(query))

    def mark_running(self, job_id: str, *, worker: str) -> bool:
        """Move a queued job to running; returns False when it is no longer queued."""
        now = datetime.now(UTC)
        with self.database.session() as session:
            changed = rows_changed(
                session.execute(
                    update(JobRecord)
                    .where(JobRecord.id == job_id, JobRecord.status == "queued")
                    .values(
                        status="running",
                        started_at=now,
                        heartbeat_at=now,
                        worker=worker,
                        attempts=JobRecord.attempts + 1,
                    )
                )
            )
        return bool(changed)

    def set_progress(self, job_id: str, progress: float, message: str) -> None:
        progress = min(max(progress, 0.0), 1.0)
        with self.database.session() as session:
            session.execute(
                update(JobRecord)
                .where(JobRecord.id == job_id, JobRecord.status == "running")
                .values(progress=progress, message=message, heartbeat_at=datetime.now(UTC))
            )

    def heartbeat(self, job_id: str) -> None:
        with self.database.session() as session:
            session.execute(
                update(JobRecord)
                .where(JobRecord.id == job_id, JobRecord.status == "running")
                .values(heartbeat_at=datetime.now(UTC))
            )

    def finish(
        self,
        job_id: str,
        status: JobStatus,
        *,
        result: dict[str, Any] | None = None,
        error: dict[str, Any] | None = None,
        message: str = "",
    ) -> None:
        values: dict[str, Any] = {
            "status": status,
            "result": result,
            "error": error,
            "finished_at": datetime.now(UTC),
            "message": message,
        }
        if status == "succeeded":
            values["progress"] = 1.0
        with self.database.session() as session:
            session.execute(
                update(JobRecord)
                .where(JobRecord.id == job_id, JobRecord.status.in_(("queued", "running")))
                .values(**values)
            )

    def cancel_requested(self, job_id: str) -> bool:
        with self.database.session() as session:
            flag = session.scalar(select(JobRecord.cancel_requested).where(JobRecord.id == job_id))
        return bool(flag)

    def request_cancel(self, job_id: str) -> JobRecord:
        """Cancel a queued job at once, or flag a running one to stop at its next progress report."""
        job = self.get(job_id)
        if job.status in FINISHED_STATUSES:
            raise ConflictError("job.not_cancellable", job_id=job_id, status=job.status)

        with self.database.session() as session:
            session.execute(update(JobRecord).where(JobRecord.id == job_id).values(cancel_requested=True))
        self.finish_if_queued(job_id)
        logger.info("cancel requested for job %s", job_id)
        return self.get(job_id)

    def finish_if_queued(self, job_id: str) -> None:
        with self.database.session() as session:
            session.execute(
                update(JobRecord)
                .where(JobRecord.id == job_id, JobRecord.status == "queued")
                .values(
                    status="cancelled",
                    finished_at=datetime.now(UTC),
                    error={"code": "job.cancelled", "params": {}},
                )
            )

    def requeue_if_orphaned(self, job_id: str, *, stale_after: timedelta) -> bool:
        """Put a running job back to queued when its worker is gone, so a redelivered task can run it again."""
        job = self.get(job_id)
        if job.status != "running":
            return False
        if not _is_orphaned(job, hostname=socket.gethostname(), cutoff=datetime.now(UTC) - stale_after):
            return False

        with self.database.session() as session:
            changed = rows_changed(
                session.execute(
                    update(JobRecord)
                    .where(JobRecord.id == job_id, JobRecord.status == "running")
                    .values(status="queued", progress=0.0, message="")
                )
            )
        if changed:
            logger.warning("job %s lost its worker %s and is queued again", job_id, job.worker)
        return bool(changed)

    def fail_interrupted(self, *, stale_after: timedelta) -> int:
        """Mark jobs failed whose process is gone.

        A job counts as interrupted when its worker ran on this host under a
        process id that no longer exists, or when its heartbeat is older than
        `stale_after` (a worker on another host that died).
        """
        hostname = socket.gethostname()
        cutoff = datetime.now(UTC) - stale_after
        interrupted: list[str] = []
        with self.database.session() as session:
            active = session.scalars(select(JobRecord).where(JobRecord.status.in_(("queued", "running"))))
            for job in active:
                if _is_orphaned(job, hostname=hostname, cutoff=cutoff):
                    interrupted.append(job.id)

        for job_id in interrupted:
            self.finish(job_id, "failed", error={"code": "job.interrupted", "params": {}})
            logger.warning("job %s was interrupted by a restart and is marked failed", job_id)
        return len(interrupted)


def _is_orphaned(job: JobRecord, *, hostname: str, cutoff: datetime) -> bool:
    if job.worker:
        host, _, pid_text = job.worker.rpartition(":")
        if host == hostname and pid_text.isdigit() and int(pid_text) != os.getpid():
            return not _process_exists(int(pid_text))

    heartbeat = job.heartbeat_at
    if job.status == "running" and heartbeat is not None:
        if heartbeat.tzinfo is None:
            heartbeat = heartbeat.replace(tzinfo=UTC)
        return heartbeat < cutoff
    return False


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def execute_job(store: JobStore, job_id: str, *, resources: dict[str, Any], heartbeat_seconds: float = 15.0) -> None:
    """Run one queued job to its end and store the outcome.

    Errors raised by the job function are stored on the job, not re-raised.
    """
    token = job_id_var.set(job_id)
    try:
        if not store.mark_running(job_id, worker=worker_identity()):
            logger.info("job %s is no longer queued; skipped", job_id)
            return

        job = store.get(job_id)
        handler = _handlers.get(job.kind)
        if handler is None:
            store.finish(
                job_id,
                "failed",
                error={
                    "code": "job.unknown_kind",
                    "params": {"kind": job.kind, "known": ", ".join(registered_kinds())},
                },
            )
            return

        stop_heartbeat = threading.Event()
        beat = threading.Thread(target=_beat, args=(store, job_id, stop_heartbeat, heartbeat_seconds), daemon=True)
        beat.start()
        started = time.perf_counter()
        logger.info("job %s of kind %s started", job_id, job.kind)
        try:
            result = handler(JobContext(job_id=job_id, store=store, resources=resources), dict(job.params))
        except JobCancelled:
            store.finish(job_id, "cancelled", error={"code": "job.cancelled", "params": {}})
            logger.info("job %s cancelled after %.1f s", job_id, time.perf_counter() - started)
        except XingchenError as exc:
            store.finish(job_id, "failed", error={"code": exc.code, "params": _jsonable(exc.params)})
            logger.warning("job %s failed: %s", job_id, exc.code)
        except Exception as exc:  # noqa: BLE001  (a job must end in a stored state)
            logger.exception("job %s failed with an unexpected error", job_id)
            store.finish(job_id, "failed", error={"code": "job.failed", "params": {"reason": repr(exc)}})
        else:
            store.finish(job_id, "succeeded", result=result)
            logger.info("job %s succeeded in %.1f s", job_id, time.perf_counter() - started)
        finally:
            stop_heartbeat.set()
    finally:
        job_id_var.reset(token)


def _beat(store: JobStore, job_id: str, stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            store.heartbeat(job_id)
        except Exception:  # noqa: BLE001  (a missed heartbeat must not kill the job)
            logger.warning("heartbeat of job %s failed", job_id, exc_info=True)


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value if isinstance(value, int | float | bool | type(None)) else str(value)
        for key, value in params.items()
    }


class JobRunner(Protocol):
    """Where submitted jobs run: `LocalJobRunner` here, or `CeleryJobRunner` on workers."""

    backend: str
    store: JobStore
    resources: dict[str, Any]

    def submit(self, kind: str, params: dict[str, Any], *, owner: str | None = None) -> JobRecord: ...

    def shutdown(self, *, wait: bool = True) -> None: ...


class LocalJobRunner:
    """Runs jobs in a thread pool inside this process."""

    backend = "local"

    def __init__(self, store: JobStore, *, workers: int, resources: dict[str, Any] | None = None) -> None:
        self.store = store
        self.resources = resources if resources is not None else {}
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="job")

    def submit(self, kind: str, params: dict[str, Any], *, owner: str | None = None) -> JobRecord:
        job = self.store.create(kind, params, owner=owner, backend=self.backend)
        self._pool.submit(execute_job, self.store, job.id, resources=self.resources)
        return job

    def shutdown(self, *, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)
