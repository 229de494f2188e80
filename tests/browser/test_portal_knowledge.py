"""Knowledge page in Chromium: upload -> fields beside highlighted evidence -> edit and approve -> export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from services.knowledge.categories import builtin_categories
from tests.browser.conftest import LiveGateway
from tests.browser.portal_pages import expect_readable_error, saved_download, sign_in
from tests.knowledge.conftest import DATA, reply_for

PLAN = DATA / "plan_1.md"
Screenshot = Callable[[Page, str], list[Path]]


def test_knowledge_extract_review_export(
    page: Page, live_gateway: LiveGateway, screenshot: Screenshot, tmp_path: Path
) -> None:
    sign_in(page, live_gateway.url, "/knowledge")
    expect(page.get_by_label("知识类别")).to_contain_text("资费套餐")
    # Built-in categories are named by their Chinese label, which shows once.
    expect(page.locator("#category option[value='通用产品']")).to_have_text("通用产品")
    page.get_by_label("知识类别").select_option("资费套餐")

    # An image is not a document: the service's message shows, not JSON.
    image = tmp_path / "套餐海报.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n0000")
    page.get_by_label("文档").set_input_files(str(image))
    page.get_by_role("button", name="提取字段").click()
    expect_readable_error(page, "套餐海报.png")

    tariff = builtin_categories()["资费套餐"]
    live_gateway.fake_chat.queue(
        reply_for(
            tariff,
            plan_name=("畅享融合 199 元套餐", "畅享融合 199 元套餐"),
            monthly_fee_yuan=("套餐月功能费 199 元", 199),
            national_data_gb=("国内通用流量 60GB", 60),
        )
    )
    page.get_by_label("文档").set_input_files(str(PLAN))
    page.get_by_role("button", name="提取字段").click()
    expect(page.locator("#extract-status")).to_contain_text("已提取")
    expect(page.locator("#portal-error")).to_be_hidden()

    # Each grounded value's evidence is marked in the source text beside the fields.
    expect(page.locator('mark[data-field="monthly_fee_yuan"]')).to_have_text("套餐月功能费 199 元")
    expect(page.locator('mark[data-field="national_data_gb"]')).to_contain_text("60GB")
    expect(page.locator("#field-monthly_fee_yuan")).to_have_value("199")
    expect(page.locator("#record-status")).to_have_text("待审核")
    page.locator("#field-monthly_fee_yuan").focus()
    expect(page.locator('mark[data-field="monthly_fee_yuan"]')).to_have_class("hl hl-1 active")

    # A value that does not fit the field's type is rejected and the record keeps its values.
    page.locator("#field-voice_minutes").fill("很多")
    page.get_by_role("button", name="保存并通过").click()
    expect_readable_error(page, "voice_minutes")
    expect(page.locator("#record-status")).to_have_text("待审核")

    page.locator("#field-voice_minutes").fill("1000")
    page.get_by_label("审核人").fill("张敏")
    page.get_by_role("button", name="保存并通过").click()
    expect(page.locator("#record-status")).to_have_text("已通过")
    expect(page.locator("#field-voice_minutes")).to_have_value("1000")
    expect(page.locator("#portal-error")).to_be_hidden()
    screenshot(page, "portal-knowledge")

    path = saved_download(page, "导出已审核知识", tmp_path)
    sheet = openpyxl.load_workbook(path).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert path.suffix == ".xlsx"
    assert "畅享融合 199 元套餐" in cells
    assert "1000" in cells
