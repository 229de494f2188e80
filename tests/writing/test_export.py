"""Markdown and .docx export: headings, numbering, citations and East Asian fonts read back from the XML."""

import io

import docx
import pytest
from docx.oxml.ns import qn

from services.writing.export import numbered_headings, to_docx, to_markdown
from services.writing.options import ExportOptions
from services.writing.schemas import Citation, Draft, DraftSection

DRAFT = Draft(
    id="d1",
    title="电信用户个人信息保护工作方案",
    sections=[
        DraftSection(section_id="1", heading="总体要求", level=1, text=""),
        DraftSection(
            section_id="1.1", heading="工作目标", level=2, text="建立健全个人信息保护制度[1]。\n落实主体责任。"
        ),
        DraftSection(section_id="1.1.1", heading="具体指标", level=3, text="指标。"),
        DraftSection(section_id="1.1.1.1", heading="考核", level=4, text="考核。"),
        DraftSection(section_id="2", heading="主要任务", level=1, text="开展自查[1]。"),
        DraftSection(section_id="2.1", heading="自查", level=2, text="自查。"),
    ],
    citations=[
        Citation(
            number=1, passage_id="abc#p3", filename="个人信息保护法.md", heading_path=["第一章 总则"], excerpt="第一条"
        )
    ],
)


def read_docx(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_numbered_headings_official() -> None:
    headings = numbered_headings(DRAFT, ExportOptions(layout="official"))

    assert headings == ["一、总体要求", "（一）工作目标", "1.具体指标", "（1）考核", "二、主要任务", "（一）自查"]


def test_numbered_headings_standard_plain() -> None:
    assert numbered_headings(DRAFT, ExportOptions())[0] == "总体要求"


def test_markdown_has_headings_and_citations() -> None:
    text = to_markdown(DRAFT)

    assert text.startswith("# 电信用户个人信息保护工作方案\n")
    assert "\n### 工作目标\n" in text
    assert "\n## 参考依据\n" in text
    assert "[1] 个人信息保护法.md > 第一章 总则: 第一条…" in text


def test_markdown_without_citations() -> None:
    assert "参考依据" not in to_markdown(DRAFT, ExportOptions(include_citations=False))


@pytest.mark.parametrize("layout", ["standard", "official"])
def test_docx_every_run_has_east_asian_font(layout: str) -> None:
    document = read_docx(to_docx(DRAFT, ExportOptions(layout=layout)))

    runs = [run for paragraph in document.paragraphs for run in paragraph.runs]
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts is not None
        assert fonts.get(qn("w:eastAsia"))


def test_docx_official_fonts_by_name() -> None:
    document = read_docx(to_docx(DRAFT, ExportOptions(layout="official")))

    fonts = {
        paragraph.text: paragraph.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) for paragraph in document.paragraphs
    }
    assert fonts["电信用户个人信息保护工作方案"] == "方正小标宋简体"
    assert fonts["一、总体要求"] == "黑体"
    assert fonts["（一）工作目标"] == "楷体_GB2312"
    assert fonts["建立健全个人信息保护制度[1]。"] == "仿宋_GB2312"


def test_docx_official_sizes() -> None:
    document = read_docx(to_docx(DRAFT, ExportOptions(layout="official")))

    title = document.paragraphs[0]
    body = next(paragraph for paragraph in document.paragraphs if paragraph.text == "落实主体责任。")
    assert title.runs[0].font.size.pt == 22
    assert body.runs[0].font.size.pt == 16
    assert body.paragraph_format.first_line_indent.pt == 32


def test_docx_heading_styles() -> None:
    document = read_docx(to_docx(DRAFT))

    styles = {paragraph.text: paragraph.style.name for paragraph in document.paragraphs}
    assert styles["电信用户个人信息保护工作方案"] == "Title"
    assert styles["总体要求"] == "Heading 1"
    assert styles["工作目标"] == "Heading 2"
    assert styles["考核"] == "Heading 4"


def test_docx_body_keeps_citations() -> None:
    document = read_docx(to_docx(DRAFT))

    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "开展自查[1]。" in texts
    assert "[1] 个人信息保护法.md > 第一章 总则: 第一条…" in texts


def test_docx_xml_has_east_asian_attribute() -> None:
    document = read_docx(to_docx(DRAFT, ExportOptions(layout="official")))

    xml = document.element.body.xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml
    assert 'w:eastAsia="方正小标宋简体"' in xml
