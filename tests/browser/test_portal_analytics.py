"""Analytics page in Chromium: question -> folded SQL, table, chart, analysis -> follow-up -> report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveGateway
from tests.browser.portal_pages import expect_readable_error, sign_in

Screenshot = Callable[[Page, str], list[Path]]

REVENUE_BY_REGION = (
    "```sql\nSELECT r.region_name, SUM(k.revenue) AS revenue FROM monthly_kpi k JOIN regions r "
    "ON k.region_id = r.region_id WHERE year(k.month) = 2025 GROUP BY r.region_name ORDER BY revenue DESC\n```"
)
EAST_BY_MONTH = (
    "```sql\nSELECT k.month, SUM(k.revenue) AS revenue FROM monthly_kpi k JOIN regions r "
    "ON k.region_id = r.region_id WHERE year(k.month) = 2025 AND r.region_name = '华东' "
    "GROUP BY k.month ORDER BY k.month\n```"
)


def test_analytics_ask_followup_report(
    page: Page, live_gateway: LiveGateway, screenshot: Screenshot, tmp_path: Path
) -> None:
    sign_in(page, live_gateway.url, "/analytics")
    expect(page.get_by_label("数据源")).to_contain_text("demo")

    # SQL that writes is refused at once (no correction re-ask); the page shows the localised reason.
    live_gateway.fake_chat.queue("DELETE FROM regions")
    page.get_by_label("业务问题").fill("删除地区表")
    page.get_by_role("button", name="提问").first.click()
    error = expect_readable_error(page, "请求编号")
    assert "只允许只读查询" in error

    live_gateway.fake_chat.queue(REVENUE_BY_REGION, "华东收入最高。")
    page.get_by_label("业务问题").fill("2025年各地区收入排名")
    page.get_by_role("button", name="提问").first.click()
    turn = page.locator(".turn").first
    expect(turn.locator(".turn-question")).to_have_text("2025年各地区收入排名")
    expect(page.locator("#portal-error")).to_be_hidden()

    # The SQL is folded until the user opens it.
    sql = turn.locator(".turn-sql pre")
    expect(sql).to_be_hidden()
    turn.get_by_text("查看 SQL").click()
    expect(sql).to_contain_text("SUM(k.revenue)")
    expect(turn.locator(".turn-table th")).to_have_text(["region_name", "revenue"])
    expect(turn.locator(".turn-table tbody tr")).to_have_count(6)
    # Numbers are right-aligned with the same decimals down the column.
    expect(turn.locator(".turn-table th.num")).to_have_text(["revenue"])
    expect(turn.locator(".turn-table td.num")).to_have_count(6)
    assert turn.locator(".turn-table td.num").first.evaluate("cell => getComputedStyle(cell).textAlign") == "right"
    expect(turn.locator(".turn-table tbody")).to_contain_text("华东")
    expect(turn.locator(".turn-analysis")).to_have_text("华东收入最高。")
    chart = turn.locator(".turn-chart img")
    expect(chart).to_be_visible()
    assert chart.evaluate("image => image.complete && image.naturalWidth > 0")

    # The follow-up continues the conversation and appends a second result.
    live_gateway.fake_chat.queue(EAST_BY_MONTH, "华东地区全年收入平稳。")
    page.get_by_label("继续追问").fill("只看华东，每月收入呢？")
    page.locator("#ask-followup").click()
    expect(page.locator(".turn")).to_have_count(2)
    second = page.locator(".turn").nth(1)
    expect(second.locator(".turn-table tbody tr")).to_have_count(12)
    expect(second.locator(".turn-analysis")).to_have_text("华东地区全年收入平稳。")
    screenshot(page, "portal-analytics")

    with page.expect_download() as info:
        turn.get_by_role("button", name="生成并下载报告").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    expect(turn.locator(".turn-progress")).to_have_attribute("value", "1")
    texts = "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)
    assert path.suffix == ".docx"
    assert "华东收入最高。" in texts
