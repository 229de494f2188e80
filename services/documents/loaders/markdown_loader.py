"""Markdown (.md) loading with markdown-it-py (CommonMark plus tables)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token

from services.documents.builder import DocumentBuilder
from services.documents.loaders.encoding import decode_text
from services.documents.regulation import heading_levels, heading_rank, is_article_start

# YAML front matter ("---" lines around metadata) is not CommonMark, which would
# read its closing "---" as the underline of a heading.
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def parse_markdown(data: bytes, builder: DocumentBuilder) -> None:
    """Add headings (`#` and underlined), paragraphs, list items, tables, code and HTML text.

    A file without any Markdown heading gets its 第X编/章/节 lines as headings
    instead, and a new paragraph at each article ("第七条 ...").
    """
    text = decode_text(data, filename=builder.filename, format_name="Markdown")
    text = _FRONT_MATTER.sub("", text, count=1)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)

    has_headings = any(token.type == "heading_open" for token in tokens)
    levels: dict[int, int] = {}
    if not has_headings:
        # Levels come from the rendered text, so "**第一节 定义**" counts as a 节 heading.
        levels = heading_levels(
            line for token in tokens if token.type == "inline" for line in _inline_text(token).split("\n")
        )

    list_depth = 0
    table_rows: list[str] = []
    row_cells: list[str] = []

    for index, token in enumerate(tokens):
        match token.type:
            case "heading_open":
                builder.add("heading", _inline_text(tokens[index + 1]), level=int(token.tag[1]))
            case "bullet_list_open" | "ordered_list_open":
                list_depth += 1
            case "bullet_list_close" | "ordered_list_close":
                list_depth -= 1
            case "paragraph_open":
                paragraph = _inline_text(tokens[index + 1])
                if list_depth > 0:
                    builder.add("list_item", paragraph)
                elif levels:
                    _add_with_regulation_headings(paragraph, levels, builder)
                else:
                    builder.add("paragraph", paragraph)
            case "fence" | "code_block":
                builder.add("paragraph", token.content)
            case "html_block":
                builder.add("paragraph", _html_text(token.content))
            case "tr_open":
                row_cells = []
            case "th_open" | "td_open":
                row_cells.append(" ".join(_inline_text(tokens[index + 1]).split()))
            case "tr_close":
                if any(row_cells):
                    table_rows.append(" | ".join(row_cells).rstrip())
            case "table_close":
                builder.add("table", "\n".join(table_rows))
                table_rows = []


def _inline_text(token: Token) -> str:
    """Render an inline token as plain text: markup removed, link text and image alt text kept."""
    pieces: list[str] = []
    for child in token.children or []:
        match child.type:
            case "text" | "code_inline":
                pieces.append(child.content)
            case "softbreak" | "hardbreak":
                pieces.append("\n")
            case "image":
                pieces.append(_inline_text(child))
    return "".join(pieces)


def _html_text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def _add_with_regulation_headings(paragraph: str, levels: dict[int, int], builder: DocumentBuilder) -> None:
    lines: list[str] = []
    for line in paragraph.split("\n"):
        rank = heading_rank(line)
        if rank is not None or is_article_start(line):
            builder.add("paragraph", "\n".join(lines))
            lines.clear()
        if rank is None:
            lines.append(line)
        else:
            builder.add("heading", line.strip(), level=levels[rank])
    builder.add("paragraph", "\n".join(lines))
