"""Request body limits: meeting uploads have their own, larger limit; every other route keeps the gateway's."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from apps.gateway.app import create_app
from services.core.settings import Settings
from services.model.client import ModelClient
from tests.conftest import ADMIN_HEADERS

GATEWAY_LIMIT = 1_000
MEETINGS_LIMIT = 20_000


@pytest.fixture
def limited(settings: Settings, fake_model: ModelClient) -> Iterator[TestClient]:
    small = settings.model_copy(update={"max_upload_bytes": GATEWAY_LIMIT, "meetings_max_upload_bytes": MEETINGS_LIMIT})
    with TestClient(create_app(small, model=fake_model, load_model=False)) as client:
        yield client


def chunks(total: int) -> Iterator[bytes]:
    """A body sent without Content-Length, so the limit is counted as bytes arrive."""
    for _ in range(total // 500):
        yield b"y" * 500


def test_meetings_upload_between_limits_passes(limited: TestClient) -> None:
    # 5 kB is over the gateway limit but under the meetings one, so the route itself returns the response.
    response = limited.post(
        "/api/v1/meetings",
        files={"file": ("a.wav", b"x" * 5_000, "application/octet-stream")},
        data={"options": "[1]"},
        headers=ADMIN_HEADERS,
    )

    assert response.status_code == 422
    assert response.json()["code"] == "meetings.bad_options"


@pytest.mark.parametrize(
    ("language", "phrase"), [("zh-CN", "请求体过大"), ("en", "Request body too large")], ids=["zh", "en"]
)
def test_meetings_upload_over_limit_413(limited: TestClient, language: str, phrase: str) -> None:
    response = limited.post(
        "/api/v1/meetings",
        files={"file": ("a.wav", b"x" * 30_000, "application/octet-stream")},
        headers={**ADMIN_HEADERS, "Accept-Language": language},
    )

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert "XINGCHEN_MEETINGS_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert str(MEETINGS_LIMIT) in response.json()["detail"]
    assert phrase in response.json()["detail"]


def test_meetings_chunked_upload_over_limit_413(limited: TestClient) -> None:
    headers = {**ADMIN_HEADERS, "Content-Type": "multipart/form-data; boundary=b", "Accept-Language": "zh-CN"}

    response = limited.post("/api/v1/meetings", content=chunks(30_000), headers=headers)

    assert response.status_code == 413
    assert "XINGCHEN_MEETINGS_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert "请求体超过上限 20000 字节" in response.json()["detail"]


def test_other_route_keeps_gateway_limit(limited: TestClient) -> None:
    response = limited.post(
        "/v1/chat/completions", content=b"x" * 5_000, headers={**ADMIN_HEADERS, "Accept-Language": "en"}
    )

    assert response.status_code == 413
    assert "XINGCHEN_MAX_UPLOAD_BYTES" in response.json()["detail"]
    assert "MEETINGS" not in response.json()["detail"]


def test_other_route_chunked_keeps_gateway_limit(limited: TestClient) -> None:
    response = limited.post("/v1/chat/completions", content=chunks(5_000), headers=ADMIN_HEADERS)

    assert response.status_code == 413
    assert "XINGCHEN_MAX_UPLOAD_BYTES" in response.json()["detail"]


def test_meetings_other_methods_keep_gateway_limit(limited: TestClient) -> None:
    response = limited.patch("/api/v1/meetings/none/speakers", content=b"x" * 5_000, headers=ADMIN_HEADERS)

    assert response.status_code == 413
    assert "XINGCHEN_MAX_UPLOAD_BYTES" in response.json()["detail"]
