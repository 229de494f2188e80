"""The /docs page and its Swagger UI files come from the gateway itself, not a CDN."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_page_loads_local_assets(client: TestClient) -> None:
    page = client.get("/docs")

    assert page.status_code == 200
    asset_urls = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", page.text)
    assert asset_urls
    for url in asset_urls:
        assert url.startswith("/docs-assets/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert asset.content


def test_docs_page_points_at_openapi(client: TestClient) -> None:
    page = client.get("/docs")

    assert "/openapi.json" in page.text
    assert client.get("/openapi.json").json()["openapi"].startswith("3.")


def test_redoc_is_not_served(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404
