"""Tests of the .docx loader: heading levels, lists, tables and skipped parts."""

from __future__ import annotations

import pytest

from services.documents import Document, load_document
from tests.documents.sample_files import build_docx


@pytest.fixture(scope="module")
def document() -> Document:
    return load_document(build_docx(), "规范.docx")


@pytest.mark.parametrize(
    ("title", "level"),
    [
        ("电信服务规范", 0),  # "Title" style
        ("第一章 总则", 1),  # "Heading 1"
        ("第一节 适用范围", 2),  # "Heading 2"
        ("第二章 服务质量", 1),  # custom style named "标题 1"
        ("2.1 接通率", 2),  # outline level 1 set on the paragraph
    ],
)
def test_docx_heading_level(document: Document, title: str, level: int) -> None:
    headings = {block.text: block.level for block in document.blocks if block.kind == "heading"}

    assert headings.get(title) == level


def test_docx_heading_tree(document: Document) -> None:
    (root,) = document.headings()

    assert root.title == "电信服务规范"
    assert [child.title for child in root.children] == ["第一章 总则", "第二章 服务质量"]
    assert [child.title for child in root.children[0].children] == ["第一节 适用范围"]
    assert [child.title for child in root.children[1].children] == ["2.1 接通率"]


def test_docx_table_rows_joined(document: Document) -> None:
    (table,) = [block for block in document.blocks if block.kind == "table"]

    assert table.text.split("\n") == [
        "指标 | 标准 | 备注",
        "接通率 | 99% |",
        "投诉处理 | 5 个工作日内",
    ]
    assert table.heading_path == ["电信服务规范", "第二章 服务质量", "2.1 接通率"]


def test_docx_list_items(document: Document) -> None:
    items = [block.text for block in document.blocks if block.kind == "list_item"]

    assert items == ["固定电话业务", "移动电话业务"]


def test_docx_keeps_content_control_text(document: Document) -> None:
    texts = [block.text for block in document.blocks]

    assert "内容控件中的段落。" in texts
    assert texts.index("内容控件中的段落。") < texts.index("End of document.")


def test_docx_skips_table_of_contents(document: Document) -> None:
    assert "........" not in document.text
    assert document.text.count("第一章 总则") == 1


def test_docx_paragraph_heading_path(document: Document) -> None:
    (paragraph,) = [block for block in document.blocks if block.text == "本规范适用于基础电信业务经营者。"]

    assert paragraph.kind == "paragraph"
    assert paragraph.heading_path == ["电信服务规范", "第一章 总则", "第一节 适用范围"]
