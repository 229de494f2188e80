"""Steps the portal's browser tests share: signing in and reading the page's error box."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from services.core.settings import LOCAL_ADMIN_KEY


def sign_in(page: Page, url: str, path: str, key: str = LOCAL_ADMIN_KEY) -> None:
    """Open `path`, get sent to the sign-in form, sign in with `key` and land back on `path`."""
    page.goto(f"{url}{path}")
    expect(page).to_have_url(f"{url}/login?next={path}")
    page.get_by_label("API 密钥").fill(key)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(f"{url}{path}")


def expect_readable_error(page: Page, fragment: str) -> str:
    """Wait for the error box, check it quotes `fragment` and contains no raw JSON; return its text."""
    box = page.locator("#portal-error")
    expect(box).to_be_visible()
    expect(box).to_contain_text(fragment)
    text = box.inner_text()
    assert "{" not in text, text
    assert '"detail"' not in text, text
    return text


def saved_download(page: Page, button_name: str, folder: Path) -> Path:
    """Click the button named `button_name` and return the file the browser downloaded."""
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name).click()
    download = info.value
    target = folder / download.suggested_filename
    download.save_as(target)
    return target
