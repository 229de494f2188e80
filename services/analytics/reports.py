"""Reports of one answered question: Markdown and HTML through Jinja2, Word through python-docx.

Every report has the question, the narrative, the facts, the chart, the table,
the SQL, the source and the time the data was read.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any, Literal

import jinja2
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt

from services.analytics.charts import render_png, render_svg
from services.analytics.models import TurnRecord
from services.analytics.tables import display_table
from services.core.errors import InvalidInputError
from services.core.i18n import Language
from services.core.settings import Settings

logger = logging.getLogger(__name__)

ReportFormat = Literal["md", "html", "docx"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("md", "html", "docx")
TABLE_ROWS = 50
TEMPLATES_DIR = Path(__file__).parent / "templates"

LABELS: dict[Language, dict[str, str]] = {
    "zh": {
        "title": "经营分析报告",
        "question": "问题",
        "source": "数据源",
        "ran_at": "数据读取时间",
        "period": "数据期间",
        "analysis": "分析",
        "facts": "计算要点",
        "chart": "图表",
        "table": "数据",
        "none": "（无）",
        "unverified": "以下句子中的数字与计算结果不符，已从分析中删除：",
        "more_rows": "另有 {count} 行未列出。",
    },
    "en": {
        "title": "Business analysis report",
        "question": "Question",
        "source": "Data source",
        "ran_at": "Data read at",
        "period": "Data period",
        "analysis": "Analysis",
        "facts": "Computed facts",
        "chart": "Chart",
        "table": "Data",
        "none": "(none)",
        "unverified": "These sentences quoted numbers that match no computed fact and were removed:",
        "more_rows": "{count} more rows are not listed.",
    },
}


def _md_cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")


def _environment(autoescape: bool) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["md_cell"] = _md_cell
    return environment


def report_context(turn: TurnRecord, *, language: Language) -> dict[str, Any]:
    analysis = turn.analysis or {}
    narrative = analysis.get("narrative") or {}
    table = display_table(turn.columns, turn.rows[:TABLE_ROWS])
    return {
        "language": language,
        "labels": LABELS[language],
        "question": turn.question,
        "source": turn.source,
        "ran_at": turn.created_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        "data_period": _data_period(turn),
        "narrative": narrative.get("text", ""),
        "unverified": narrative.get("unverified", []),
        "facts": [fact["text"] for fact in analysis.get("facts", [])],
        "columns": turn.columns,
        "rows": table.rows,
        "numeric": table.numeric,
        "hidden_rows": max(len(turn.rows) - TABLE_ROWS, 0),
        "sql": turn.sql,
    }


def _data_period(turn: TurnRecord) -> str | None:
    chart = turn.chart or {}
    choice = chart.get("choice") or {}
    if choice.get("kind") != "line" or not choice.get("x") or choice["x"] not in turn.columns:
        return None
    index = turn.columns.index(choice["x"])
    values = sorted(str(row[index]) for row in turn.rows if row[index] is not None)
    return f"{values[0]} – {values[-1]}" if values else None


def _chart_spec(turn: TurnRecord) -> dict[str, Any] | None:
    chart = turn.chart or {}
    spec = chart.get("spec")
    return spec if isinstance(spec, dict) else None


def render_markdown(turn: TurnRecord, *, language: Language, chart_file: str | None) -> str:
    context = report_context(turn, language=language)
    return _environment(False).get_template("report.md.j2").render(chart_file=chart_file, **context)


def render_html(turn: TurnRecord, *, language: Language, settings: Settings) -> str:
    spec = _chart_spec(turn)
    svg = render_svg(spec, font_dir=settings.analytics_font_dir) if spec else None
    context = report_context(turn, language=language)
    return _environment(True).get_template("report.html.j2").render(chart_svg=svg, **context)


def render_docx(turn: TurnRecord, *, language: Language, chart_png: bytes | None) -> bytes:
    context = report_context(turn, language=language)
    labels = context["labels"]
    document = WordDocument()
    style = document.styles["Normal"]
    style.font.name = "Noto Sans CJK SC"
    style.font.size = Pt(10.5)

    document.add_heading(labels["title"], level=0)
    document.add_paragraph(f"{labels['question']}：{context['question']}")
    meta = f"{labels['source']}：{context['source']}    {labels['ran_at']}：{context['ran_at']}"
    if context["data_period"]:
        meta += f"    {labels['period']}：{context['data_period']}"
    document.add_paragraph(meta)

    document.add_heading(labels["analysis"], level=1)
    document.add_paragraph(context["narrative"] or labels["none"])
    if context["unverified"]:
        document.add_paragraph(labels["unverified"])
        for sentence in context["unverified"]:
            document.add_paragraph(sentence, style="List Bullet")
    if context["facts"]:
        document.add_heading(labels["facts"], level=2)
        for fact in context["facts"]:
            document.add_paragraph(fact, style="List Bullet")

    if chart_png:
        document.add_heading(labels["chart"], level=1)
        document.add_picture(io.BytesIO(chart_png), width=Inches(6.0))

    document.add_heading(labels["table"], level=1)
    table = document.add_table(rows=1, cols=max(len(context["columns"]), 1))
    table.style = "Table Grid"
    numeric = context["numeric"]
    for cell, column, is_number in zip(table.rows[0].cells, context["columns"], numeric, strict=False):
        cell.text = str(column)
        if is_number:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row in context["rows"]:
        cells = table.add_row().cells
        for cell, value, is_number in zip(cells, row, numeric, strict=False):
            cell.text = value
            if is_number:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if context["hidden_rows"]:
        document.add_paragraph(labels["more_rows"].format(count=context["hidden_rows"]))

    document.add_heading("SQL", level=1)
    paragraph = document.add_paragraph()
    run = paragraph.add_run(context["sql"])
    run.font.name = "Courier New"

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def check_formats(formats: list[str]) -> None:
    """Raise a caller error naming the accepted formats when `formats` is empty or has an unknown one."""
    unknown = [name for name in formats if name not in REPORT_FORMATS]
    if unknown or not formats:
        raise InvalidInputError(
            "analytics.report_format_invalid", format=", ".join(unknown) or "-", accepted=", ".join(REPORT_FORMATS)
        )


def write_reports(
    turn: TurnRecord, *, folder: Path, formats: list[str], language: Language, settings: Settings
) -> dict[str, str]:
    """Write the requested report files into `folder`; returns format -> file path."""
    check_formats(formats)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    spec = _chart_spec(turn)
    chart_png = render_png(spec, font_dir=settings.analytics_font_dir) if spec else None
    stem = f"report-{turn.id[:12]}"
    if chart_png is not None:
        chart_path = folder / f"{stem}-chart.png"
        chart_path.write_bytes(chart_png)
        files["png"] = str(chart_path)
    if "md" in formats:
        path = folder / f"{stem}.md"
        path.write_text(
            render_markdown(turn, language=language, chart_file=f"{stem}-chart.png" if chart_png else None),
            encoding="utf-8",
        )
        files["md"] = str(path)
    if "html" in formats:
        path = folder / f"{stem}.html"
        path.write_text(render_html(turn, language=language, settings=settings), encoding="utf-8")
        files["html"] = str(path)
    if "docx" in formats:
        path = folder / f"{stem}.docx"
        path.write_bytes(render_docx(turn, language=language, chart_png=chart_png))
        files["docx"] = str(path)
    logger.info("analytics report for turn %s written: %s", turn.id, ", ".join(sorted(files)))
    return files
