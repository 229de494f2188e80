"""Jobs sent through real Redis to a real Celery worker process."""

import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import tests.core.celery_test_jobs  # noqa: F401  (registers the kinds in this process too)
from services.core.celery_jobs import CeleryJobRunner, create_celery
from services.core.db import Database
from services.core.errors import UpstreamUnavailableError
from services.core.jobs import JobStore
from services.core.models import JobRecord
from services.core.settings import Settings
from tests.worker_process import running_worker

BROKER_URL = "redis://127.0.0.1:6379/15"


def wait_finished(store: JobStore, job_id: str, timeout: float = 60.0) -> JobRecord:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id)
        if job.status in {"succeeded", "failed", "cancelled"}:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish within {timeout} s; status {store.get(job_id).status}")


@pytest.fixture
def queue_settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        database_url=database_url,
        model_backend="fake",
        job_backend="celery",
        broker_url=BROKER_URL,
        job_queue=f"xingchen-test-{uuid.uuid4().hex[:8]}",
    )


@pytest.fixture
def worker(queue_settings: Settings, tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A `xingchen worker` process on a queue of its own; stopped after the test."""
    environment = {
        "XINGCHEN_DATA_DIR": str(queue_settings.data_dir),
        "XINGCHEN_DATABASE_URL": queue_settings.resolved_database_url,
        "XINGCHEN_MODEL_BACKEND": "fake",
        "XINGCHEN_BROKER_URL": BROKER_URL,
        "XINGCHEN_JOB_QUEUE": queue_settings.job_queue,
        "XINGCHEN_JOB_MODULES": '["tests.core.celery_test_jobs"]',
        "XINGCHEN_JOB_WORKERS": "1",
        "XINGCHEN_LOG_LEVEL": "INFO",
    }
    with running_worker(environment, tmp_path) as process:
        yield process


@pytest.fixture
def runner(queue_settings: Settings) -> Iterator[CeleryJobRunner]:
    database = Database(queue_settings.resolved_database_url)
    database.upgrade()
    yield CeleryJobRunner(
        JobStore(database), celery=create_celery(queue_settings), broker_url=queue_settings.broker_url
    )
    database.dispose()


def test_celery_worker_runs_job(runner: CeleryJobRunner, worker: subprocess.Popen[str]) -> None:
    job = runner.submit("test.celery_square", {"value": 12}, owner="k1")

    finished = wait_finished(runner.store, job.id)

    assert finished.status == "succeeded"
    assert finished.result == {"square": 144, "model": "fake"}
    assert finished.backend == "celery"
    assert finished.worker is not None
    assert finished.worker.endswith(f":{worker.pid}")


def test_celery_worker_stores_caller_error(runner: CeleryJobRunner, worker: subprocess.Popen[str]) -> None:
    job = runner.submit("test.celery_invalid", {})

    finished = wait_finished(runner.store, job.id)

    assert finished.status == "failed"
    assert finished.error == {"code": "invalid_input", "params": {"reason": "bad value"}}


def test_celery_running_job_cancelled(runner: CeleryJobRunner, worker: subprocess.Popen[str]) -> None:
    job = runner.submit("test.celery_slow", {})
    deadline = time.monotonic() + 60
    while runner.store.get(job.id).status != "running" and time.monotonic() < deadline:
        time.sleep(0.1)

    runner.store.request_cancel(job.id)
    finished = wait_finished(runner.store, job.id)

    assert finished.status == "cancelled"


def test_celery_broker_down_fails_job(database: Database, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, broker_url="redis://127.0.0.1:1/0", data_dir=tmp_path)  # type: ignore[call-arg]
    celery = create_celery(settings)
    celery.conf.broker_connection_max_retries = 0
    celery.conf.broker_transport_options = {"max_retries": 0}
    runner = CeleryJobRunner(JobStore(database), celery=celery, broker_url=settings.broker_url)

    with pytest.raises(UpstreamUnavailableError) as raised:
        runner.submit("test.celery_square", {"value": 2})

    assert "redis://127.0.0.1:1/0" in raised.value.message("en")
    jobs = runner.store.recent()
    assert jobs[0].status == "failed"
