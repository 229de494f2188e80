"""HTML (.html, .htm) loading with BeautifulSoup and Python's built-in html.parser."""

from __future__ import annotations

import codecs
import logging
import re

from bs4 import BeautifulSoup, CData, NavigableString, ParserRejectedMarkup, Tag
from bs4.dammit import EncodingDetector

from services.core.errors import InvalidInputError
from services.documents.builder import DocumentBuilder
from services.documents.loaders.encoding import decode_text

logger = logging.getLogger(__name__)

_SKIPPED = frozenset({"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_PARAGRAPHS = frozenset({"p", "dt", "dd", "figcaption", "address", "summary", "caption"})
# Elements that only group other blocks: text directly inside them becomes a paragraph of its own.
_CONTAINERS = frozenset(
    {
        "html",
        "body",
        "main",
        "article",
        "section",
        "div",
        "header",
        "footer",
        "nav",
        "aside",
        "blockquote",
        "form",
        "fieldset",
        "figure",
        "details",
        "ul",
        "ol",
        "dl",
        "center",
        "hgroup",
    }
)
_BLOCKS = _HEADINGS | _PARAGRAPHS | _CONTAINERS | {"li", "pre", "table", "hr"}
# Elements that start a new line when their text is flattened.
_LINE_BREAKING = _BLOCKS | {"tr"}
_LIST_CONTENT_SKIPPED = frozenset({"ul", "ol", "table"})
_GB_ALIASES = frozenset({"gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936"})
_WHITESPACE = re.compile(r"\s+")


def parse_html(data: bytes, builder: DocumentBuilder) -> None:
    """Add h1–h6 headings, paragraphs, list items and tables, but not <head>, scripts or styles."""
    text = _decode(data, builder.filename)
    try:
        soup = BeautifulSoup(text, "html.parser")
    except ParserRejectedMarkup as exc:
        raise InvalidInputError("documents.corrupt", filename=builder.filename, format="HTML", reason=str(exc)) from exc

    _HtmlWalker(builder).walk(soup)


def _decode(data: bytes, filename: str) -> str:
    """Decode with a BOM, else with the charset that the page declares, else by trying encodings."""
    has_bom = data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    declared = None if has_bom else EncodingDetector.find_declared_encoding(data, is_html=True)
    if declared:
        encoding = "gb18030" if declared.lower() in _GB_ALIASES else declared
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except (LookupError, UnicodeDecodeError) as exc:
            logger.warning(
                "%s declares charset %s but failed to decode with it (%s); detecting the encoding",
                filename,
                declared,
                exc,
            )
    return decode_text(data, filename=filename, format_name="HTML")


class _HtmlWalker:
    """Walk the tree in document order, turning block elements into blocks."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self._builder = builder
        self._inline: list[str] = []

    def walk(self, node: Tag) -> None:
        self._walk_children(node)
        self._flush_inline()

    def _walk_children(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                self._visit(child)
            elif _is_text(child):
                self._inline.append(str(child))

    def _visit(self, element: Tag) -> None:
        name = element.name
        if name in _SKIPPED:
            return
        if name == "br":
            self._inline.append("\n")
            return
        if name not in _BLOCKS:
            # Inline element such as <span>, <a> or <strong>: its text joins the current paragraph.
            self._walk_children(element)
            return

        self._flush_inline()
        if name in _HEADINGS:
            self._builder.add("heading", _flatten(element), level=int(name[1]))
        elif name in _PARAGRAPHS:
            self._builder.add("paragraph", _flatten(element))
        elif name == "pre":
            self._builder.add("paragraph", element.get_text())
        elif name == "li":
            self._builder.add("list_item", _flatten(element, skip=_LIST_CONTENT_SKIPPED))
            self._visit_nested_blocks(element)
        elif name == "table":
            self._add_table(element)
        elif name in _CONTAINERS:
            self._walk_children(element)
            self._flush_inline()

    def _visit_nested_blocks(self, item: Tag) -> None:
        """Visit the lists and tables inside a list item, which its own text left out."""
        for child in item.children:
            if not isinstance(child, Tag):
                continue
            if child.name in _LIST_CONTENT_SKIPPED:
                self._visit(child)
            elif child.name not in _SKIPPED:
                self._visit_nested_blocks(child)

    def _add_table(self, table: Tag) -> None:
        caption = table.find("caption")
        if caption is not None and caption.find_parent("table") is table:
            self._builder.add("paragraph", _flatten(caption))

        rows: list[str] = []
        for row in table.find_all("tr"):
            if row.find_parent("table") is not table:
                continue
            cells = [_flatten(cell).replace("\n", " ") for cell in row.find_all(["td", "th"], recursive=False)]
            if any(cells):
                rows.append(" | ".join(cells).rstrip())
        self._builder.add("table", "\n".join(rows))

    def _flush_inline(self) -> None:
        if self._inline:
            self._builder.add("paragraph", _normalise_lines("".join(self._inline)))
            self._inline.clear()


def _is_text(node: object) -> bool:
    # Comments, doctypes and the text of <script> and <style> are NavigableString subclasses too.
    return type(node) in (NavigableString, CData)


def _flatten(element: Tag, *, skip: frozenset[str] = frozenset()) -> str:
    """Return the element's text, whitespace collapsed, with a line break at each <br> and block."""
    pieces: list[str] = []
    _collect(element, pieces, skip)
    return _normalise_lines("".join(pieces))


def _collect(node: Tag, pieces: list[str], skip: frozenset[str]) -> None:
    for child in node.children:
        if isinstance(child, Tag):
            if child.name in _SKIPPED or child.name in skip:
                continue
            if child.name == "br":
                pieces.append("\n")
                continue
            breaks_line = child.name in _LINE_BREAKING
            if breaks_line:
                pieces.append("\n")
            _collect(child, pieces, skip)
            if breaks_line:
                pieces.append("\n")
        elif _is_text(child):
            pieces.append(str(child))


def _normalise_lines(text: str) -> str:
    lines = (_WHITESPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)
