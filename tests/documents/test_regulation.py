"""Tests of the Chinese regulation heading patterns."""

from __future__ import annotations

import pytest

from services.documents.regulation import heading_levels, heading_rank, is_article_start


@pytest.mark.parametrize(
    ("line", "rank"),
    [
        ("第一章 总则", 2),
        ("第一章　总则", 2),
        ("第十二章 附则", 2),
        ("第3章 附则", 2),
        ("第一节 电信业务许可", 3),
        ("第一编 总则", 1),
        ("第一章", 2),
        ("  第二章 电信市场  ", 2),
        ("第一章规定的事项", None),
        ("第二章 电信市场，包括以下内容", None),
        ("第七条 国家对电信业务经营实行许可制度。", None),
        ("中华人民共和国电信条例", None),
        ("依照第一章 的规定", None),
    ],
)
def test_heading_rank_table(line: str, rank: int | None) -> None:
    assert heading_rank(line) == rank


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("第七条 国家对电信业务经营实行许可制度。", True),
        ("第一百零一条　本法自公布之日起施行。", True),
        ("第八十条", True),
        ("第七条规定的许可证", False),
        ("违反本条例第四十一条的规定", False),
    ],
)
def test_article_start_table(line: str, expected: bool) -> None:
    assert is_article_start(line) is expected


def test_heading_levels_without_parts() -> None:
    levels = heading_levels(["第一章 总则", "第一节 许可", "正文"])

    assert levels == {2: 1, 3: 2}


def test_heading_levels_with_parts() -> None:
    levels = heading_levels(["第一编 总则", "第一章 一般规定", "第一节 许可"])

    assert levels == {1: 1, 2: 2, 3: 3}
