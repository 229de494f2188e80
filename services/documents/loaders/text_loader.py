"""Plain-text (.txt) loading, with Chinese regulation headings."""

from __future__ import annotations

from services.documents.builder import DocumentBuilder
from services.documents.loaders.encoding import decode_text
from services.documents.regulation import heading_levels, heading_rank, is_article_start


def parse_text(data: bytes, builder: DocumentBuilder) -> None:
    """Add the paragraphs of a text file, and 第X编/章/节 lines as headings."""
    text = decode_text(data, filename=builder.filename, format_name="text")
    add_plain_lines(text.split("\n"), builder)


def add_plain_lines(lines: list[str], builder: DocumentBuilder) -> None:
    """Add lines of unmarked text as headings and paragraphs.

    Files that separate paragraphs with blank lines get one paragraph per run
    of lines, because their lines are wrapped. Files without blank lines get
    one paragraph per line, a common layout of Chinese text files. In both cases a
    heading line and an article start ("第七条 ...") begin a new block.
    """
    levels = heading_levels(lines)
    separated_by_blank_lines = _has_inner_blank_line(lines)
    paragraph: list[str] = []

    def flush() -> None:
        builder.add("paragraph", "\n".join(paragraph))
        paragraph.clear()

    for line in lines:
        stripped = line.strip()
        rank = heading_rank(stripped)

        if rank is not None:
            flush()
            builder.add("heading", stripped, level=levels[rank])
        elif not stripped:
            flush()
        else:
            if not separated_by_blank_lines or is_article_start(stripped):
                flush()
            paragraph.append(stripped)

    flush()


def _has_inner_blank_line(lines: list[str]) -> bool:
    seen_text = False
    blank_after_text = False
    for line in lines:
        if line.strip():
            if blank_after_text:
                return True
            seen_text = True
        elif seen_text:
            blank_after_text = True
    return False
