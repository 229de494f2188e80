"""Tests of the document model: offset validation and the heading tree."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.documents import Block, Document
from services.documents.builder import DocumentBuilder


def build(blocks: list[tuple[str, str, int | None]]) -> Document:
    builder = DocumentBuilder(filename="test.md", max_chars=10_000)
    for kind, text, level in blocks:
        builder.add(kind, text, level=level)  # type: ignore[arg-type]
    return builder.build(document_id="test", document_format="markdown")


def test_headings_nest_by_level() -> None:
    document = build(
        [
            ("heading", "A", 1),
            ("heading", "A.1", 2),
            ("paragraph", "text", None),
            ("heading", "A.1.1", 3),
            ("heading", "A.2", 2),
            ("heading", "B", 1),
        ]
    )

    tree = document.headings()

    assert [node.title for node in tree] == ["A", "B"]
    assert [child.title for child in tree[0].children] == ["A.1", "A.2"]
    assert [child.title for child in tree[0].children[0].children] == ["A.1.1"]
    assert tree[1].children == []


def test_headings_skipped_level_still_nests() -> None:
    document = build([("heading", "H1", 1), ("heading", "H3", 3), ("heading", "H2", 2)])

    (root,) = document.headings()

    assert [child.title for child in root.children] == ["H3", "H2"]
    assert [child.level for child in root.children] == [3, 2]


def test_headings_start_offsets() -> None:
    document = build([("paragraph", "intro", None), ("heading", "Title", 1)])

    (root,) = document.headings()

    assert document.text[root.start : root.start + len(root.title)] == "Title"


def test_headings_empty_without_headings() -> None:
    document = build([("paragraph", "only text", None)])

    assert document.headings() == []


def test_builder_heading_path_excludes_self() -> None:
    document = build([("heading", "A", 1), ("heading", "B", 2), ("paragraph", "p", None)])

    assert [block.heading_path for block in document.blocks] == [[], ["A"], ["A", "B"]]


def test_builder_skips_blank_text() -> None:
    document = build([("paragraph", "  \n ", None), ("paragraph", " kept ", None)])

    assert [block.text for block in document.blocks] == ["kept"]
    assert document.text == "kept"


def test_document_rejects_mismatched_offsets() -> None:
    block = Block(kind="paragraph", text="world", start=0, end=5)

    with pytest.raises(ValidationError, match="does not match"):
        Document(id="x", filename="x.txt", format="text", text="hello world", blocks=[block])
