"""Tests of the Markdown loader: headings, code fences, lists, tables and the regulation."""

from __future__ import annotations

import pytest

from services.documents import Document, load_document
from tests.documents.sample_files import SAMPLE_MARKDOWN


@pytest.fixture(scope="module")
def document() -> Document:
    return load_document(SAMPLE_MARKDOWN.encode("utf-8"), "资费.md")


def test_markdown_headings_with_levels(document: Document) -> None:
    headings = [(block.text, block.level) for block in document.blocks if block.kind == "heading"]

    assert headings == [("资费说明", 1), ("套餐列表", 2), ("国际漫游", 3)]


def test_markdown_hash_in_code_fence_is_not_heading(document: Document) -> None:
    (code,) = [block for block in document.blocks if "price = 129" in block.text]

    assert code.kind == "paragraph"
    assert code.text.startswith("# 这一行在代码块里")


def test_markdown_front_matter_dropped(document: Document) -> None:
    assert "title:" not in document.text
    assert document.blocks[0].text == "资费说明"


def test_markdown_list_items_and_table(document: Document) -> None:
    items = [block.text for block in document.blocks if block.kind == "list_item"]
    (table,) = [block for block in document.blocks if block.kind == "table"]

    assert items == ["畅享套餐：每月 129 元", "畅享套餐 Plus：每月 199 元"]
    assert table.text == "套餐 | 月费 | 流量\n畅享 | 129 元 | 30 GB"
    assert table.heading_path == ["资费说明", "套餐列表"]


def test_markdown_inline_markup_removed() -> None:
    source = "# 标题 **加粗**\n\n见 [官网](https://example.com) 和 `code`。\n\n![示意图](a.png)\n"

    document = load_document(source.encode(), "inline.md")

    assert [block.text for block in document.blocks] == [
        "标题 加粗",
        "见 官网 和 code。",
        "示意图",
    ]


def test_markdown_regulation_heading_tree(regulation_text: str) -> None:
    document = load_document(regulation_text.encode("utf-8"), "电信条例.md")

    (root,) = [node for node in document.headings() if node.title == "中华人民共和国电信条例"]
    chapters = [child.title for child in root.children if child.title.startswith("第")]

    assert chapters == [
        "第一章 总则",
        "第二章 电信市场",
        "第三章 电信服务",
        "第四章 电信建设",
        "第五章 电信安全",
        "第六章 罚则",
        "第七章 附则",
    ]
    market = root.children[1]
    assert [section.title for section in market.children] == [
        "第一节 电信业务许可",
        "第二节 电信网间互联",
        "第三节 电信资费",
        "第四节 电信资源",
    ]
    assert all(section.level == 3 for section in market.children)


def test_markdown_regulation_article_heading_path(regulation_text: str) -> None:
    document = load_document(regulation_text.encode("utf-8"), "电信条例.md")

    (article,) = [block for block in document.blocks if block.text.startswith("第七条 ")]

    assert article.heading_path == [
        "中华人民共和国电信条例",
        "第二章 电信市场",
        "第一节 电信业务许可",
    ]


def test_markdown_without_hash_uses_regulation_headings() -> None:
    source = (
        "第一章 总则\n第一条 为了规范服务，制定本办法。\n第二条 本办法适用于全省。\n\n"
        "第二章 附则\n\n第三条 本办法自发布之日起施行。\n"
    )

    document = load_document(source.encode(), "办法.md")

    headings = [(block.text, block.level) for block in document.blocks if block.kind == "heading"]
    paragraphs = [block.text for block in document.blocks if block.kind == "paragraph"]
    assert headings == [("第一章 总则", 1), ("第二章 附则", 1)]
    assert paragraphs == [
        "第一条 为了规范服务，制定本办法。",
        "第二条 本办法适用于全省。",
        "第三条 本办法自发布之日起施行。",
    ]


def test_markdown_bold_regulation_heading() -> None:
    source = "第一章 总则\n\n**第一节 定义**\n\n第一条 本办法所称用户，是指电信用户。\n"

    document = load_document(source.encode(), "定义.md")

    headings = [(block.text, block.level) for block in document.blocks if block.kind == "heading"]
    assert headings == [("第一章 总则", 1), ("第一节 定义", 2)]


def test_markdown_with_hash_ignores_regulation_lines() -> None:
    source = "# 通知\n\n第一章 总则\n"

    document = load_document(source.encode(), "通知.md")

    assert [block.kind for block in document.blocks] == ["heading", "paragraph"]
