"""Fixtures for tests in a real browser: a live gateway and a page in Debian's Chromium.

The gateway runs in a uvicorn thread on a free loopback port, over the fake
model (a test queues its replies on `live_gateway.fake_chat`) and a SQLite
database in the test's temporary folder. Playwright drives the Chromium that
`scripts/install-system-packages.sh` installs from Debian, so no browser is
downloaded. Screenshots land in `var/test-artifacts/screenshots/`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, Playwright, Route, sync_playwright

from apps.gateway.app import create_app
from services.core.settings import LOCAL_ADMIN_KEY, Settings
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.conftest import REPO_ROOT
from tests.model.stub_openai_server import UvicornThread

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = REPO_ROOT / "var" / "test-artifacts" / "screenshots"
# A desktop window and a phone-sized one; every page is photographed at both.
VIEWPORTS = {"desktop": (1280, 800), "narrow": (390, 844)}
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass
class LiveGateway:
    """A gateway served on loopback for one test."""

    url: str
    settings: Settings
    model: ModelClient
    fake_chat: FakeChatModel
    admin_key: str = LOCAL_ADMIN_KEY


@contextmanager
def serve_gateway(app: FastAPI) -> Iterator[str]:
    """Serve `app` on a free loopback port, lifespan included, and yield its base URL."""
    with UvicornThread(app, lifespan="on") as server:
        yield server.base_url


@pytest.fixture
def live_gateway(settings: Settings, fake_model: ModelClient, fake_chat: FakeChatModel) -> Iterator[LiveGateway]:
    """The gateway over the fake model, served on a free loopback port."""
    with serve_gateway(create_app(settings, model=fake_model)) as url:
        yield LiveGateway(url=url, settings=settings, model=fake_model, fake_chat=fake_chat)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Debian's Chromium, headless, with no network services of its own."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing; run scripts/install-system-packages.sh (Debian package chromium)")
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def page_locale() -> str:
    """The browser's locale (and so its Accept-Language); a test overrides it with `parametrize`."""
    return "zh-CN"


@pytest.fixture
def page(browser: Browser, page_locale: str) -> Iterator[Page]:
    """A page in a fresh browser context (own cookies and storage) at the desktop size, in `page_locale`."""
    width, height = VIEWPORTS["desktop"]
    context = browser.new_context(viewport={"width": width, "height": height}, locale=page_locale)
    context.set_default_timeout(15_000)

    # Pages must work with no internet: any request that leaves loopback is aborted and fails the test.
    outside_requests: list[str] = []

    def keep_on_loopback(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("data", "blob") or url.hostname in LOOPBACK_HOSTS:
            route.continue_()
            return
        outside_requests.append(route.request.url)
        route.abort()

    context.route("**/*", keep_on_loopback)
    new_page = context.new_page()
    yield new_page
    context.close()
    assert not outside_requests, f"the page requested addresses outside loopback: {outside_requests}"


@pytest.fixture
def screenshot() -> Callable[[Page, str], list[Path]]:
    """Save the page at every size in VIEWPORTS as `<name>-<size>.png`; the page keeps its last size."""

    def take(target: Page, name: str) -> list[Path]:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        original = target.viewport_size
        paths = []
        for size_name, (width, height) in VIEWPORTS.items():
            target.set_viewport_size({"width": width, "height": height})
            path = SCREENSHOT_DIR / f"{name}-{size_name}.png"
            target.screenshot(path=str(path), full_page=True)
            paths.append(path)
        if original is not None:
            target.set_viewport_size(original)
        return paths

    return take
