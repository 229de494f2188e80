"""Portal defaults in Chromium: Chinese for an English browser, pages limited to the key's services, the header."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from services.core.apikeys import ApiKeyStore
from services.core.db import Database
from tests.browser.conftest import LiveGateway
from tests.browser.portal_pages import expect_readable_error, sign_in

Screenshot = Callable[[Page, str], list[Path]]
CJK = re.compile(r"[\u4e00-\u9fff]")


def refused_question(page: Page, live_gateway: LiveGateway, field: str, button: str) -> str:
    """Ask a question the analytics service refuses at once (the model answers DELETE); return the error's detail."""
    live_gateway.fake_chat.queue("DELETE FROM regions")
    page.get_by_label(field).fill("delete the regions table")
    page.get_by_role("button", name=button).first.click()
    expect_readable_error(page, "")
    return page.locator("#portal-error p").first.inner_text()


@pytest.mark.parametrize("page_locale", ["en-US"])
def test_english_browser_gets_chinese_until_switch(
    page: Page, live_gateway: LiveGateway, screenshot: Screenshot
) -> None:
    # sign_in uses the Chinese labels, so it fails when the page follows the browser's English.
    sign_in(page, live_gateway.url, "/analytics")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    # API errors follow the page, not the browser's Accept-Language.
    assert CJK.search(refused_question(page, live_gateway, "业务问题", "提问"))
    screenshot(page, "portal-analytics-error-zh-english-browser")

    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Analytics")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert not CJK.search(refused_question(page, live_gateway, "Business question", "Ask"))


def test_header_tools_aligned_and_favicon(page: Page, live_gateway: LiveGateway, screenshot: Screenshot) -> None:
    sign_in(page, live_gateway.url, "/")
    # Measure after the web fonts have loaded, because a fallback font gives other line heights.
    page.evaluate("() => document.fonts.ready.then(() => true)")

    link = page.get_by_role("link", name="中文").bounding_box()
    button = page.get_by_role("button", name="退出登录").bounding_box()
    assert link is not None and button is not None
    assert abs((link["y"] + link["height"] / 2) - (button["y"] + button["height"] / 2)) <= 2, (link, button)
    icon = page.request.get(f"{live_gateway.url}/favicon.ico")
    assert icon.status == 200
    assert icon.headers["content-type"] == "image/png"
    screenshot(page, "portal-home")


def test_key_for_one_service(page: Page, live_gateway: LiveGateway, screenshot: Screenshot) -> None:
    # Keys are made with the CLI's store, on the live gateway's database.
    keys = ApiKeyStore(Database(live_gateway.settings.resolved_database_url))
    _record, key = keys.create("writers", ["writing"])
    sign_in(page, live_gateway.url, "/", key)

    expect(page.locator(".service-card")).to_have_count(1)
    expect(page.locator(".service-card h2")).to_have_text("行文写作")
    expect(page.locator("nav a")).to_have_text(["行文写作"])
    screenshot(page, "portal-home-one-service")

    response = page.goto(f"{live_gateway.url}/analytics")
    assert response is not None and response.status == 403
    expect(page.get_by_role("alert")).to_have_text("此 API 密钥无权使用“经营分析”服务。如需使用，请联系管理员开通。")
    expect(page.get_by_label("业务问题")).to_have_count(0)
    screenshot(page, "portal-forbidden")
    page.locator(".service-card").click()
    expect(page).to_have_url(f"{live_gateway.url}/writing")
