"""The WPS add-in files: rendered for a base URL, served by the gateway, well-formed, with served URLs."""

import json
import re
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from apps.editor_plugin.manifest import STATIC_DIR
from apps.editor_plugin.wps_addin import ADDIN_NAME, WPS_ADDIN_FILES, render_wps_file
from apps.gateway.app import create_app
from services.core.settings import Settings
from services.model.client import ModelClient

CUSTOM_UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
BASE = "https://xingchen.example.com"
PANE_URL = re.compile(r"^var XINGCHEN_PANE_URL = (.+);$", re.MULTILINE)


def published_addin(xml_text: str) -> dict[str, str]:
    root = ElementTree.fromstring(xml_text.encode("utf-8"))
    assert root.tag == "jsplugins"
    entries = root.findall("jspluginonline")
    assert len(entries) == 1
    return entries[0].attrib


def pane_url(main_js: str) -> str:
    match = PANE_URL.search(main_js)
    assert match, "main.js sets no XINGCHEN_PANE_URL"
    url = json.loads(match.group(1))
    assert isinstance(url, str)
    return url


def test_publish_xml_points_at_addin_folder() -> None:
    entry = published_addin(render_wps_file("publish.xml", BASE + "/"))

    # `enable="enable"` and `install="null"` are what installers of published online add-ins
    # write into per-user publish.xml files (`enable_dev` marks wpsjs's local debug mode).
    assert entry == {
        "name": ADDIN_NAME,
        "type": "wps",
        "url": f"{BASE}/editor-plugin/wps/",
        "enable": "enable",
        "install": "null",
    }


def test_publish_xml_escapes_base_url() -> None:
    entry = published_addin(render_wps_file("publish.xml", "https://example.com/a&b"))

    assert entry["url"] == "https://example.com/a&b/editor-plugin/wps/"


def test_main_js_opens_wps_pane() -> None:
    assert pane_url(render_wps_file("main.js", BASE)) == f"{BASE}/editor-plugin/taskpane.html?host=wps"


def test_main_js_escapes_pane_url() -> None:
    # The base URL can come from the request's Host header, so it must not end the string or the script.
    main_js = render_wps_file("main.js", 'https://example.com/a";</script>')

    assert "</script>" not in main_js
    assert pane_url(main_js) == 'https://example.com/a";</script>/editor-plugin/taskpane.html?host=wps'


def test_ribbon_callbacks_defined_in_main_js() -> None:
    ribbon = ElementTree.fromstring(render_wps_file("ribbon.xml", BASE).encode("utf-8"))
    main_js = render_wps_file("main.js", BASE)

    assert ribbon.tag == f"{CUSTOM_UI}customUI"
    buttons = ribbon.findall(f".//{CUSTOM_UI}button")
    assert [button.attrib["id"] for button in buttons] == ["xingchenShowPane"]
    assert f'control.Id === "{buttons[0].attrib["id"]}"' in main_js
    callbacks = {ribbon.attrib["onLoad"]} | {buttons[0].attrib[name] for name in ("onAction", "getImage")}
    for callback in callbacks:
        assert re.search(rf"^function {callback}\(", main_js, re.MULTILINE), callback


def test_index_html_loads_main_js() -> None:
    index = render_wps_file("index.html", BASE)

    assert '<script src="main.js"></script>' in index


@pytest.mark.parametrize("base_url", ["ftp://example.com", "example.com", ""])
def test_render_rejects_non_http_base(base_url: str) -> None:
    with pytest.raises(ValueError, match="http:// or https://"):
        render_wps_file("publish.xml", base_url)


def test_render_rejects_unknown_file() -> None:
    with pytest.raises(ValueError, match="not a WPS add-in file"):
        render_wps_file("manifest.xml", BASE)


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("ribbon.xml", "application/xml"),
        ("publish.xml", "application/xml"),
        ("index.html", "text/html"),
        ("main.js", "text/javascript"),
    ],
)
def test_addin_file_served(client: TestClient, name: str, media_type: str) -> None:
    response = client.get(f"/editor-plugin/wps/{name}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)


def test_addin_files_all_listed() -> None:
    assert WPS_ADDIN_FILES == {"ribbon.xml", "publish.xml", "index.html", "main.js"}


def test_served_files_parse_as_xml(client: TestClient) -> None:
    for name in ("ribbon.xml", "publish.xml"):
        ElementTree.fromstring(client.get(f"/editor-plugin/wps/{name}").content)


def test_served_urls_use_request_base(client: TestClient) -> None:
    entry = published_addin(client.get("/editor-plugin/wps/publish.xml").text)
    main_js = client.get("/editor-plugin/wps/main.js").text

    assert entry["url"] == "http://testserver/editor-plugin/wps/"
    assert pane_url(main_js) == "http://testserver/editor-plugin/taskpane.html?host=wps"


def test_served_urls_resolve(client: TestClient) -> None:
    # WPS reads ribbon.xml and index.html from the published folder, and index.html loads main.js.
    # GetImage names an image relative to the folder. The ribbon button opens the pane URL.
    folder = published_addin(client.get("/editor-plugin/wps/publish.xml").text)["url"]
    main_js = client.get("/editor-plugin/wps/main.js").text
    image = re.search(r'return "(images/[\w.-]+)";', main_js)
    assert image

    for name in ("ribbon.xml", "index.html", "main.js", image.group(1)):
        response = client.get(urlsplit(folder + name).path)
        assert response.status_code == 200, name
    pane = urlsplit(pane_url(main_js))
    assert client.get(f"{pane.path}?{pane.query}").status_code == 200


def test_served_urls_use_public_url(settings: Settings, fake_model: ModelClient) -> None:
    configured = settings.model_copy(update={"public_url": "https://xingchen.example.com"})

    with TestClient(create_app(configured, model=fake_model)) as client:
        entry = published_addin(client.get("/editor-plugin/wps/publish.xml").text)
        main_js = client.get("/editor-plugin/wps/main.js").text

    assert entry["url"] == "https://xingchen.example.com/editor-plugin/wps/"
    assert pane_url(main_js) == "https://xingchen.example.com/editor-plugin/taskpane.html?host=wps"


def test_unknown_addin_file_404(client: TestClient) -> None:
    response = client.get("/editor-plugin/wps/jsplugins.7z")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


def test_only_wps_host_calls_wps_api() -> None:
    # The pane reaches WPS through window.Application or the wps object; main.js of the
    # add-in is a template outside static/.
    call = re.compile(r"\b(?:Application|wps)\.[A-Z]\w*|\bwps\.WpsApplication\b")
    callers = {path.name for path in STATIC_DIR.glob("*.js") if call.search(path.read_text("utf-8"))}

    assert callers == {"host-wps.js"}
