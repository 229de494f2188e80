"""The browser fixtures themselves: Chromium reaches the live gateway and screenshots are written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page

from tests.browser.conftest import LiveGateway


def test_chromium_reads_health_endpoint(live_gateway: LiveGateway, page: Page) -> None:
    response = page.goto(f"{live_gateway.url}/healthz")

    assert response is not None
    assert response.status == 200
    assert json.loads(page.inner_text("body"))["status"] == "ok"


def test_screenshot_writes_both_sizes(
    live_gateway: LiveGateway, page: Page, screenshot: Callable[[Page, str], list[Path]]
) -> None:
    page.goto(f"{live_gateway.url}/healthz")

    paths = screenshot(page, "fixture-healthz")

    assert [path.name for path in paths] == ["fixture-healthz-desktop.png", "fixture-healthz-narrow.png"]
    for path in paths:
        assert path.read_bytes().startswith(b"\x89PNG")
    assert page.viewport_size == {"width": 1280, "height": 800}


def test_swagger_ui_renders_offline(live_gateway: LiveGateway, page: Page) -> None:
    page.goto(f"{live_gateway.url}/docs")

    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "Xingchen Suite" in title.inner_text()
    assert page.locator(".opblock-summary-path", has_text="/healthz").count() == 1
