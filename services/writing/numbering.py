"""Heading numbers: strip the ones a model writes, and add the Chinese official-document ones."""

from __future__ import annotations

import re

import cn2an

# Leading numbers a heading may carry: 一、 （一） 1. 1、 (1) 第一章 I. 1.2.3
_LEADING_NUMBER = re.compile(
    r"^\s*(?:"
    r"第[零〇一二三四五六七八九十百0-9]+(?:[编章节条]|部分)\s*"
    r"|[（(][零〇一二三四五六七八九十百0-9]+[）)]\s*"
    r"|[零〇一二三四五六七八九十百]+[、.．]\s*"
    r"|\d+(?:\.\d+)*[、.．)]?\s+"
    r"|\d+(?:\.\d+)*[、.．)]\s*"
    r"|[IVX]+\.\s+"
    r")"
)


def strip_heading_number(heading: str) -> str:
    """Remove one leading section number, e.g. "一、总体要求" -> "总体要求"; keep a heading that is only a number."""
    stripped = _LEADING_NUMBER.sub("", heading, count=1).strip()
    return stripped or heading.strip()


def official_number(level: int, position: int) -> str:
    """Return the GB/T 9704 numbering prefix of the `position`-th (from 1) heading at `level`.

    Levels 1 to 4 are numbered 一、 （一） 1. （1）; deeper levels reuse （1）.
    """
    if level == 1:
        return f"{cn2an.an2cn(position)}、"
    if level == 2:
        return f"（{cn2an.an2cn(position)}）"
    if level == 3:
        return f"{position}."
    return f"（{position}）"
