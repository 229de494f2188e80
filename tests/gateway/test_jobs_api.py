import json
import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.core.jobs import JobContext, job_handler
from tests.conftest import ADMIN_HEADERS

gate = threading.Event()


@job_handler("test.gateway_steps")
def _steps(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    for step in range(params["steps"]):
        context.report((step + 1) / params["steps"], f"第 {step + 1} 步")
        time.sleep(0.05)
    return {"done": params["steps"]}


@job_handler("test.gateway_block")
def _block(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    while not gate.wait(0.02):
        context.report(0.1, "waiting")
    return {}


@pytest.fixture(autouse=True)
def _release_gate() -> Any:
    yield
    gate.set()
    time.sleep(0.05)
    gate.clear()


def submit(client: TestClient, kind: str, params: dict[str, Any], owner: str = "admin") -> str:
    job = client.app.state.gateway.runner.submit(kind, params, owner=owner)  # type: ignore[attr-defined]
    return str(job.id)


def wait_status(client: TestClient, job_id: str, wanted: set[str]) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=ADMIN_HEADERS).json()
        if body["status"] in wanted:
            return body
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached {wanted}")


def test_get_job_returns_result(client: TestClient) -> None:
    job_id = submit(client, "test.gateway_steps", {"steps": 2})

    body = wait_status(client, job_id, {"succeeded", "failed"})

    assert body["status"] == "succeeded"
    assert body["result"] == {"done": 2}
    assert body["progress"] == 1.0
    assert body["error"] is None


def test_job_events_stream_progress_then_done(client: TestClient) -> None:
    job_id = submit(client, "test.gateway_steps", {"steps": 4})

    with client.stream("GET", f"/api/v1/jobs/{job_id}/events", headers=ADMIN_HEADERS) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events: list[tuple[str, dict[str, Any]]] = []
        event_name = ""
        for line in response.iter_lines():
            if line.startswith("event:"):
                event_name = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                events.append((event_name, json.loads(line.split(":", 1)[1])))
                if event_name == "done":
                    break

    names = [name for name, _ in events]
    assert names[-1] == "done"
    assert events[-1][1]["status"] == "succeeded"
    progress = [data["progress"] for name, data in events if name == "progress"]
    assert progress == sorted(progress)


def test_cancel_running_job(client: TestClient) -> None:
    job_id = submit(client, "test.gateway_block", {})
    wait_status(client, job_id, {"running"})

    response = client.delete(f"/api/v1/jobs/{job_id}", headers=ADMIN_HEADERS)
    body = wait_status(client, job_id, {"cancelled", "succeeded", "failed"})

    assert response.status_code == 200
    assert body["status"] == "cancelled"
    assert body["error"]["code"] == "job.cancelled"
    assert body["error"]["message"] == "任务已取消。"


def test_cancel_finished_job_conflict(client: TestClient) -> None:
    job_id = submit(client, "test.gateway_steps", {"steps": 1})
    wait_status(client, job_id, {"succeeded"})

    response = client.delete(f"/api/v1/jobs/{job_id}", headers=ADMIN_HEADERS)

    assert response.status_code == 409


def test_other_key_cannot_see_job(client: TestClient) -> None:
    _, key = client.app.state.gateway.keys.create("other", ["writing"])  # type: ignore[attr-defined]
    job_id = submit(client, "test.gateway_steps", {"steps": 1}, owner="someone-else")

    response = client.get(f"/api/v1/jobs/{job_id}", headers={"X-API-Key": key})

    assert response.status_code == 404


def test_job_list_shows_own_jobs(client: TestClient) -> None:
    record, key = client.app.state.gateway.keys.create("lister", ["writing"])  # type: ignore[attr-defined]
    own = submit(client, "test.gateway_steps", {"steps": 1}, owner=record.id)
    submit(client, "test.gateway_steps", {"steps": 1}, owner="someone-else")

    body = client.get("/api/v1/jobs", headers={"X-API-Key": key}).json()

    assert [job["id"] for job in body] == [own]


def test_missing_job_404_english(client: TestClient) -> None:
    response = client.get("/api/v1/jobs/nope", headers={**ADMIN_HEADERS, "Accept-Language": "en"})

    assert response.status_code == 404
    assert response.json()["detail"] == "Job 'nope' was not found."


def test_cancel_running_job_reply_flags_cancel(client: TestClient) -> None:
    job_id = submit(client, "test.gateway_block", {})
    before = wait_status(client, job_id, {"running"})

    response = client.delete(f"/api/v1/jobs/{job_id}", headers=ADMIN_HEADERS)

    assert before["cancel_requested"] is False
    assert response.status_code == 200
    assert response.json()["status"] in ("running", "cancelled")
    assert response.json()["cancel_requested"] is True
    assert wait_status(client, job_id, {"cancelled"})["cancel_requested"] is True


@pytest.mark.parametrize(
    ("query", "field"),
    [("limit=-5", "limit"), ("limit=0", "limit"), ("limit=501", "limit"), ("status=bogus", "status")],
)
def test_job_list_rejects_bad_query(client: TestClient, query: str, field: str) -> None:
    chinese = client.get(f"/api/v1/jobs?{query}", headers=ADMIN_HEADERS)
    english = client.get(f"/api/v1/jobs?{query}&lang=en", headers=ADMIN_HEADERS)

    assert chinese.status_code == 422
    assert chinese.json()["code"] == "validation_failed"
    assert f"query.{field}" in chinese.json()["detail"]
    assert english.status_code == 422
    assert f"query.{field}" in english.json()["detail"]


def test_job_list_filters_by_status(client: TestClient) -> None:
    finished = submit(client, "test.gateway_steps", {"steps": 1})
    wait_status(client, finished, {"succeeded"})
    running = submit(client, "test.gateway_block", {})
    wait_status(client, running, {"running"})

    succeeded = client.get("/api/v1/jobs?status=succeeded&limit=10", headers=ADMIN_HEADERS).json()
    active = client.get("/api/v1/jobs?status=running", headers=ADMIN_HEADERS).json()

    assert [job["id"] for job in succeeded] == [finished]
    assert [job["id"] for job in active] == [running]
