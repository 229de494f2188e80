"""Celery integration: the suite's job functions run by workers over Redis or RabbitMQ.

A gateway with `job_backend = "celery"` stores the job row and sends its id
to the queue; a worker (`xingchen worker`) runs `execute_job` on it, exactly
as the local thread pool does, with the same database and model settings.
Start a worker with `celery -A services.core.celery_jobs worker` or `xingchen worker`.
"""

from __future__ import annotations

import importlib
import logging
from datetime import timedelta
from typing import Any

from celery import Celery, signals
from kombu.exceptions import OperationalError as BrokerError

from services.core.db import Database
from services.core.errors import UpstreamUnavailableError, XingchenError
from services.core.jobs import JobStore, execute_job
from services.core.models import JobRecord
from services.core.service_modules import SERVICES, import_service_api
from services.core.settings import Settings, get_settings

logger = logging.getLogger(__name__)

TASK_NAME = "xingchen.run_job"


def create_celery(settings: Settings) -> Celery:
    app = Celery("xingchen", broker=settings.broker_url)
    app.conf.update(
        task_default_queue=settings.job_queue,
        task_serializer="json",
        accept_content=["json"],
        # A job is acknowledged only after it ran, so a worker that dies mid-job
        # leaves the message to be delivered again.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.task(name=TASK_NAME)(run_job)
    return app


class _WorkerState:
    """Resources of one worker process, built on first use."""

    store: JobStore | None = None
    resources: dict[str, Any] = {}


def _worker_store() -> JobStore:
    if _WorkerState.store is None:
        settings = get_settings()
        database = Database(settings.resolved_database_url)
        database.upgrade()
        _WorkerState.store = JobStore(database)
        _WorkerState.resources = {"settings": settings, "database": database, "model": _build_model(settings)}
        _import_job_modules(settings)
    return _WorkerState.store


def _build_model(settings: Settings) -> Any:
    from services.model.factory import build_model_client

    try:
        return build_model_client(settings)
    except XingchenError as exc:
        # Jobs that need no model still run; those that do fail with this message.
        logger.error("worker has no model client: %s", exc.message("en"))
        return None


def _import_job_modules(settings: Settings) -> None:
    for service in SERVICES:
        import_service_api(service)
    for module_name in settings.job_modules:
        importlib.import_module(module_name)


def run_job(job_id: str) -> None:
    """Celery task body: run the stored job `job_id` to its end."""
    store = _worker_store()
    stale_after = timedelta(seconds=get_settings().job_stale_seconds)
    store.requeue_if_orphaned(job_id, stale_after=stale_after)
    execute_job(store, job_id, resources=_WorkerState.resources)


@signals.worker_ready.connect
def _on_worker_ready(**_: Any) -> None:
    store = _worker_store()
    settings = get_settings()
    count = store.fail_interrupted(stale_after=timedelta(seconds=settings.job_stale_seconds))
    logger.info("worker ready on queue %s; %d orphaned jobs marked failed", settings.job_queue, count)


class CeleryJobRunner:
    """Sends jobs to Celery workers instead of running them in this process."""

    backend = "celery"

    def __init__(self, store: JobStore, *, celery: Celery, broker_url: str) -> None:
        self.store = store
        self.celery = celery
        self.broker_url = broker_url
        self.resources: dict[str, Any] = {}

    def submit(self, kind: str, params: dict[str, Any], *, owner: str | None = None) -> JobRecord:
        job = self.store.create(kind, params, owner=owner, backend=self.backend)
        try:
            self.celery.send_task(TASK_NAME, args=[job.id])
        except BrokerError as exc:
            self.store.finish(job.id, "failed", error={"code": "job.broker_unavailable", "params": {}})
            logger.error("could not send job %s to the broker %s: %s", job.id, self.broker_url, exc)
            raise UpstreamUnavailableError(
                service="job broker", target=self.broker_url, attempts=1, reason=str(exc)[:200]
            ) from exc
        return job

    def shutdown(self, *, wait: bool = True) -> None:
        """Nothing to stop: the workers run elsewhere."""


# `celery -A services.core.celery_jobs worker` looks for this name.
app = create_celery(get_settings())
