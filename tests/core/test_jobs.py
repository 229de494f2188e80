import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from services.core.db import Database
from services.core.errors import ConflictError, InvalidInputError, NotFoundError, XingchenError
from services.core.jobs import JobContext, JobStore, LocalJobRunner, execute_job, job_handler, worker_identity
from services.core.models import JobRecord

release = threading.Event()


@job_handler("test.echo")
def _echo(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    context.report(0.5, "halfway")
    return {"echo": params["text"]}


@job_handler("test.bad_input")
def _bad_input(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    raise InvalidInputError("invalid_input", reason="no text")


@job_handler("test.crash")
def _crash(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError("boom")


@job_handler("test.wait")
def _wait(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    for step in range(200):
        context.report(step / 200, f"step {step}")
        if release.wait(0.02):
            break
    return {"steps": step}


def wait_for(store: JobStore, job_id: str, statuses: set[str], timeout: float = 10.0) -> JobRecord:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id)
        if job.status in statuses:
            return job
        time.sleep(0.02)
    raise AssertionError(f"job {job_id} did not reach {statuses}; last status {store.get(job_id).status}")


@pytest.fixture
def store(database: Database) -> JobStore:
    return JobStore(database)


@pytest.fixture
def runner(store: JobStore):  # type: ignore[no-untyped-def]
    job_runner = LocalJobRunner(store, workers=2)
    yield job_runner
    release.set()
    job_runner.shutdown()
    release.clear()


def test_job_succeeds_with_result(store: JobStore, runner: LocalJobRunner) -> None:
    job = runner.submit("test.echo", {"text": "你好"}, owner="k1")

    finished = wait_for(store, job.id, {"succeeded", "failed"})

    assert finished.status == "succeeded"
    assert finished.result == {"echo": "你好"}
    assert finished.progress == 1.0
    assert finished.owner == "k1"
    assert finished.started_at is not None
    assert finished.finished_at is not None


def test_job_caller_error_stored_as_code(store: JobStore, runner: LocalJobRunner) -> None:
    job = runner.submit("test.bad_input", {})

    finished = wait_for(store, job.id, {"succeeded", "failed"})

    assert finished.status == "failed"
    assert finished.error == {"code": "invalid_input", "params": {"reason": "no text"}}


def test_job_unexpected_error_marked_failed(store: JobStore, runner: LocalJobRunner) -> None:
    job = runner.submit("test.crash", {})

    finished = wait_for(store, job.id, {"succeeded", "failed"})

    assert finished.status == "failed"
    assert finished.error is not None
    assert finished.error["code"] == "job.failed"
    assert "boom" in finished.error["params"]["reason"]


def test_job_unknown_kind_rejected(store: JobStore) -> None:
    with pytest.raises(XingchenError) as raised:
        store.create("test.no_such_kind", {}, owner=None, backend="local")

    assert raised.value.code == "job.unknown_kind"


def test_running_job_cancelled(store: JobStore, runner: LocalJobRunner) -> None:
    job = runner.submit("test.wait", {})
    wait_for(store, job.id, {"running"})

    store.request_cancel(job.id)
    finished = wait_for(store, job.id, {"cancelled", "succeeded", "failed"})

    assert finished.status == "cancelled"
    assert finished.error == {"code": "job.cancelled", "params": {}}


def test_queued_job_cancelled_before_start(store: JobStore) -> None:
    job = store.create("test.echo", {"text": "x"}, owner=None, backend="local")

    store.request_cancel(job.id)
    execute_job(store, job.id, resources={})

    assert store.get(job.id).status == "cancelled"


def test_finished_job_not_cancellable(store: JobStore, runner: LocalJobRunner) -> None:
    job = runner.submit("test.echo", {"text": "x"})
    wait_for(store, job.id, {"succeeded"})

    with pytest.raises(ConflictError):
        store.request_cancel(job.id)


def test_missing_job_not_found(store: JobStore) -> None:
    with pytest.raises(NotFoundError):
        store.get("does-not-exist")


def test_job_of_dead_process_marked_failed(store: JobStore) -> None:
    finished_process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    dead_pid = int(finished_process.stdout)
    host = worker_identity().rpartition(":")[0]
    job = store.create("test.echo", {"text": "x"}, owner=None, backend="local")
    store.mark_running(job.id, worker=f"{host}:{dead_pid}")

    count = store.fail_interrupted(stale_after=timedelta(minutes=10))

    interrupted = store.get(job.id)
    assert count == 1
    assert interrupted.status == "failed"
    assert interrupted.error == {"code": "job.interrupted", "params": {}}


def test_job_of_live_process_left_running(store: JobStore) -> None:
    job = store.create("test.echo", {"text": "x"}, owner=None, backend="local")
    store.mark_running(job.id, worker=worker_identity())

    count = store.fail_interrupted(stale_after=timedelta(minutes=10))

    assert count == 0
    assert store.get(job.id).status == "running"


def test_job_with_stale_heartbeat_marked_failed(store: JobStore, database: Database) -> None:
    job = store.create("test.echo", {"text": "x"}, owner=None, backend="celery")
    store.mark_running(job.id, worker="other-host:1234")
    with database.session() as session:
        session.execute(
            update(JobRecord).where(JobRecord.id == job.id).values(heartbeat_at=datetime.now(UTC) - timedelta(hours=1))
        )

    count = store.fail_interrupted(stale_after=timedelta(minutes=10))

    assert count == 1
    assert store.get(job.id).status == "failed"


def test_progress_clamped_to_unit_range(store: JobStore) -> None:
    job = store.create("test.echo", {"text": "x"}, owner=None, backend="local")
    store.mark_running(job.id, worker=worker_identity())

    store.set_progress(job.id, 1.7, "over")
    assert store.get(job.id).progress == 1.0

    store.set_progress(job.id, -0.3, "under")
    assert store.get(job.id).progress == 0.0


def test_restart_recovers_job_from_killed_process(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A worker process killed mid-job leaves a job that the next start marks failed."""
    script = tmp_path / "worker.py"
    script.write_text(
        "import sys, time\n"
        "from services.core.db import Database\n"
        "from services.core.jobs import JobStore, worker_identity, job_handler\n"
        "job_handler('test.echo')(lambda context, params: {})\n"
        "store = JobStore(Database(sys.argv[1]))\n"
        "job = store.create('test.echo', {}, owner=None, backend='local')\n"
        "store.mark_running(job.id, worker=worker_identity())\n"
        "print(job.id, flush=True)\n"
        "time.sleep(60)\n",
        encoding="utf-8",
    )
    database = Database(database_url)
    database.upgrade()
    process = subprocess.Popen(
        [sys.executable, str(script), database_url], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    try:
        assert process.stdout is not None
        job_id = process.stdout.readline().strip()
        store = JobStore(database)
        assert store.get(job_id).status == "running"
    finally:
        process.kill()
        process.wait()

    store.fail_interrupted(stale_after=timedelta(minutes=10))

    assert store.get(job_id).status == "failed"
    database.dispose()
