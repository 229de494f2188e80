"""Portal frame in Chromium: sign-in, service overview, the English switch and sign-out."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveGateway
from tests.browser.portal_pages import expect_readable_error, sign_in

Screenshot = Callable[[Page, str], list[Path]]


def test_sign_in_language_switch_sign_out(page: Page, live_gateway: LiveGateway, screenshot: Screenshot) -> None:
    page.goto(f"{live_gateway.url}/")
    expect(page).to_have_url(f"{live_gateway.url}/login?next=/")
    expect(page.locator("h1")).to_have_text("登录")
    screenshot(page, "portal-login")

    page.get_by_label("API 密钥").fill("xc_not-a-real-key")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert").filter(has_text="API 密钥无效")).to_be_visible()

    # A form whose CSRF token was altered does not sign in, even with a valid key, and shows the reason.
    page.locator('input[name="csrf"]').evaluate("input => { input.value = 'forged'; }")
    page.get_by_label("API 密钥").fill(live_gateway.admin_key)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert").filter(has_text="登录表单的安全令牌缺失或无效")).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_have_count(0)

    sign_in(page, live_gateway.url, "/")
    expect(page.get_by_role("link", name="行文写作").first).to_be_visible()
    expect(page.locator(".service-card")).to_have_count(4)
    screenshot(page, "portal-home")

    # English: labels switch and API errors come back in English too.
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Choose a service")
    page.get_by_role("link", name="Analytics").first.click()
    expect(page.get_by_label("Business question")).to_be_visible()
    live_gateway.fake_chat.queue("DELETE FROM regions")
    page.get_by_label("Business question").fill("delete the regions table")
    page.get_by_role("button", name="Ask").first.click()
    expect_readable_error(page, "Request ID")
    screenshot(page, "portal-analytics-error-en")

    page.get_by_role("link", name="中文").click()
    expect(page.locator("h1")).to_have_text("经营分析")
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(f"{live_gateway.url}/login")
    page.goto(f"{live_gateway.url}/writing")
    expect(page).to_have_url(f"{live_gateway.url}/login?next=/writing")
