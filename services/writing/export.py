"""Export a draft as Markdown or .docx, in the standard or the Chinese official-document layout."""

from __future__ import annotations

import io
import logging

from docx import Document as new_docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from services.writing.numbering import official_number
from services.writing.options import ExportOptions
from services.writing.schemas import Draft, DraftSection

logger = logging.getLogger(__name__)

# GB/T 9704 sizes: title 二号 (22 pt), body and headings 三号 (16 pt).
OFFICIAL_TITLE_PT = 22
OFFICIAL_BODY_PT = 16
LATIN_FONT = "Times New Roman"

_CITATIONS_HEADING = {"zh": "参考依据", "en": "References"}


def numbered_headings(draft: Draft, options: ExportOptions) -> list[str]:
    """Return each section's heading, with 一、（一）1.（1） prefixes in the official layout."""
    if options.layout != "official":
        return [section.heading for section in draft.sections]
    counters = [0, 0, 0, 0, 0]
    headings = []
    for section in draft.sections:
        level = min(section.level, 4)
        counters[level] += 1
        for deeper in range(level + 1, len(counters)):
            counters[deeper] = 0
        headings.append(f"{official_number(level, counters[level])}{section.heading}")
    return headings


def to_markdown(draft: Draft, options: ExportOptions | None = None) -> str:
    """Render the draft as Markdown: `#` title, `##`... headings, and the cited passages at the end."""
    options = options or ExportOptions()
    lines = [f"# {draft.title}", ""]
    for section, heading in zip(draft.sections, numbered_headings(draft, options), strict=True):
        lines.extend([f"{'#' * min(section.level + 1, 6)} {heading}", ""])
        if section.text:
            lines.extend([section.text, ""])
    if options.include_citations and draft.citations:
        lines.extend([f"## {_CITATIONS_HEADING[draft.language]}", ""])
        for citation in draft.citations:
            lines.append(
                f"[{citation.number}] {_citation_source(citation.filename, citation.heading_path)}: {citation.excerpt}…"
            )
        lines.append("")
    return "\n".join(lines)


def to_docx(draft: Draft, options: ExportOptions | None = None) -> bytes:
    """Render the draft as a .docx file; every run names its East Asian font (`w:rFonts w:eastAsia`)."""
    options = options or ExportOptions()
    official = options.layout == "official"
    document = new_docx()

    title = document.add_paragraph(style=None if official else "Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _styled_run(
        title,
        draft.title,
        east_asian=options.title_font if official else options.standard_heading_font,
        size=OFFICIAL_TITLE_PT if official else None,
    )

    for section, heading in zip(draft.sections, numbered_headings(draft, options), strict=True):
        paragraph = document.add_paragraph(style=f"Heading {min(section.level, 4)}")
        _styled_run(
            paragraph,
            heading,
            east_asian=_heading_font(section, options),
            size=OFFICIAL_BODY_PT if official else None,
            black=official,
            bold=section.level == 1 if official else None,
        )
        for text in filter(None, (part.strip() for part in section.text.split("\n"))):
            _body_paragraph(document.add_paragraph(), text, options)

    if options.include_citations and draft.citations:
        heading_paragraph = document.add_paragraph(style="Heading 1")
        _styled_run(
            heading_paragraph,
            _CITATIONS_HEADING[draft.language],
            east_asian=options.heading1_font if official else options.standard_heading_font,
            size=OFFICIAL_BODY_PT if official else None,
            black=official,
        )
        for citation in draft.citations:
            source = _citation_source(citation.filename, citation.heading_path)
            _body_paragraph(document.add_paragraph(), f"[{citation.number}] {source}: {citation.excerpt}…", options)

    buffer = io.BytesIO()
    document.save(buffer)
    logger.info("exported draft %s as .docx (%s layout)", draft.id or "-", options.layout)
    return buffer.getvalue()


def _heading_font(section: DraftSection, options: ExportOptions) -> str:
    if options.layout != "official":
        return options.standard_heading_font
    if section.level == 1:
        return options.heading1_font
    if section.level == 2:
        return options.heading2_font
    return options.body_font


def _body_paragraph(paragraph: Paragraph, text: str, options: ExportOptions) -> None:
    official = options.layout == "official"
    if official:
        # Official documents indent the first line of a paragraph by two characters.
        paragraph.paragraph_format.first_line_indent = Pt(OFFICIAL_BODY_PT * 2)
    _styled_run(
        paragraph,
        text,
        east_asian=options.body_font if official else options.standard_font,
        size=OFFICIAL_BODY_PT if official else None,
    )


def _styled_run(
    paragraph: Paragraph,
    text: str,
    *,
    east_asian: str,
    size: int | None,
    black: bool = False,
    bold: bool | None = None,
) -> Run:
    run = paragraph.add_run(text)
    run.font.name = LATIN_FONT
    # python-docx sets only w:ascii and w:hAnsi; Word and WPS pick the font of
    # Chinese characters from w:eastAsia, so it is set on every run.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    if size is not None:
        run.font.size = Pt(size)
    if black:
        run.font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        run.font.bold = bold
    return run


def _citation_source(filename: str, heading_path: list[str]) -> str:
    return " > ".join([filename, *heading_path])
