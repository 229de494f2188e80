"""Render a meeting result as JSON, Markdown, .docx, SRT, WebVTT or RTTM, with speaker names applied."""

from __future__ import annotations

import io
import re
from typing import Literal

from services.meetings.minutes import format_time
from services.meetings.results import MeetingResult

OutputFormat = Literal["json", "md", "docx", "srt", "vtt", "rttm"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = ("json", "md", "docx", "srt", "vtt", "rttm")
MEDIA_TYPES: dict[str, str] = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "rttm": "text/plain; charset=utf-8",
}
_LABEL = re.compile(r"SPEAKER_\d{2}")

_HEADINGS = {
    "zh": {
        "title": "会议纪要",
        "summary": "概要",
        "topics": "议题",
        "decisions": "决定",
        "actions": "待办事项",
        "speakers": "发言人要点",
        "transcript": "会议记录",
        "owner": "负责人",
        "due": "截止",
        "none": "无",
        "no_speech": "未检测到语音。",
        "unsupported": "待核实：记录中找不到依据的条目（未列入决定和待办）",
        "decision": "决定",
        "action_item": "待办",
        "line": "第 {line} 行",
    },
    "en": {
        "title": "Meeting minutes",
        "summary": "Summary",
        "topics": "Topics",
        "decisions": "Decisions",
        "actions": "Action items",
        "speakers": "Points by speaker",
        "transcript": "Transcript",
        "owner": "owner",
        "due": "due",
        "none": "none",
        "no_speech": "No speech detected.",
        "unsupported": "To check: items the transcript does not support (left out of decisions and action items)",
        "decision": "decision",
        "action_item": "action item",
        "line": "line {line}",
    },
}


def render(result: MeetingResult, output: OutputFormat) -> bytes:
    """Render `result` in `output` format as bytes."""
    if output == "json":
        return result.model_dump_json(indent=2).encode()
    if output == "docx":
        return render_docx(result)
    text = {"md": render_markdown, "srt": render_srt, "vtt": render_vtt, "rttm": render_rttm}[output](result)
    return text.encode()


def names_applied(result: MeetingResult, text: str) -> str:
    """Replace speaker labels in free text (model output) with the chosen names."""
    return _LABEL.sub(lambda match: result.display_name(match.group(0)), text)


def _language(result: MeetingResult) -> str:
    if result.minutes is not None:
        return result.minutes.language
    return "en" if result.transcript.language == "en" else "zh"


def _sections(result: MeetingResult) -> list[tuple[str, list[str]]]:
    """Headings and their bullet lines, shared by Markdown and .docx."""
    words = _HEADINGS[_language(result)]
    minutes = result.minutes
    if minutes is None:
        return []

    def line(text: str, time: float | None) -> str:
        stamp = f" [{format_time(time)}]" if time is not None else ""
        return names_applied(result, text) + stamp

    actions = []
    for item in minutes.action_items:
        extra = []
        if item.owner:
            extra.append(f"{words['owner']}: {names_applied(result, item.owner)}")
        if item.due:
            extra.append(f"{words['due']}: {item.due}")
        suffix = f" ({'; '.join(extra)})" if extra else ""
        actions.append(line(item.task + suffix, item.time))

    sections = [
        (words["summary"], [names_applied(result, minutes.summary)] if minutes.summary else []),
        (words["topics"], [line(item.text, item.time) for item in minutes.topics]),
        (words["decisions"], [line(item.text, item.time) for item in minutes.decisions]),
        (words["actions"], actions),
    ]
    for section in minutes.speakers:
        sections.append(
            (
                f"{words['speakers']} · {result.display_name(section.speaker)}",
                [line(point.text, point.time) for point in section.points],
            )
        )
    if minutes.unsupported:
        unsupported = [
            f"{words[item.kind]}: {names_applied(result, item.text)} ({words['line'].format(line=item.line)})"
            for item in minutes.unsupported
        ]
        sections.append((words["unsupported"], unsupported))
    return sections


def render_markdown(result: MeetingResult) -> str:
    words = _HEADINGS[_language(result)]
    lines = [f"# {words['title']} · {result.filename}", ""]
    for heading, items in _sections(result):
        lines.append(f"## {heading}")
        lines.append("")
        lines.extend(f"- {item}" for item in items) if items else lines.append(f"- {words['none']}")
        lines.append("")
    lines.append(f"## {words['transcript']}")
    lines.append("")
    if not result.transcript.utterances:
        lines.append(words["no_speech"])
    for utterance in result.transcript.utterances:
        anchor = f'<a id="t-{int(utterance.start)}"></a>'
        lines.append(
            f"{anchor}**{format_time(utterance.start)} {result.display_name(utterance.speaker)}**：{utterance.text}"
        )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_docx(result: MeetingResult) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    words = _HEADINGS[_language(result)]
    document = Document()
    for style_name in ("Normal", "Heading 1", "Heading 2", "List Bullet"):
        style = document.styles[style_name]
        style.font.name = "Noto Sans CJK SC"
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "Noto Sans CJK SC")
    document.styles["Normal"].font.size = Pt(11)

    document.add_heading(f"{words['title']} · {result.filename}", level=1)
    for heading, items in _sections(result):
        document.add_heading(heading, level=2)
        for item in items or [words["none"]]:
            document.add_paragraph(item, style="List Bullet")
    document.add_heading(words["transcript"], level=2)
    if not result.transcript.utterances:
        document.add_paragraph(words["no_speech"])
    for utterance in result.transcript.utterances:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{format_time(utterance.start)} {result.display_name(utterance.speaker)}：").bold = True
        paragraph.add_run(utterance.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _clock(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def render_srt(result: MeetingResult) -> str:
    blocks = []
    for number, utterance in enumerate(result.transcript.utterances, start=1):
        blocks.append(
            f"{number}\n{_clock(utterance.start, ',')} --> {_clock(utterance.end, ',')}\n"
            f"[{result.display_name(utterance.speaker)}] {utterance.text}\n"
        )
    return "\n".join(blocks)


def render_vtt(result: MeetingResult) -> str:
    lines = ["WEBVTT", ""]
    for utterance in result.transcript.utterances:
        speaker = result.display_name(utterance.speaker).replace(">", " ")
        lines.append(f"{_clock(utterance.start, '.')} --> {_clock(utterance.end, '.')}")
        lines.append(f"<v {speaker}>{utterance.text}")
        lines.append("")
    return "\n".join(lines)


def render_rttm(result: MeetingResult, *, file_id: str = "meeting") -> str:
    lines = []
    for turn in result.transcript.turns:
        speaker = re.sub(r"\s+", "_", result.display_name(turn.speaker))
        lines.append(f"SPEAKER {file_id} 1 {turn.start:.3f} {turn.end - turn.start:.3f} <NA> <NA> {speaker} <NA> <NA>")
    return "\n".join(lines) + ("\n" if lines else "")
