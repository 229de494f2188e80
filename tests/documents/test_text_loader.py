"""Tests of the plain-text loader: encodings, paragraphs and regulation headings."""

from __future__ import annotations

import codecs

import pytest

from services.core.errors import InvalidInputError
from services.documents import load_document

SAMPLE = "第一章 总则\n第一条 为了规范电信市场秩序，制定本条例。\n第二条 本条例适用于境内电信活动。"


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("utf-8", SAMPLE.encode("utf-8")),
        ("utf-8 with BOM", codecs.BOM_UTF8 + SAMPLE.encode("utf-8")),
        ("gb18030", SAMPLE.encode("gb18030")),
        ("gbk", SAMPLE.encode("gbk")),
        ("utf-16 with BOM", SAMPLE.encode("utf-16")),
        ("utf-8 with CRLF", SAMPLE.replace("\n", "\r\n").encode("utf-8")),
    ],
)
def test_text_decodes_encoding(encoding: str, data: bytes) -> None:
    document = load_document(data, "条例.txt")

    assert document.text == SAMPLE.replace("\n", "\n\n"), encoding
    assert document.blocks[0].kind == "heading"
    assert "\ufeff" not in document.text


def test_text_blank_line_paragraphs_keep_wrapped_lines() -> None:
    source = "Telecom operators must\nkeep records.\n\nUsers may\ncomplain.\n"

    document = load_document(source.encode(), "notes.txt")

    assert [block.text for block in document.blocks] == [
        "Telecom operators must\nkeep records.",
        "Users may\ncomplain.",
    ]


def test_text_article_starts_new_paragraph() -> None:
    source = "第一条 第一款内容，\n续行内容。\n第二条 第二条内容。\n\n附则说明。\n"

    document = load_document(source.encode(), "条款.txt")

    assert [block.text for block in document.blocks] == [
        "第一条 第一款内容，\n续行内容。",
        "第二条 第二条内容。",
        "附则说明。",
    ]


def test_text_regulation_chapters_and_sections(regulation_as_txt: str) -> None:
    document = load_document(regulation_as_txt.encode("gbk"), "电信条例.txt")

    tree = document.headings()

    assert [node.title for node in tree] == [
        "第一章 总则",
        "第二章 电信市场",
        "第三章 电信服务",
        "第四章 电信建设",
        "第五章 电信安全",
        "第六章 罚则",
        "第七章 附则",
    ]
    assert all(node.level == 1 for node in tree)
    assert [section.title for section in tree[3].children] == [
        "第一节 电信设施建设",
        "第二节 电信设备进网",
    ]
    assert all(section.level == 2 for section in tree[3].children)


def test_text_regulation_offsets(regulation_as_txt: str) -> None:
    document = load_document(regulation_as_txt.encode("gb18030"), "电信条例.txt")

    for index, block in enumerate(document.blocks):
        assert document.text[block.start : block.end] == block.text, f"block {index}"
    articles = [block for block in document.blocks if block.text.startswith("第七十九条")]
    assert len(articles) == 1
    assert articles[0].heading_path == ["第七章 附则"]


def test_text_mention_of_chapter_is_not_heading() -> None:
    source = "第一章规定的事项，由主管部门负责。\n依照第二章 第三节的规定执行。"

    document = load_document(source.encode(), "说明.txt")

    assert [block.kind for block in document.blocks] == ["paragraph", "paragraph"]


def test_text_utf16_bom_with_odd_length_is_corrupt() -> None:
    data = codecs.BOM_UTF16_LE + "电信".encode("utf-16-le") + b"\x00"

    with pytest.raises(InvalidInputError) as caught:
        load_document(data, "半截.txt")

    assert caught.value.code == "documents.corrupt"
