"""The editor plug-in's pane in Chromium, over the stand-in document and a live gateway (fake model)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect

from services.core.i18n import translate
from tests.browser.conftest import LiveGateway
from tests.writing.conftest import plan_reply

SELECTED = "营业厅要做好排队管理，减少客户等候时间。"
REPLY = "营业厅应加强排队管理，缩短客户等候时间。"
ORIGINAL_DOCUMENT = [
    ("H1", "营业厅服务提升工作通知"),
    ("P", "各分公司：为提高营业厅服务质量，现将有关事项通知如下。"),
    ("P", SELECTED),
    ("P", "请各单位于本月底前报送落实情况。"),
]

# Record every <#result> text the pane shows: each `textContent +=` adds a new text node.
RECORD_RESULT_TEXTS = """() => {
  window.resultTexts = [];
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        window.resultTexts.push(node.textContent);
      }
    }
  }).observe(document.getElementById("result"), { childList: true });
}"""

SELECT_TEXT = """(target) => {
  const root = document.getElementById("standin-document");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const start = node.data.indexOf(target);
    if (start >= 0) {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + target.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return true;
    }
  }
  return false;
}"""

DOCUMENT_BLOCKS = """() => Array.from(document.getElementById("standin-document").children)
  .map((element) => [element.tagName, element.textContent])"""


@pytest.fixture
def pane(page: Page, live_gateway: LiveGateway) -> Iterator[Page]:
    """The pane over the stand-in document; any request away from the gateway fails the test."""
    outside: list[str] = []

    def guard(route: Route) -> None:
        if route.request.url.startswith(live_gateway.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(f"{live_gateway.url}/editor-plugin/taskpane.html?host=standin")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    yield page
    assert outside == []


def save_key(page: Page, key: str) -> None:
    page.fill("#api-key", key)
    page.click("#save-key")


def select(page: Page, target: str) -> None:
    assert page.evaluate(SELECT_TEXT, target), f"{target!r} is not in the stand-in document"


def blocks(page: Page) -> list[tuple[str, str]]:
    return [tuple(block) for block in page.evaluate(DOCUMENT_BLOCKS)]


def test_polish_accept_replaces_selection(
    pane: Page, live_gateway: LiveGateway, screenshot: Callable[[Page, str], list[Path]]
) -> None:
    save_key(pane, live_gateway.admin_key)
    select(pane, SELECTED)
    pane.evaluate(RECORD_RESULT_TEXTS)
    live_gateway.fake_chat.queue(REPLY)

    pane.click("button[data-operation='polish']")

    expect(pane.locator("#accept-replace")).to_be_enabled()
    expect(pane.locator("#result")).to_have_text(REPLY)
    expect(pane.locator("#selection-preview")).to_have_text(SELECTED)
    displayed = pane.evaluate("window.resultTexts")
    partial = [text for text in displayed if text and text != REPLY]
    assert len(partial) >= 3, displayed
    assert all(REPLY.startswith(text) for text in partial)
    prompt = live_gateway.fake_chat.calls[-1].prompt
    assert SELECTED in prompt
    assert "各分公司" in prompt
    screenshot(pane, "editor-plugin-result")

    pane.click("#accept-replace")

    expect(pane.locator("#status")).to_have_text("已替换选中文字。")
    assert blocks(pane) == [*ORIGINAL_DOCUMENT[:2], ("P", REPLY), ORIGINAL_DOCUMENT[3]]
    assert pane.evaluate("window.getSelection().toString()") == REPLY


def test_replace_within_paragraph(pane: Page, live_gateway: LiveGateway) -> None:
    save_key(pane, live_gateway.admin_key)
    select(pane, "排队管理")
    live_gateway.fake_chat.queue("“分时预约”")

    pane.click("button[data-operation='rewrite']")
    expect(pane.locator("#accept-replace")).to_be_enabled()
    pane.click("#accept-replace")

    expect(pane.locator("#status")).to_have_text("已替换选中文字。")
    assert blocks(pane)[2] == ("P", "营业厅要做好分时预约，减少客户等候时间。")


def test_continue_insert_after_selection(pane: Page, live_gateway: LiveGateway) -> None:
    save_key(pane, live_gateway.admin_key)
    select(pane, SELECTED)
    live_gateway.fake_chat.queue("高峰时段增开窗口。")

    pane.click("button[data-operation='continue']")
    expect(pane.locator("#accept-insert")).to_be_enabled()
    expect(pane.locator("#result")).to_have_text("高峰时段增开窗口。")
    pane.click("#accept-insert")

    expect(pane.locator("#status")).to_have_text("已插入到选中文字之后。")
    assert blocks(pane)[2] == ("P", SELECTED + "高峰时段增开窗口。")


def test_changed_selection_blocks_accept(pane: Page, live_gateway: LiveGateway) -> None:
    save_key(pane, live_gateway.admin_key)
    select(pane, SELECTED)
    live_gateway.fake_chat.queue(REPLY)
    pane.click("button[data-operation='shorten']")
    expect(pane.locator("#accept-replace")).to_be_enabled()

    select(pane, "请各单位")
    pane.click("#accept-replace")

    expect(pane.locator("#message")).to_contain_text("选中文字已改变")
    assert blocks(pane) == ORIGINAL_DOCUMENT


def test_outline_inserted_as_headings(
    pane: Page, live_gateway: LiveGateway, screenshot: Callable[[Page, str], list[Path]]
) -> None:
    save_key(pane, live_gateway.admin_key)
    select(pane, "营业厅服务提升工作通知")
    pane.click("#use-selection")
    expect(pane.locator("#outline-title")).to_have_value("营业厅服务提升工作通知")
    pane.select_option("#document-type", "notice")
    live_gateway.fake_chat.queue(plan_reply((1, "工作目标", "目标"), (2, "服务指标", "指标"), (1, "保障措施", "措施")))

    pane.click("#generate-outline")

    expect(pane.locator("#outline-preview li")).to_have_text(["工作目标", "服务指标", "保障措施"])
    expect(pane.locator("#status")).to_have_text("提纲已生成，共 3 个标题。")
    pane.click("#insert-headings")

    expect(pane.locator("#status")).to_have_text("已插入 3 个标题。")
    assert blocks(pane) == [
        ORIGINAL_DOCUMENT[0],
        ("H1", "工作目标"),
        ("H2", "服务指标"),
        ("H1", "保障措施"),
        *ORIGINAL_DOCUMENT[1:],
    ]
    screenshot(pane, "editor-plugin-outline")


def test_invalid_key_shows_localised_problem(
    pane: Page, live_gateway: LiveGateway, screenshot: Callable[[Page, str], list[Path]]
) -> None:
    save_key(pane, "wrong-key")
    select(pane, SELECTED)

    pane.click("button[data-operation='polish']")

    expect(pane.locator("#message")).to_have_text(f"未认证：{translate('auth.invalid_key', 'zh')}")
    screenshot(pane, "editor-plugin-invalid-key")

    # The Chinese message goes with the switch; the next call brings the English one.
    pane.click("#language-switch")
    expect(pane.locator("#message")).to_be_hidden()
    pane.click("button[data-operation='polish']")

    expect(pane.locator("#message")).to_have_text(f"Unauthorized: {translate('auth.invalid_key', 'en')}")
    assert blocks(pane) == ORIGINAL_DOCUMENT
    assert live_gateway.fake_chat.calls == []


def test_missing_key_and_selection_messages(pane: Page, live_gateway: LiveGateway) -> None:
    pane.click("button[data-operation='expand']")
    expect(pane.locator("#message")).to_have_text("请先填写 API 密钥并保存。")

    save_key(pane, live_gateway.admin_key)
    pane.evaluate("window.getSelection().removeAllRanges()")
    pane.click("button[data-operation='expand']")

    expect(pane.locator("#message")).to_contain_text("未选中文字")
    assert live_gateway.fake_chat.calls == []


def test_model_failure_shown(pane: Page, live_gateway: LiveGateway) -> None:
    from services.core.errors import UpstreamError

    save_key(pane, live_gateway.admin_key)
    select(pane, SELECTED)
    live_gateway.fake_chat.queue(UpstreamError("model.failed", target="fake", reason="boom"))

    pane.click("button[data-operation='polish']")

    expect(pane.locator("#message")).to_contain_text("生成中断")
    expect(pane.locator("#accept-replace")).to_be_disabled()
    assert blocks(pane) == ORIGINAL_DOCUMENT


def test_key_kept_in_local_storage(pane: Page, live_gateway: LiveGateway) -> None:
    save_key(pane, live_gateway.admin_key)

    pane.reload()

    expect(pane.locator("#api-key")).to_have_value(live_gateway.admin_key)


def test_texts_complete_in_both_languages(pane: Page) -> None:
    keys = pane.evaluate("import('./texts.js').then((m) => [Object.keys(m.TEXTS.zh), Object.keys(m.TEXTS.en)])")

    assert keys[0] == keys[1]

    pane.click("#language-switch")
    expect(pane.locator("#pane h1")).to_have_text("Xingchen Writing Assistant")
    expect(pane.locator("html")).to_have_attribute("lang", "en")
