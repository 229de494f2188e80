"""The standalone knowledge app serves the knowledge routes and the job routes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from services.core.settings import Settings
from services.knowledge.app import create_app
from services.model.client import ModelClient
from tests.conftest import ADMIN_HEADERS


def test_standalone_app_routes(settings: Settings, fake_model: ModelClient) -> None:
    with TestClient(create_app(settings, model=fake_model, load_model=False)) as client:
        categories = client.get("/api/v1/knowledge/categories", headers=ADMIN_HEADERS)
        missing_job = client.get("/api/v1/jobs/none", headers=ADMIN_HEADERS)
        unauthenticated = client.get("/api/v1/knowledge/categories")

    assert categories.status_code == 200
    assert missing_job.status_code == 404
    assert unauthenticated.status_code == 401
