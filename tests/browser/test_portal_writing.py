"""Writing page in Chromium: references and title -> outline -> edited outline -> streamed draft -> .docx."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from apps.gateway.app import create_app
from services.core.settings import Settings
from services.documents import load_document
from services.model.client import ModelClient
from tests.browser.conftest import LiveGateway, serve_gateway
from tests.browser.portal_pages import expect_readable_error, saved_download, sign_in
from tests.writing.conftest import PIPL_PATH, plan_reply

TITLE = "电信用户个人信息保护工作方案"
# The embedded model plans and writes on CPU; its steps get this long to finish, in milliseconds.
REAL_MODEL_TIMEOUT_MS = 600_000
Screenshot = Callable[[Page, str], list[Path]]


def outline_headings(page: Page) -> list[str]:
    inputs = page.locator("#outline-sections input")
    return [inputs.nth(index).input_value() for index in range(inputs.count())]


def make_outline(page: Page, reference: Path) -> None:
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("文种").select_option("plan")
    page.locator("#references").set_input_files(str(reference))
    page.get_by_role("button", name="生成大纲").click()


def expect_whole_passage(page: Page) -> None:
    """Check the citation panel shows the reference's text between the offsets it names, not the excerpt."""
    span = page.locator("#citation-span").inner_text()
    start, end = (int(number) for number in re.findall(r"\d+", span))
    source_text = load_document(PIPL_PATH.read_bytes(), PIPL_PATH.name).text
    passage_text = page.locator("#citation-text").text_content() or ""

    assert passage_text == source_text[start - 1 : end]
    # Stored excerpts stop at 120 characters, so a longer text can only come from the whole passage.
    assert len(passage_text) > 120, passage_text


def test_writing_outline_draft_citation_docx(
    page: Page, live_gateway: LiveGateway, screenshot: Screenshot, tmp_path: Path
) -> None:
    sign_in(page, live_gateway.url, "/writing")

    # A reference of an unsupported type is rejected with the service's message, not JSON.
    unsupported = tmp_path / "扫描件.png"
    unsupported.write_bytes(b"\x89PNG\r\n\x1a\n0000")
    make_outline(page, unsupported)
    expect_readable_error(page, "不支持文件“扫描件.png”的类型")
    expect(page.locator("#outline-card")).to_be_hidden()

    live_gateway.fake_chat.queue(
        plan_reply((1, "告知同意", "同意规则"), (1, "敏感个人信息", "处理规则"), (1, "法律责任", "罚则"))
    )
    make_outline(page, PIPL_PATH)
    expect(page.locator("#outline-status")).to_have_text("大纲已生成，共 3 个章节")
    expect(page.locator("#portal-error")).to_be_hidden()
    assert outline_headings(page) == ["告知同意", "敏感个人信息", "法律责任"]

    # Rename, remove, add, move up and indent, then write from the edited outline.
    page.locator("#outline-sections input").first.fill("告知与同意")
    page.locator("#outline-sections li").nth(2).get_by_role("button", name="删除").click()
    page.get_by_role("button", name="添加章节").click()
    page.locator("#outline-sections input").last.fill("监督检查")
    page.locator("#outline-sections li").last.get_by_role("button", name="上移").click()
    page.locator("#outline-sections li").nth(1).get_by_role("button", name="降级").click()
    assert outline_headings(page) == ["告知与同意", "监督检查", "敏感个人信息"]
    expect(page.locator("#outline-sections li").nth(1)).to_have_attribute("data-level", "2")
    screenshot(page, "portal-writing-outline")

    # Only the two leaf sections get text, so the parent keeps its heading alone.
    live_gateway.fake_chat.queue("各部门应当定期开展监督检查[1]。", "处理敏感个人信息应当取得个人的单独同意。")
    page.get_by_role("button", name="开始撰写").click()
    expect(page.locator("#draft-status")).to_have_text("全文已完成，可下载 Word 文档")
    headings = page.locator("#draft-sections h3, #draft-sections h4")
    expect(headings).to_have_text(["告知与同意", "监督检查", "敏感个人信息"])
    expect(page.locator("#draft-sections")).to_contain_text("单独同意")

    page.locator("button.cite").first.click()
    expect(page.locator("#citation-source")).to_have_text(PIPL_PATH.name)
    expect(page.locator("#citation-span")).to_have_text(re.compile(r"^原文第 \d+–\d+ 字$"))
    expect_whole_passage(page)
    screenshot(page, "portal-writing-draft")

    path = saved_download(page, "下载 Word 文档", tmp_path)
    texts = [paragraph.text for paragraph in docx.Document(str(path)).paragraphs]
    assert path.suffix == ".docx"
    assert any("监督检查" in text for text in texts)
    assert any("单独同意" in text for text in texts)
    assert not any("法律责任" in text for text in texts)


@pytest.fixture
def embedded_gateway(embedded_settings: Settings, embedded_model: ModelClient, tmp_path: Path) -> Iterator[str]:
    """The gateway over the real embedded model, with short sections so a draft stays quick."""
    settings = embedded_settings.model_copy(update={"data_dir": tmp_path / "var", "writing_section_max_tokens": 60})
    with serve_gateway(create_app(settings, model=embedded_model)) as url:
        yield url


@pytest.mark.real_model
def test_writing_flow_embedded_model(page: Page, embedded_gateway: str, screenshot: Screenshot, tmp_path: Path) -> None:
    # An excerpt keeps the planning prompt short enough for the CPU model's call timeout.
    excerpt = tmp_path / "个人信息保护法（节选）.md"
    excerpt.write_text(PIPL_PATH.read_text(encoding="utf-8")[:1500], encoding="utf-8")
    sign_in(page, embedded_gateway, "/writing")

    make_outline(page, excerpt)
    expect(page.locator("#outline-status")).to_contain_text("大纲已生成", timeout=REAL_MODEL_TIMEOUT_MS)
    count = page.locator("#outline-sections li").count()
    assert count >= 1
    # Keep the first section only, so the small model writes one short section.
    for _ in range(count - 1):
        page.locator("#outline-sections li").last.get_by_role("button", name="删除").click()
    page.locator("#outline-sections li").first.get_by_role("button", name="升级").click()

    page.get_by_role("button", name="开始撰写").click()
    expect(page.locator("#draft-status")).to_have_text("全文已完成，可下载 Word 文档", timeout=REAL_MODEL_TIMEOUT_MS)
    expect(page.locator("#portal-error")).to_be_hidden()
    text = page.locator(".draft-text").first.inner_text()
    assert len(text.strip()) > 10, text
    screenshot(page, "portal-writing-embedded")
