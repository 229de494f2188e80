"""The suite as a deployment: two gateways, a Celery worker, PostgreSQL, Redis and a llama.cpp
model server standing in for vLLM, all as separate processes on 127.0.0.1.

Each service is driven through REST on one gateway and read back through the
other, and its stored rows are read straight from PostgreSQL. The last three
tests inject faults: a worker killed mid-job, the model server stopped, and
PostgreSQL restarted. Each fault test brings the stopped process back.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from services.core.settings import LOCAL_ADMIN_KEY
from tests.integration.stack import REPO_ROOT, SuiteStack

pytestmark = pytest.mark.integration

ADMIN = {"Authorization": f"Bearer {LOCAL_ADMIN_KEY}"}
ENGLISH = {**ADMIN, "Accept-Language": "en"}
CLIP = REPO_ROOT / "tests" / "data" / "meetings" / "zh_aishell_BAC009S0724W0121.wav"
CLIP_TEXT = "广州"
# A category of two fields and a two-sentence plan keep the extraction prompt short.
PLAN_CATEGORY = {
    "name": "integration_plan",
    "label": {"zh": "测试套餐", "en": "Test plan"},
    "fields": [
        {"name": "monthly_fee", "label": {"zh": "月费", "en": "Monthly fee"}, "type": "number", "unit": "元"},
        {"name": "data_allowance", "label": {"zh": "通用流量", "en": "Data"}, "type": "number", "unit": "GB"},
    ],
}
PLAN_TEXT = "# 畅享5G套餐\n\n畅享5G套餐月费128元，每月含国内通用流量30GB。"
FINISHED = {"succeeded", "failed", "cancelled"}

# The real model writes minutes; the other meeting jobs only transcribe, to save time.
WITH_MINUTES = {"language": "zh", "beam_size": 1, "num_speakers": 1}
TRANSCRIBE_ONLY = {**WITH_MINUTES, "minutes": False, "diarize": False}


def submit_meeting(base_url: str, options: dict[str, Any]) -> str:
    response = httpx.post(
        f"{base_url}/api/v1/meetings",
        headers=ADMIN,
        files={"file": (CLIP.name, CLIP.read_bytes(), "audio/wav")},
        data={"options": json.dumps(options)},
        timeout=60,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["job_id"])


def wait_for_job(base_url: str, job_id: str, *, timeout: float, until: set[str] = FINISHED) -> dict[str, Any]:
    """Poll `GET /api/v1/jobs/{job_id}` until its status is one of `until`."""
    deadline = time.monotonic() + timeout
    job: dict[str, Any] = {}
    while time.monotonic() < deadline:
        response = httpx.get(f"{base_url}/api/v1/jobs/{job_id}", headers=ENGLISH, timeout=30)
        assert response.status_code == 200, response.text
        job = response.json()
        if job["status"] in until:
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not reach {sorted(until)} within {timeout:.0f} s; last state {job}")


def fetch_rows(database_url: str, sql: str, **params: Any) -> list[Any]:
    """Run one query on the stack's PostgreSQL directly, bypassing the gateways."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params))
    finally:
        engine.dispose()


def list_jobs(base_url: str) -> httpx.Response:
    return httpx.get(f"{base_url}/api/v1/jobs", params={"limit": 1}, headers=ENGLISH, timeout=30)


def chat(base_url: str) -> httpx.Response:
    body = {"messages": [{"role": "user", "content": "用一个数字回答：1+1等于几？"}], "max_tokens": 8}
    return httpx.post(f"{base_url}/v1/chat/completions", json=body, headers=ENGLISH, timeout=180)


def test_meeting_job_runs_on_worker(stack: SuiteStack) -> None:
    job_id = submit_meeting(stack.gateway_url(0), WITH_MINUTES)

    job = wait_for_job(stack.gateway_url(1), job_id, timeout=300)
    meeting_id = job["result"]["meeting_id"] if job["result"] else None
    meeting = httpx.get(f"{stack.gateway_url(1)}/api/v1/meetings/{meeting_id}", headers=ADMIN, timeout=30)
    job_rows = fetch_rows(stack.database_url, "SELECT status, backend, worker FROM jobs WHERE id = :id", id=job_id)
    meeting_rows = fetch_rows(stack.database_url, "SELECT job_id FROM meetings WHERE id = :id", id=meeting_id)

    assert job["status"] == "succeeded", job
    assert meeting.status_code == 200, meeting.text
    assert CLIP_TEXT in "".join(utterance["text"] for utterance in meeting.json()["transcript"]["utterances"])
    assert meeting.json()["minutes"] is not None
    assert job_rows[0].status == "succeeded"
    assert job_rows[0].backend == "celery"
    assert job_rows[0].worker.endswith(f":{stack.worker.pid}")
    assert meeting_rows[0].job_id == job_id


def test_analytics_question_answered(stack: SuiteStack) -> None:
    # A one-table question: the test checks the deployment, bench/analytics.py the SQL accuracy.
    options = {"analyse": False, "chart": False, "examples": 0, "max_tables": 2, "sql_max_tokens": 160}
    body = {"question": "列出所有地区的名称。", "source": "demo", "options": options}

    response = httpx.post(f"{stack.gateway_url(0)}/api/v1/analytics/ask", json=body, headers=ADMIN, timeout=300)
    answer = response.json()
    rows = httpx.get(
        f"{stack.gateway_url(1)}/api/v1/analytics/results/{answer.get('turn_id')}", headers=ADMIN, timeout=30
    )
    stored = fetch_rows(
        stack.database_url, "SELECT question FROM analytics_turns WHERE id = :id", id=answer.get("turn_id")
    )

    assert response.status_code == 200, response.text
    assert answer["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    assert answer["total_rows"] > 0
    assert rows.status_code == 200, rows.text
    assert rows.json()["total_rows"] == answer["total_rows"]
    assert stored[0].question == body["question"]


def test_knowledge_fields_extracted(stack: SuiteStack) -> None:
    body = {"category": PLAN_CATEGORY["name"], "text": PLAN_TEXT, "filename": "plan.md"}

    created = httpx.post(f"{stack.gateway_url(0)}/api/v1/knowledge/categories", json=PLAN_CATEGORY, headers=ADMIN)
    response = httpx.post(f"{stack.gateway_url(1)}/api/v1/knowledge/extract", json=body, headers=ADMIN, timeout=300)
    record_id = response.json().get("record", {}).get("id")
    record = httpx.get(f"{stack.gateway_url(0)}/api/v1/knowledge/records/{record_id}", headers=ADMIN, timeout=30)
    stored = fetch_rows(stack.database_url, "SELECT category FROM knowledge_records WHERE id = :id", id=record_id)

    assert created.status_code == 201, created.text
    assert response.status_code == 200, response.text
    assert record.status_code == 200, record.text
    assert record.json()["values"].get("monthly_fee") == 128, record.json()
    assert stored[0].category == PLAN_CATEGORY["name"]


def test_outline_planned(stack: SuiteStack) -> None:
    body = {"title": "5G基站建设工作方案", "document_type": "plan"}

    response = httpx.post(f"{stack.gateway_url(0)}/api/v1/writing/outline", json=body, headers=ADMIN, timeout=300)
    outline_id = response.json().get("id")
    outline = httpx.get(f"{stack.gateway_url(1)}/api/v1/writing/outline/{outline_id}", headers=ADMIN, timeout=30)
    stored = fetch_rows(stack.database_url, "SELECT title FROM writing_outlines WHERE id = :id", id=outline_id)

    assert response.status_code == 201, response.text
    assert outline.status_code == 200, outline.text
    assert outline.json()["sections"]
    assert stored[0].title == body["title"]


def test_worker_killed_mid_job(stack: SuiteStack) -> None:
    job_id = submit_meeting(stack.gateway_url(0), TRANSCRIBE_ONLY)
    wait_for_job(stack.gateway_url(0), job_id, timeout=120, until={"running", *FINISHED})

    stack.worker.kill()
    stack.worker.start()
    stack.worker.wait_for_log("worker ready on queue", timeout=180)
    job = wait_for_job(stack.gateway_url(1), job_id, timeout=60)
    next_job = wait_for_job(stack.gateway_url(1), submit_meeting(stack.gateway_url(1), TRANSCRIBE_ONLY), timeout=180)

    assert job["status"] == "failed", job
    assert job["error"]["code"] == "job.interrupted"
    assert "Submit it again" in job["error"]["message"]
    assert next_job["status"] == "succeeded", next_job


def test_model_server_stopped(stack: SuiteStack) -> None:
    before = chat(stack.gateway_url(0))

    stack.model.stop()
    try:
        started = time.monotonic()
        down = chat(stack.gateway_url(0))
        waited = time.monotonic() - started
        outline = httpx.post(
            f"{stack.gateway_url(1)}/api/v1/writing/outline", json={"title": "停机测试"}, headers=ENGLISH, timeout=120
        )
    finally:
        stack.model.start()
        stack.model.wait_for_http("/v1/models", timeout=180)
    after = chat(stack.gateway_url(0))

    assert before.status_code == 200, before.text
    assert down.status_code == 503, down.text
    assert down.json()["code"] == "model.unavailable"
    # XINGCHEN_MODEL_MAX_RETRIES=2: three attempts with 0.2 s and 0.4 s pauses, then the 503.
    assert "after 3 attempts" in down.json()["detail"]
    assert waited < 30
    assert outline.status_code == 503, outline.text
    assert after.status_code == 200, after.text


def test_postgres_restarted(stack: SuiteStack) -> None:
    gateway_pids = [gateway.pid for gateway in stack.gateways]
    before = [list_jobs(stack.gateway_url(index)).status_code for index in range(2)]

    stack.postgres.stop()
    try:
        down = [list_jobs(stack.gateway_url(index)) for index in range(2)]
    finally:
        stack.postgres.start()
    after = [_first_success(stack.gateway_url(index), timeout=20) for index in range(2)]
    job = wait_for_job(stack.gateway_url(0), submit_meeting(stack.gateway_url(0), TRANSCRIBE_ONLY), timeout=180)

    assert before == [200, 200]
    assert [response.status_code for response in down] == [503, 503], [response.text for response in down]
    assert [response.json()["code"] for response in down] == ["database.unavailable"] * 2
    assert [response.status_code for response in after] == [200, 200]
    assert [gateway.pid for gateway in stack.gateways] == gateway_pids
    assert all(gateway.running for gateway in stack.gateways)
    assert job["status"] == "succeeded", job


def _first_success(base_url: str, *, timeout: float) -> httpx.Response:
    """Repeat a database-backed request until it returns 200 or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    response = list_jobs(base_url)
    while response.status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
        response = list_jobs(base_url)
    return response
