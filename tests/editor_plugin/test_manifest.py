"""The Office add-in manifest rendered for a base URL."""

import uuid
import xml.etree.ElementTree as ElementTree

import pytest

from apps.editor_plugin.manifest import render_manifest

NS = {"o": "http://schemas.microsoft.com/office/appforoffice/1.1"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
BASE = "https://xingchen.example.com"


def parse(base_url: str = BASE) -> ElementTree.Element:
    return ElementTree.fromstring(render_manifest(base_url).encode("utf-8"))


def default_value(root: ElementTree.Element, path: str) -> str:
    element = root.find(path, NS)
    assert element is not None, f"{path} is missing"
    return element.attrib["DefaultValue"]


def test_manifest_is_task_pane_app() -> None:
    root = parse()

    assert root.tag == "{http://schemas.microsoft.com/office/appforoffice/1.1}OfficeApp"
    assert root.attrib[XSI_TYPE] == "TaskPaneApp"


def test_manifest_required_elements_present() -> None:
    root = parse()

    # The schema fixes the order of OfficeApp's children.
    order = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl"]
    names = [child.tag.split("}")[1] for child in root]
    assert [name for name in names if name in order] == order
    assert uuid.UUID(root.findtext("o:Id", namespaces=NS) or "")
    assert root.findtext("o:Version", namespaces=NS) == "1.0.0.0"
    assert root.findtext("o:DefaultLocale", namespaces=NS) == "zh-CN"
    assert default_value(root, "o:DisplayName") == "星辰写作助手"


def test_manifest_targets_word_with_write_permission() -> None:
    root = parse()

    hosts = [host.attrib["Name"] for host in root.findall("o:Hosts/o:Host", NS)]
    requirement = root.find("o:Requirements/o:Sets/o:Set", NS)
    assert hosts == ["Document"]
    assert root.findtext("o:Permissions", namespaces=NS) == "ReadWriteDocument"
    assert requirement is not None
    assert requirement.attrib == {"Name": "WordApi", "MinVersion": "1.3"}


def test_manifest_urls_use_base_url() -> None:
    root = parse(BASE + "/")

    assert (
        default_value(root, "o:DefaultSettings/o:SourceLocation") == f"{BASE}/editor-plugin/taskpane.html?host=office"
    )
    assert default_value(root, "o:IconUrl") == f"{BASE}/editor-plugin/icons/icon-32.png"
    assert default_value(root, "o:HighResolutionIconUrl") == f"{BASE}/editor-plugin/icons/icon-64.png"


def test_manifest_escapes_base_url() -> None:
    root = parse("https://example.com/a&b")

    assert default_value(root, "o:IconUrl") == "https://example.com/a&b/editor-plugin/icons/icon-32.png"


@pytest.mark.parametrize("base_url", ["ftp://example.com", "example.com", ""])
def test_manifest_rejects_non_http_base(base_url: str) -> None:
    with pytest.raises(ValueError, match="http:// or https://"):
        render_manifest(base_url)
