"""The standalone analytics app serves the analytics routes and no other service's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from services.analytics.app import create_app
from services.core.service_modules import import_service_api
from services.core.settings import Settings
from tests.conftest import ADMIN_HEADERS


def test_standalone_app_serves_analytics(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        sources = client.get("/api/v1/analytics/sources", headers=ADMIN_HEADERS)
        health = client.get("/healthz")

    assert sources.status_code == 200
    assert health.status_code == 200


@pytest.mark.parametrize("service", ["writing", "knowledge", "meetings"])
def test_standalone_app_drops_other_services(settings: Settings, service: str) -> None:
    module = import_service_api(service)
    assert module is not None
    paths = [route.path for route in module.router.routes if hasattr(route, "path") and "{" not in route.path]

    with TestClient(create_app(settings)) as client:
        statuses = {client.get(f"/api/v1/{service}{path}", headers=ADMIN_HEADERS).status_code for path in paths}

    assert statuses <= {404}
