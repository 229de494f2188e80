"""Every output format, with speaker names applied."""

import io
import json

import pytest
from docx import Document
from docx.oxml.ns import qn

from services.meetings.outputs import OUTPUT_FORMATS, render
from tests.meetings.helpers import meeting_result


@pytest.fixture
def named():  # type: ignore[no-untyped-def]
    result = meeting_result()
    result.speaker_names = {"SPEAKER_00": "王经理", "SPEAKER_01": "李娜"}
    return result


def test_markdown_has_sections_and_names(named) -> None:  # type: ignore[no-untyped-def]
    text = render(named, "md").decode()

    assert "## 待办事项" in text
    assert "提交方案 (负责人: 李娜; 截止: 周五) [01:02:05]" in text
    assert "王经理 主持讨论" in text
    assert "## 发言人要点 · 李娜" in text
    assert "**01:02:05 王经理**" in text
    assert "SPEAKER_0" not in text


def test_srt_blocks(named) -> None:  # type: ignore[no-untyped-def]
    text = render(named, "srt").decode()

    assert text.startswith("1\n00:00:00,000 --> 00:00:04,000\n[王经理] 今天讨论")
    assert "3\n01:02:05,000 --> 01:02:09,000" in text


def test_vtt_voice_tags(named) -> None:  # type: ignore[no-untyped-def]
    text = render(named, "vtt").decode()

    assert text.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v 王经理>")


def test_rttm_lines(named) -> None:  # type: ignore[no-untyped-def]
    lines = render(named, "rttm").decode().splitlines()

    assert lines[1] == "SPEAKER meeting 1 65.500 4.000 <NA> <NA> 李娜 <NA> <NA>"


def test_docx_east_asian_font(named) -> None:  # type: ignore[no-untyped-def]
    document = Document(io.BytesIO(render(named, "docx")))
    fonts = document.styles["Normal"].element.rPr.rFonts

    assert fonts.get(qn("w:eastAsia")) == "Noto Sans CJK SC"
    assert any("李娜" in paragraph.text for paragraph in document.paragraphs)


def test_json_round_trip(named) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render(named, "json"))

    assert data["speaker_names"]["SPEAKER_00"] == "王经理"


@pytest.mark.parametrize("output", OUTPUT_FORMATS)
def test_no_speech_renders(output: str) -> None:
    from services.meetings.results import MeetingResult, Transcript

    result = MeetingResult(filename="静音.wav", transcript=Transcript(language="zh", duration=2.0))

    assert render(result, output) is not None  # type: ignore[arg-type]


def test_markdown_no_speech_note() -> None:
    from services.meetings.results import MeetingResult, Transcript

    result = MeetingResult(filename="静音.wav", transcript=Transcript(language="zh", duration=2.0))

    assert "未检测到语音" in render(result, "md").decode()
