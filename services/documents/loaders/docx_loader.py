"""Word (.docx) loading with python-docx: headings, paragraphs, list items and tables."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

from services.core.errors import InvalidInputError, PayloadTooLargeError
from services.documents.builder import DocumentBuilder

# Built-in heading styles are named "Heading 1".."Heading 9", which python-docx
# shows in English whatever the Word language. Files from other tools may name them "标题 1".
_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
# Word's outline level 9 means body text, so only 0..8 mark headings.
_BODY_TEXT_OUTLINE_LEVEL = 9
_MAX_STYLE_DEPTH = 20

_PARSE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    PackageNotFoundError,
    KeyError,
    ValueError,
    etree.LxmlError,
)


def parse_docx(data: bytes, builder: DocumentBuilder, *, max_unpacked_bytes: int) -> None:
    """Add the body of a Word document: headings with levels, paragraphs, list items, tables.

    Headers, footers, footnotes, comments and text boxes are skipped, and so
    are table-of-contents paragraphs, which repeat the headings.
    """
    _check_unpacked_size(data, builder.filename, limit=max_unpacked_bytes)

    try:
        document = docx.Document(io.BytesIO(data))
        for item in _iter_body(document):
            if isinstance(item, Table):
                builder.add("table", _table_text(item))
            else:
                _add_paragraph(item, builder)
    except _PARSE_ERRORS as exc:
        raise InvalidInputError(
            "documents.corrupt", filename=builder.filename, format="DOCX", reason=_reason(exc)
        ) from exc


def _check_unpacked_size(data: bytes, filename: str, *, limit: int) -> None:
    """Reject a zip whose parts add up to more than `limit` bytes, because python-docx reads all."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError) as exc:
        raise InvalidInputError("documents.corrupt", filename=filename, format="DOCX", reason=_reason(exc)) from exc

    if unpacked > limit:
        raise PayloadTooLargeError("documents.unpacked_too_large", filename=filename, size=unpacked, limit=limit)


def _iter_body(document: docx.document.Document) -> Iterator[Paragraph | Table]:
    """Yield the body's paragraphs and tables in order, including those inside content controls."""
    body = document.element.body
    pending = list(body.iterchildren())
    pending.reverse()
    while pending:
        element = pending.pop()
        if element.tag == qn("w:p"):
            yield Paragraph(element, document._body)
        elif element.tag == qn("w:tbl"):
            yield Table(element, document._body)
        elif element.tag == qn("w:sdt"):
            content = element.find(qn("w:sdtContent"))
            if content is not None:
                pending.extend(reversed(list(content.iterchildren())))


def _add_paragraph(paragraph: Paragraph, builder: DocumentBuilder) -> None:
    style = paragraph.style
    style_name = (style.name or "") if style is not None else ""
    if style_name.lower().startswith("toc"):
        return

    level = _heading_level(paragraph, style, style_name)
    if level is not None:
        builder.add("heading", paragraph.text, level=level)
    elif _is_list_item(paragraph, style, style_name):
        builder.add("list_item", paragraph.text)
    else:
        builder.add("paragraph", paragraph.text)


def _heading_level(paragraph: Paragraph, style: ParagraphStyle | None, style_name: str) -> int | None:
    """Read the heading level from the paragraph's outline level, its style name, or its styles.

    Outline levels 0..8 become heading levels 1..9, and the "Title" style becomes level 0.
    """
    direct = _outline_level(paragraph._p.pPr)
    if direct is not None:
        return direct

    if style_name == "Title":
        return 0
    match = _HEADING_STYLE.match(style_name.strip())
    if match:
        return int(match.group(1))

    for ancestor in _style_chain(style):
        inherited = _outline_level(ancestor.element.pPr)
        if inherited is not None:
            return inherited
    return None


def _outline_level(paragraph_properties: etree._Element | None) -> int | None:
    if paragraph_properties is None:
        return None
    element = paragraph_properties.find(qn("w:outlineLvl"))
    if element is None:
        return None
    try:
        value = int(element.get(qn("w:val"), ""))
    except ValueError:
        return None
    if 0 <= value < _BODY_TEXT_OUTLINE_LEVEL:
        return value + 1
    return None


def _is_list_item(paragraph: Paragraph, style: ParagraphStyle | None, style_name: str) -> bool:
    properties = paragraph._p.pPr
    if properties is not None and properties.find(qn("w:numPr")) is not None:
        return True
    if style_name.lower().startswith("list"):
        return True
    for ancestor in _style_chain(style):
        inherited = ancestor.element.pPr
        if inherited is not None and inherited.find(qn("w:numPr")) is not None:
            return True
    return False


def _style_chain(style: ParagraphStyle | None) -> Iterator[ParagraphStyle]:
    """Yield `style` and its base styles, stopping at a cycle in a malformed file."""
    seen: set[int] = set()
    while style is not None and id(style.element) not in seen and len(seen) < _MAX_STYLE_DEPTH:
        seen.add(id(style.element))
        yield style
        style = style.base_style


def _table_text(table: Table) -> str:
    """Render each row on its own line with cells joined by " | ", merged cells once per row."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            if cell._tc is previous:
                continue
            previous = cell._tc
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            rows.append(" | ".join(cells).rstrip())
    return "\n".join(rows)


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
