"""The editor plug-in's pane in Chromium over host-wps.js and a stand-in of the WPS object model.

`wps-standin.js` defines `window.Application` over an in-memory document before the
pane loads, so host-wps.js runs unchanged; the gateway is live, over the fake model.
WPS itself is not run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveGateway
from tests.writing.conftest import plan_reply

STANDIN_SCRIPT = Path(__file__).with_name("wps-standin.js")
SELECTED = "营业厅要做好排队管理，减少客户等候时间。"
REPLY = "营业厅应加强排队管理，缩短客户等候时间。"
# The stand-in's sample document as [style, text] paragraphs.
ORIGINAL_DOCUMENT = [
    ["Heading 1", "营业厅服务提升工作通知"],
    ["Normal", "各分公司：为提高营业厅服务质量，现将有关事项通知如下。"],
    ["Normal", SELECTED],
    ["Normal", "请各单位于本月底前报送落实情况。"],
]


@pytest.fixture
def wps_page(page: Page) -> Page:
    """A page with the WPS stand-in injected. The `page` fixture fails the test on any request away from loopback."""
    page.add_init_script(path=str(STANDIN_SCRIPT))
    return page


@pytest.fixture
def pane(wps_page: Page, live_gateway: LiveGateway) -> Page:
    """The pane opened as the WPS add-in opens it, with an API key saved."""
    wps_page.goto(f"{live_gateway.url}/editor-plugin/taskpane.html?host=wps")
    expect(wps_page.locator("body")).to_have_attribute("data-ready", "true")
    wps_page.fill("#api-key", live_gateway.admin_key)
    wps_page.click("#save-key")
    return wps_page


def select(page: Page, target: str) -> None:
    assert page.evaluate("(target) => window.wpsStandin.select(target)", target), f"{target!r} is not in the document"


def paragraphs(page: Page) -> list[list[str]]:
    return page.evaluate("window.wpsStandin.paragraphs()")


def calls(page: Page, name: str) -> list[list[object]]:
    return [call for call in page.evaluate("window.wpsStandin.calls") if call[0] == name]


def test_pane_uses_wps_host(pane: Page) -> None:
    expect(pane.locator("body")).to_have_attribute("data-host", "wps")
    expect(pane.locator("#host-area")).to_be_hidden()
    expect(pane.locator("#message")).to_be_hidden()


def test_wps_host_exports_office_interface(pane: Page) -> None:
    exports = pane.evaluate(
        """Promise.all([import('./host-office.js'), import('./host-wps.js')])
             .then((modules) => modules.map((module) => Object.keys(module).sort()))"""
    )

    assert exports[0] == ["getSelection", "init", "insertAfterSelection", "insertHeadings", "replaceSelection"]
    assert exports[1] == exports[0]


def test_polish_accept_replaces_selection(pane: Page, live_gateway: LiveGateway) -> None:
    select(pane, SELECTED)
    live_gateway.fake_chat.queue(REPLY)

    pane.click("button[data-operation='polish']")

    expect(pane.locator("#accept-replace")).to_be_enabled()
    expect(pane.locator("#result")).to_have_text(REPLY)
    expect(pane.locator("#selection-preview")).to_have_text(SELECTED)
    prompt = live_gateway.fake_chat.calls[-1].prompt
    assert SELECTED in prompt
    assert "各分公司" in prompt

    pane.click("#accept-replace")

    expect(pane.locator("#status")).to_have_text("已替换选中文字。")
    assert paragraphs(pane) == [*ORIGINAL_DOCUMENT[:2], ["Normal", REPLY], ORIGINAL_DOCUMENT[3]]
    assert pane.evaluate("window.wpsStandin.selectedText()") == REPLY
    assert [call[3] for call in calls(pane, "Text")] == [REPLY]


def test_replace_within_paragraph(pane: Page, live_gateway: LiveGateway) -> None:
    select(pane, "排队管理")
    live_gateway.fake_chat.queue("“分时预约”")

    pane.click("button[data-operation='rewrite']")
    expect(pane.locator("#accept-replace")).to_be_enabled()
    pane.click("#accept-replace")

    expect(pane.locator("#status")).to_have_text("已替换选中文字。")
    assert paragraphs(pane)[2] == ["Normal", "营业厅要做好分时预约，减少客户等候时间。"]
    assert pane.evaluate("window.wpsStandin.selectedText()") == "分时预约"


def test_whole_paragraph_keeps_its_mark(pane: Page, live_gateway: LiveGateway) -> None:
    # A selection that includes the paragraph mark, as selecting a whole paragraph gives in Word.
    select(pane, SELECTED + "\r")
    live_gateway.fake_chat.queue(REPLY)

    pane.click("button[data-operation='polish']")
    expect(pane.locator("#selection-preview")).to_have_text(SELECTED)
    expect(pane.locator("#accept-replace")).to_be_enabled()
    pane.click("#accept-replace")

    expect(pane.locator("#status")).to_have_text("已替换选中文字。")
    assert paragraphs(pane) == [*ORIGINAL_DOCUMENT[:2], ["Normal", REPLY], ORIGINAL_DOCUMENT[3]]


def test_multiline_result_becomes_paragraphs(pane: Page, live_gateway: LiveGateway) -> None:
    select(pane, SELECTED)
    live_gateway.fake_chat.queue("营业厅应加强排队管理。\n高峰时段增开窗口。")

    pane.click("button[data-operation='expand']")
    expect(pane.locator("#accept-replace")).to_be_enabled()
    pane.click("#accept-replace")

    expect(pane.locator("#status")).to_have_text("已替换选中文字。")
    assert paragraphs(pane) == [
        *ORIGINAL_DOCUMENT[:2],
        ["Normal", "营业厅应加强排队管理。"],
        ["Normal", "高峰时段增开窗口。"],
        ORIGINAL_DOCUMENT[3],
    ]


def test_continue_insert_after_selection(pane: Page, live_gateway: LiveGateway) -> None:
    select(pane, SELECTED)
    live_gateway.fake_chat.queue("高峰时段增开窗口。")

    pane.click("button[data-operation='continue']")
    expect(pane.locator("#accept-insert")).to_be_enabled()
    pane.click("#accept-insert")

    expect(pane.locator("#status")).to_have_text("已插入到选中文字之后。")
    assert paragraphs(pane)[2] == ["Normal", SELECTED + "高峰时段增开窗口。"]
    assert pane.evaluate("window.wpsStandin.selectedText()") == "高峰时段增开窗口。"
    assert [call[3] for call in calls(pane, "InsertAfter")] == ["高峰时段增开窗口。"]


def test_changed_selection_blocks_accept(pane: Page, live_gateway: LiveGateway) -> None:
    select(pane, SELECTED)
    live_gateway.fake_chat.queue(REPLY)
    pane.click("button[data-operation='shorten']")
    expect(pane.locator("#accept-replace")).to_be_enabled()

    select(pane, "请各单位")
    pane.click("#accept-replace")

    expect(pane.locator("#message")).to_contain_text("选中文字已改变")
    assert paragraphs(pane) == ORIGINAL_DOCUMENT
    assert calls(pane, "Text") == []


def test_outline_inserted_as_headings(pane: Page, live_gateway: LiveGateway) -> None:
    select(pane, "营业厅服务提升工作通知")
    pane.click("#use-selection")
    expect(pane.locator("#outline-title")).to_have_value("营业厅服务提升工作通知")
    pane.select_option("#document-type", "notice")
    live_gateway.fake_chat.queue(plan_reply((1, "工作目标", "目标"), (2, "服务指标", "指标"), (1, "保障措施", "措施")))

    pane.click("#generate-outline")
    expect(pane.locator("#outline-preview li")).to_have_text(["工作目标", "服务指标", "保障措施"])
    pane.click("#insert-headings")

    expect(pane.locator("#status")).to_have_text("已插入 3 个标题。")
    assert paragraphs(pane) == [
        ORIGINAL_DOCUMENT[0],
        ["Heading 1", "工作目标"],
        ["Heading 2", "服务指标"],
        ["Heading 1", "保障措施"],
        *ORIGINAL_DOCUMENT[1:],
    ]
    assert [call[3] for call in calls(pane, "Style")] == [-2, -3, -2]


def test_outline_after_last_paragraph(pane: Page, live_gateway: LiveGateway) -> None:
    select(pane, "报送落实情况")
    pane.fill("#outline-title", "落实情况报告")
    live_gateway.fake_chat.queue(plan_reply((1, "落实情况", "情况"), (2, "存在问题", "问题")))

    pane.click("#generate-outline")
    expect(pane.locator("#insert-headings")).to_be_enabled()
    pane.click("#insert-headings")

    expect(pane.locator("#status")).to_have_text("已插入 2 个标题。")
    assert paragraphs(pane) == [*ORIGINAL_DOCUMENT, ["Heading 1", "落实情况"], ["Heading 2", "存在问题"]]
    assert pane.evaluate("window.wpsStandin.selectedText()") == ""


def test_heading_levels_map_to_styles(pane: Page) -> None:
    # The service returns levels 1 and 2 only, so the host module is called directly here.
    select(pane, "请各单位")
    headings = [{"text": "三级", "level": 3}, {"text": "四级", "level": 4}, {"text": "过深", "level": 9}]
    headings.append({"text": "过浅", "level": 0})

    pane.evaluate("(headings) => import('./host-wps.js').then((host) => host.insertHeadings(headings))", headings)

    assert paragraphs(pane)[4:] == [
        ["Heading 3", "三级"],
        ["Heading 4", "四级"],
        ["Heading 4", "过深"],
        ["Heading 1", "过浅"],
    ]


def test_missing_application_shows_error(page: Page, live_gateway: LiveGateway) -> None:
    page.goto(f"{live_gateway.url}/editor-plugin/taskpane.html?host=wps")

    expect(page.locator("#message")).to_contain_text("未找到 WPS 应用对象")
    expect(page.locator("body")).not_to_have_attribute("data-ready", "true")


def test_ribbon_button_opens_and_hides_pane(wps_page: Page, live_gateway: LiveGateway) -> None:
    wps_page.goto(f"{live_gateway.url}/editor-plugin/wps/index.html")
    pane_url = f"{live_gateway.url}/editor-plugin/taskpane.html?host=wps"

    assert wps_page.evaluate("OnAddinLoad({}) && OnAction({ Id: 'xingchenShowPane' })")
    assert wps_page.evaluate("window.wpsStandin.taskPanes()") == [{"url": pane_url, "visible": True}]

    wps_page.evaluate("OnAction({ Id: 'xingchenShowPane' })")
    assert wps_page.evaluate("window.wpsStandin.taskPanes()") == [{"url": pane_url, "visible": False}]
    assert wps_page.evaluate("GetImage({ Id: 'xingchenShowPane' })") == "images/icon-32.png"
