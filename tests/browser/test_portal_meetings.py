"""Meetings page in Chromium: upload audio -> progress -> transcript with speakers -> rename -> minutes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveGateway
from tests.browser.portal_pages import expect_readable_error, saved_download, sign_in
from tests.meetings import clips
from tests.meetings.test_minutes import chunk_reply

Screenshot = Callable[[Page, str], list[Path]]
# Whisper and the speaker model run for real on the short Mandarin clip.
JOB_TIMEOUT_MS = 240_000


def test_meetings_bad_upload_hides_progress(page: Page, live_gateway: LiveGateway, tmp_path: Path) -> None:
    sign_in(page, live_gateway.url, "/meetings")

    # A text file is not audio: the decoder's message shows before any job starts, and no progress bar stays.
    not_audio = tmp_path / "纪要.wav"
    not_audio.write_text("这不是录音", encoding="utf-8")
    page.get_by_label("会议录音").set_input_files(str(not_audio))
    page.get_by_role("button", name="上传并转写").click()
    expect_readable_error(page, "不是可识别的音频")
    expect(page.locator("#job-progress")).to_be_hidden()
    expect(page.locator("#job-status")).to_have_text("")


def test_meetings_upload_transcript_rename_minutes(
    page: Page, live_gateway: LiveGateway, screenshot: Screenshot, tmp_path: Path
) -> None:
    sign_in(page, live_gateway.url, "/meetings")

    # The clip supports the decision (it mentions 广州) but not the action item.
    live_gateway.fake_chat.queue(chunk_reply(1, decision=("分析广州房地产中介协会", "广州"), owner="SPEAKER_00"))
    page.get_by_label("会议录音").set_input_files(str(clips.AISHELL))
    page.get_by_label("会议语言").select_option("zh")
    page.get_by_role("button", name="上传并转写").click()
    expect(page.locator("#job-progress")).to_be_visible()
    expect(page.locator("#job-status")).to_have_text("完成", timeout=JOB_TIMEOUT_MS)
    expect(page.locator("#job-progress")).to_have_js_property("value", 1)
    expect(page.locator("#portal-error")).to_be_hidden()

    utterance = page.locator(".utterance").first
    expect(utterance).to_have_class("utterance spk-0")
    expect(utterance.locator("time")).to_have_text("00:00")
    expect(utterance.locator(".speaker")).to_have_text("SPEAKER_00")
    expect(utterance).to_contain_text("广州")
    expect(page.locator("#minutes")).to_contain_text("分析广州房地产中介协会（00:00）")
    expect(page.locator("#minutes h3.unsupported")).to_have_text("待核实：记录中找不到依据的条目")
    expect(page.locator("#minutes")).to_contain_text("提交方案（第 1 行）")

    page.get_by_label("SPEAKER_00 的姓名").fill("王经理")
    page.get_by_role("button", name="保存姓名").click()
    expect(page.locator("#speakers-status")).to_have_text("已保存")
    expect(utterance.locator(".speaker")).to_have_text("王经理")
    screenshot(page, "portal-meetings")

    path = saved_download(page, "下载 Word 文档", tmp_path)
    texts = "\n".join(paragraph.text for paragraph in docx.Document(str(path)).paragraphs)
    assert texts.startswith("会议纪要")
    assert "王经理" in texts
