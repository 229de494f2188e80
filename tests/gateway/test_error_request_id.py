"""An unhandled exception still returns the request's id, in the body, the header and the log line."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from apps.gateway.app import create_app
from services.core.settings import Settings
from services.model.client import ModelClient


@pytest.fixture
def raising_client(settings: Settings, fake_model: ModelClient) -> Iterator[TestClient]:
    app = create_app(settings, model=fake_model, load_model=False)

    @app.get("/test/raise")
    def raise_error() -> None:
        raise RuntimeError("boom from a test route")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_500_body_carries_request_id(raising_client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)

    response = raising_client.get("/test/raise", headers={"X-Request-ID": "req-500-check"})

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert response.json()["request_id"] == "req-500-check"
    assert response.headers["x-request-id"] == "req-500-check"
    failures = [record for record in caplog.records if record.getMessage().startswith("unhandled error on GET")]
    assert len(failures) == 1
    assert failures[0].request_id == "req-500-check"  # type: ignore[attr-defined]
    assert failures[0].exc_info is not None
    access = [record for record in caplog.records if record.getMessage().startswith("GET /test/raise ->")]
    assert access[0].getMessage().startswith("GET /test/raise -> 500")


def test_500_generated_request_id_matches_header(raising_client: TestClient) -> None:
    response = raising_client.get("/test/raise")

    assert response.status_code == 500
    assert response.json()["request_id"] != "-"
    assert response.json()["request_id"] == response.headers["x-request-id"]
