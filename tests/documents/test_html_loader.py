"""Tests of the HTML loader: structure, dropped elements and declared charsets."""

from __future__ import annotations

import pytest

from services.documents import Document, load_document
from tests.documents.sample_files import SAMPLE_HTML


@pytest.fixture(scope="module")
def document() -> Document:
    return load_document(SAMPLE_HTML.encode("utf-8"), "指南.html")


def test_html_blocks_in_order(document: Document) -> None:
    blocks = [(block.kind, block.text) for block in document.blocks]

    assert blocks == [
        ("heading", "宽带安装指南"),
        ("paragraph", "安装前请确认光猫已通电。\n第二行。"),
        ("heading", "步骤"),
        ("list_item", "连接光纤"),
        ("list_item", "登录管理页面"),
        ("list_item", "默认地址 192.168.1.1"),
        ("table", "故障 | 处理\n无信号 | 检查光纤"),
        ("paragraph", "散落的文字"),
        ("paragraph", "段落"),
    ]


def test_html_heading_levels_and_paths(document: Document) -> None:
    (tree_root,) = document.headings()

    assert tree_root.title == "宽带安装指南"
    assert tree_root.level == 1
    assert [(child.title, child.level) for child in tree_root.children] == [("步骤", 2)]
    (table,) = [block for block in document.blocks if block.kind == "table"]
    assert table.heading_path == ["宽带安装指南", "步骤"]


@pytest.mark.parametrize("hidden", ["页面标题", "不应出现", "color: red"])
def test_html_drops_head_script_style(document: Document, hidden: str) -> None:
    assert hidden not in document.text


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<meta charset="gbk">', "gbk"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', "gb2312"),
        ('<meta charset="utf-8">', "utf-8"),
        ("", "gb18030"),
    ],
)
def test_html_decodes_declared_charset(declaration: str, encoding: str) -> None:
    page = f"<html><head>{declaration}</head><body><p>电信业务经营许可证</p></body></html>"

    document = load_document(page.encode(encoding), "页面.html")

    assert document.text == "电信业务经营许可证"


def test_html_nested_inline_joins_paragraph() -> None:
    page = "<body><div><span>前半句，</span><a href='#'>链接</a><em>后半句。</em></div></body>"

    document = load_document(page.encode(), "inline.html")

    assert [block.text for block in document.blocks] == ["前半句，链接后半句。"]
