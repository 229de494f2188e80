"""The gateway serves the editor plug-in: manifest, icons and the pane's static files."""

import re
import struct
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from apps.editor_plugin.manifest import STATIC_DIR
from apps.gateway.app import create_app
from services.core.settings import Settings
from services.model.client import ModelClient

NS = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1"}
MANIFEST_URL_PATHS = ["o:IconUrl", "o:HighResolutionIconUrl", "o:SupportUrl", "o:DefaultSettings/o:SourceLocation"]
# Matches the targets of static and dynamic ES module imports.
IMPORT = re.compile(r"""(?:from\s+|import\s*\(\s*|:\s*)["'](\./[\w.-]+\.js)["']""")


def manifest_urls(xml_text: str) -> list[str]:
    root = ElementTree.fromstring(xml_text.encode("utf-8"))
    urls = []
    for path in MANIFEST_URL_PATHS:
        element = root.find(path, NS)
        assert element is not None, f"{path} is missing"
        urls.append(element.attrib["DefaultValue"])
    return urls


def test_manifest_served_with_request_base(client: TestClient) -> None:
    response = client.get("/editor-plugin/manifest.xml")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert all(url.startswith("http://testserver/") for url in manifest_urls(response.text))


def test_manifest_urls_are_served(client: TestClient) -> None:
    urls = manifest_urls(client.get("/editor-plugin/manifest.xml").text)

    for url in urls:
        parts = urlsplit(url)
        response = client.get(f"{parts.path}?{parts.query}" if parts.query else parts.path)
        assert response.status_code == 200, url


def test_manifest_uses_public_url(settings: Settings, fake_model: ModelClient) -> None:
    configured = settings.model_copy(update={"public_url": "https://xingchen.example.com"})

    with TestClient(create_app(configured, model=fake_model)) as client:
        urls = manifest_urls(client.get("/editor-plugin/manifest.xml").text)

    assert all(url.startswith("https://xingchen.example.com/editor-plugin/") for url in urls[:2])
    assert urls[3] == "https://xingchen.example.com/editor-plugin/taskpane.html?host=office"


@pytest.mark.parametrize("value", ["ftp://example.com", "xingchen.example.com", "https://bad host"])
def test_public_url_setting_rejects_invalid(value: str) -> None:
    with pytest.raises(ValidationError, match="public_url"):
        Settings(_env_file=None, public_url=value)  # type: ignore[call-arg]


@pytest.mark.parametrize("size", [16, 32, 64, 80])
def test_icon_is_png_of_size(client: TestClient, size: int) -> None:
    response = client.get(f"/editor-plugin/icons/icon-{size}.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", response.content[16:24]) == (size, size)


def test_icon_unknown_size_404(client: TestClient) -> None:
    response = client.get("/editor-plugin/icons/icon-99.png")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_pane_page_served(client: TestClient) -> None:
    response = client.get("/editor-plugin/taskpane.html")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="taskpane.js"></script>' in response.text


def test_index_redirects_to_pane(client: TestClient) -> None:
    response = client.get("/editor-plugin/", follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == "taskpane.html"


def test_pane_references_resolve(client: TestClient) -> None:
    page = client.get("/editor-plugin/taskpane.html").text
    linked = re.findall(r'(?:src|href)="([\w.-]+)"', page)
    imported = [name for path in STATIC_DIR.glob("*.js") for name in IMPORT.findall(path.read_text("utf-8"))]

    assert {"taskpane.js", "taskpane.css"} <= set(linked)
    assert {"./texts.js", "./writing-api.js", "./host-office.js", "./host-wps.js", "./host-standin.js"} <= set(imported)
    for name in linked + imported:
        response = client.get(f"/editor-plugin/{name.removeprefix('./')}")
        assert response.status_code == 200, name


def test_only_office_host_loads_remote_script() -> None:
    remote = {path.name for path in STATIC_DIR.iterdir() if re.search(r"https?://", path.read_text("utf-8"))}

    assert remote == {"host-office.js"}


def test_only_office_host_calls_office_js() -> None:
    # A call such as `Word.run` or `Office.onReady`; the name "Office.js" in comments is not one.
    call = re.compile(r"\b(?:Office|Word)\.(?!js\b)\w")
    callers = {path.name for path in STATIC_DIR.glob("*.js") if call.search(path.read_text("utf-8"))}

    assert callers == {"host-office.js"}


def test_plugin_absent_without_writing(settings: Settings, fake_model: ModelClient) -> None:
    with TestClient(create_app(settings, model=fake_model, services=["knowledge"])) as client:
        response = client.get("/editor-plugin/taskpane.html")

    assert response.status_code == 404
