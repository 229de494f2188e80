"""Markdown, HTML and Word reports of a stored answer."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas
import pytest
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from services.analytics.charts import chart_spec, choose_chart
from services.analytics.models import TurnRecord
from services.analytics.reports import render_docx, render_html, render_markdown, write_reports
from services.analytics.tables import display_table
from services.core.errors import InvalidInputError
from services.core.settings import Settings


def _turn(rows: int = 3) -> TurnRecord:
    frame = pandas.DataFrame({"地区": ["华东", "华北", "华南"][:rows], "收入": [300.0, 200.0, 100.0][:rows]})
    choice = choose_chart(frame)
    return TurnRecord(
        id="a" * 32,
        conversation_id="c",
        source="demo",
        question="2025年各地区收入排名",
        sql="SELECT region_name, SUM(revenue) FROM monthly_kpi GROUP BY 1 LIMIT 1000",
        columns=["地区", "收入"],
        rows=frame.values.tolist(),
        chart={
            "choice": choice.model_dump(),
            "spec": chart_spec(frame, choice, title="各地区收入", font="Noto Sans CJK SC"),
        },
        analysis={
            "facts": [{"kind": "total", "text": "收入 合计 600。", "values": [600.0]}],
            "narrative": {"text": "华东收入最高。", "unverified": ["华北增长 99%。"], "source": "model"},
        },
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def test_markdown_report_has_every_part() -> None:
    text = render_markdown(_turn(), language="zh", chart_file="chart.png")

    assert "2025年各地区收入排名" in text
    assert "华东收入最高。" in text
    assert "华北增长 99%。" in text
    assert "收入 合计 600。" in text
    assert "![图表](chart.png)" in text
    assert "| 华东 | 300 |" in text
    assert "```sql\nSELECT region_name" in text
    assert "demo" in text
    assert "2026-01-02 03:04:05 UTC" in text


def test_markdown_report_in_english() -> None:
    text = render_markdown(_turn(), language="en", chart_file=None)

    assert text.startswith("# Business analysis report")
    assert "![" not in text


def test_docx_report_has_chart_and_table() -> None:
    from services.analytics.charts import render_png

    spec = _turn().chart["spec"]  # type: ignore[index]
    png = render_png(spec, font_dir=Settings.model_fields["analytics_font_dir"].default)

    data = render_docx(_turn(), language="zh", chart_png=png)

    document = WordDocument(io.BytesIO(data))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "问题：2025年各地区收入排名" in text
    assert "华东收入最高。" in text
    assert "SELECT region_name" in text
    assert len(document.tables) == 1
    assert document.tables[0].rows[1].cells[0].text == "华东"
    assert any(name.startswith("word/media/") for name in zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_write_reports_all_formats(tmp_path: Path, settings: Settings) -> None:
    files = write_reports(_turn(), folder=tmp_path, formats=["md", "html", "docx"], language="zh", settings=settings)

    assert sorted(files) == ["docx", "html", "md", "png"]
    html = Path(files["html"]).read_text(encoding="utf-8")
    assert "<svg" in html
    assert "各地区收入" in html
    assert Path(files["png"]).read_bytes().startswith(b"\x89PNG")


def test_write_reports_escapes_html(tmp_path: Path, settings: Settings) -> None:
    turn = _turn()
    turn.question = "<script>alert(1)</script>"

    files = write_reports(turn, folder=tmp_path, formats=["html"], language="zh", settings=settings)

    assert "<script>alert(1)</script>" not in Path(files["html"]).read_text(encoding="utf-8")


def test_write_reports_unknown_format(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InvalidInputError) as caught:
        write_reports(_turn(), folder=tmp_path, formats=["pdf"], language="zh", settings=settings)

    assert caught.value.code == "analytics.report_format_invalid"


def _uneven_turn() -> TurnRecord:
    turn = _turn()
    turn.chart = None
    turn.rows = [["华东", 520668528.8], ["华北", 1234.56], ["华南", 7]]
    return turn


def test_display_table_aligns_decimals_per_column() -> None:
    table = display_table(
        ["年份", "地区", "收入", "占比"],
        [[2024, "华东", 520668528.8, 0.0123], [2025, "华北", 1234.5, 0.5], [2025, None, 7, None]],
    )

    assert table.numeric == [True, False, True, True]
    assert [row[2] for row in table.rows] == ["520,668,528.80", "1,234.50", "7.00"]
    assert [row[3] for row in table.rows] == ["0.0123", "0.5000", ""]
    assert [row[0] for row in table.rows] == ["2024", "2025", "2025"]


def test_reports_right_align_numbers_with_even_decimals(settings: Settings) -> None:
    markdown = render_markdown(_uneven_turn(), language="zh", chart_file=None)
    html = render_html(_uneven_turn(), language="zh", settings=settings)
    document = WordDocument(io.BytesIO(render_docx(_uneven_turn(), language="zh", chart_png=None)))

    assert "|---|---:|" in markdown
    assert "| 华东 | 520,668,528.80 |" in markdown
    assert "| 华南 | 7.00 |" in markdown
    assert '<td class="num">1,234.56</td>' in html
    assert "<td>华东</td>" in html
    cells = document.tables[0].rows[1].cells
    assert cells[1].text == "520,668,528.80"
    assert cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert cells[0].paragraphs[0].alignment != WD_ALIGN_PARAGRAPH.RIGHT
