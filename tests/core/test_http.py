from typing import Literal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

import services.core.messages  # noqa: F401
from services.core.errors import (
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
    RetryableError,
    UpstreamUnavailableError,
)
from services.core.http import PROBLEM_MEDIA_TYPE, install_error_handlers
from services.model.errors import REASON_NO_JSON, EmbeddedStructuredOutputError


class Payload(BaseModel):
    items: list[int] = Field(min_length=1)
    mode: Literal["fast", "slow"] = "fast"
    limit: int = Field(10, gt=0)


@pytest.fixture
def app_client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/missing")
    def missing() -> None:
        raise NotFoundError("job.not_found", job_id="j1")

    @app.get("/invalid")
    def invalid() -> None:
        raise InvalidInputError("invalid_input", reason="坏的文件")

    @app.get("/busy")
    def busy() -> None:
        raise RateLimitedError("rate_limited", retry_after=7)

    @app.get("/retry")
    def retry() -> None:
        raise RetryableError("retryable", retry_after=3)

    @app.get("/upstream")
    def upstream() -> None:
        raise UpstreamUnavailableError(
            service="model server", target="http://127.0.0.1:9/v1", attempts=4, reason="refused"
        )

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("secret internal detail")

    @app.get("/typed")
    def typed(count: int) -> dict[str, int]:
        return {"count": count}

    @app.post("/body")
    def body(payload: Payload) -> dict[str, int]:
        return {"items": len(payload.items)}

    @app.get("/model-output")
    def model_output() -> None:
        raise EmbeddedStructuredOutputError(attempts=3, reason=REASON_NO_JSON)

    return TestClient(app, raise_server_exceptions=False)


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/missing", 404, "job.not_found"),
        ("/invalid", 422, "invalid_input"),
        ("/busy", 429, "rate_limited"),
        ("/retry", 503, "retryable"),
        ("/upstream", 503, "upstream.unavailable"),
        ("/crash", 500, "internal_error"),
        ("/typed?count=abc", 422, "validation_failed"),
        ("/no-such-route", 404, "not_found"),
    ],
)
def test_error_rendered_as_problem(app_client: TestClient, path: str, status: int, code: str) -> None:
    response = app_client.get(path)

    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:xingchen:problem:{code}"
    assert body["instance"] == path.split("?")[0]
    assert body["detail"]


def test_problem_chinese_by_default(app_client: TestClient) -> None:
    body = app_client.get("/missing").json()

    assert body["detail"] == "未找到任务 “j1”。"
    assert body["title"] == "未找到"


def test_problem_english_when_requested(app_client: TestClient) -> None:
    body = app_client.get("/missing", headers={"Accept-Language": "en-US,en;q=0.9"}).json()

    assert body["detail"] == "Job 'j1' was not found."
    assert body["title"] == "Not Found"


def test_problem_lang_query_overrides_header(app_client: TestClient) -> None:
    body = app_client.get("/missing?lang=en", headers={"Accept-Language": "zh-CN"}).json()

    assert body["title"] == "Not Found"


def test_retry_after_header_set(app_client: TestClient) -> None:
    assert app_client.get("/busy").headers["retry-after"] == "7"
    assert app_client.get("/retry").headers["retry-after"] == "3"


def test_upstream_detail_names_server(app_client: TestClient) -> None:
    body = app_client.get("/upstream", headers={"Accept-Language": "en"}).json()

    assert "http://127.0.0.1:9/v1" in body["detail"]
    assert "4 attempts" in body["detail"]


def test_internal_error_hides_exception_text(app_client: TestClient) -> None:
    body = app_client.get("/crash").json()

    assert "secret internal detail" not in body["detail"]


def test_validation_details_in_chinese(app_client: TestClient) -> None:
    body = app_client.post("/body", json={"items": [], "mode": "other", "limit": 0}).json()

    assert body["status"] == 422
    assert "body.items：至少需要 1 项" in body["detail"]
    assert "body.mode：取值不被允许，可选：'fast'、'slow'" in body["detail"]
    assert "body.limit：应大于 0" in body["detail"]
    assert "should" not in body["detail"].lower()


def test_validation_details_missing_and_json_error(app_client: TestClient) -> None:
    missing = app_client.get("/typed").json()
    broken = app_client.post("/body", content=b"{not json", headers={"Content-Type": "application/json"}).json()
    english = app_client.post("/body", json={"items": []}, headers={"Accept-Language": "en"}).json()

    assert "query.count：缺少必填项" in missing["detail"]
    assert "JSON 解析失败" in broken["detail"]
    assert "decode" not in broken["detail"]
    assert "body.items: Should have at least 1 item(s), got 0" in english["detail"]


def test_model_output_failure_title(app_client: TestClient) -> None:
    chinese = app_client.get("/model-output").json()
    english = app_client.get("/model-output", headers={"Accept-Language": "en"}).json()

    assert chinese["status"] == 500
    assert chinese["title"] == "模型未能生成有效结果"
    assert "回复中没有 JSON 对象" in chinese["detail"]
    assert english["title"] == "The model did not produce a valid result"
    assert "contains no JSON object" in english["detail"]
