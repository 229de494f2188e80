"""Headings of Chinese laws and regulations written as plain lines.

Chinese legal texts divide into 编 (part), 章 (chapter) and 节 (section), and
number their articles 第一条, 第二条, ... A heading line is short and holds
only the number and a title, e.g. "第一章 总则" or "第二节　电信资费".
Articles are not headings because the article line carries the article's
text, but loaders start a new paragraph at each one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMERAL = r"[零〇一二三四五六七八九十百千0-9０-９]+"

# A title of at most 30 characters without sentence punctuation keeps article
# text such as "第一章规定的..." from being read as a heading.
_HEADING = re.compile(rf"^第{_NUMERAL}(?P<unit>[编章节])(?:[ \t\u3000]+(?P<title>[^。；，,;：:]{{1,30}}))?$")
_ARTICLE = re.compile(rf"^第{_NUMERAL}条(?:[ \t\u3000]|$)")

# 编 encloses 章, which encloses 节.
_UNIT_RANK = {"编": 1, "章": 2, "节": 3}


def heading_rank(line: str) -> int | None:
    """Return 1 for a 编 heading, 2 for 章, 3 for 节, or None for any other line."""
    match = _HEADING.match(line.strip())
    if match is None:
        return None
    return _UNIT_RANK[match.group("unit")]


def is_article_start(line: str) -> bool:
    """Tell whether `line` opens an article ("第十二条 ...")."""
    return _ARTICLE.match(line.strip()) is not None


def heading_levels(lines: Iterable[str]) -> dict[int, int]:
    """Map the ranks of the headings in `lines` to levels counted from 1.

    A regulation without 编 gets its chapters at level 1, so the heading
    tree has no empty top level.
    """
    ranks = sorted({rank for line in lines if (rank := heading_rank(line)) is not None})
    return {rank: level for level, rank in enumerate(ranks, start=1)}
