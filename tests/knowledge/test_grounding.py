"""Quotes are located in the source with exact offsets: exact, normalised, then fuzzy."""

from __future__ import annotations

import random

import pytest

from services.knowledge.grounding import SourceText, locate
from services.knowledge.textnorm import normalise

MIXED = (
    "5G 畅享套餐：月费 ￥１２８ 元，含 ＡＰＰ 专属流量 30GB，宽带 1000Mbps；國內通話 三十 分鐘。Contact: 10000 hotline."
)


@pytest.mark.parametrize(
    ("quote", "match", "expected"),
    [
        ("月费 ￥１２８ 元", "exact", "月费 ￥１２８ 元"),
        ("月费￥128元", "normalised", "月费 ￥１２８ 元"),
        ("APP专属流量30gb", "normalised", "ＡＰＰ 专属流量 30GB"),
        ("国内通话 30 分钟", "normalised", "國內通話 三十 分鐘"),
        ("宽带1000mbps", "normalised", "宽带 1000Mbps"),
        ("contact:10000 hotline", "normalised", "Contact: 10000 hotline"),
        ("“月费 ￥１２８ 元”", "exact", "月费 ￥１２８ 元"),
        ("含APP专享流量30GB", "fuzzy", "含 ＡＰＰ 专属流量 30GB"),
    ],
)
def test_locate_mixed_text(quote: str, match: str, expected: str) -> None:
    source = SourceText(MIXED)

    evidence = locate(source, quote)

    assert evidence is not None
    assert evidence.match == match
    assert evidence.text == expected
    assert MIXED[evidence.start : evidence.end] == evidence.text


@pytest.mark.parametrize("quote", ["月费 0 元", "月费 ￥99 元", "宽带 500Mbps", "定向流量 60GB 免费", "", "   "])
def test_locate_rejects_unsupported(quote: str) -> None:
    assert locate(SourceText(MIXED), quote) is None


def test_locate_prefers_window() -> None:
    text = "副卡月功能费 10 元。" + "其他说明。" * 20 + "副卡月功能费 10 元。"
    second = text.rindex("副卡")

    evidence = locate(SourceText(text), "副卡月功能费 10 元", window=(second - 5, len(text)))

    assert evidence is not None
    assert evidence.start == second


def test_normalise_maps_numerals_to_source_span() -> None:
    folded = normalise("通话三十分钟")

    assert folded.text == "通话30分钟"
    assert folded.source_span(2, 4) == (2, 4)


_ALPHABET = "流量通话套餐元分钟月费ＧＢ１２３ 　ABCabc0123456789三十百千两，。、：（）國內體驗\n"


@pytest.mark.parametrize("seed", range(200))
def test_locate_offsets_property(seed: int) -> None:
    """For random mixed texts and random excerpts, altered in width, spacing and script, source[start:end] == text."""
    rng = random.Random(seed)
    text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(20, 120)))
    start = rng.randint(0, len(text) - 6)
    end = rng.randint(start + 4, min(len(text), start + 30))
    # An excerpt that starts or ends inside a number is not evidence, so excerpts keep whole numbers.
    while start > 0 and text[start].isdigit() and (text[start - 1].isdigit() or text[start - 1] == "."):
        start -= 1
    while end < len(text) and text[end - 1].isdigit() and text[end].isdigit():
        end += 1
    quote = text[start:end]
    if seed % 3 == 1:
        quote = quote.replace(" ", "").replace("１", "1").replace("ＧＢ", "GB")
    elif seed % 3 == 2:
        quote = quote.replace("国", "國").replace("体", "體")

    evidence = locate(SourceText(text), quote)

    if not quote.strip(" \n\u3000，。、：（）"):
        return
    assert evidence is not None
    assert text[evidence.start : evidence.end] == evidence.text
    assert 0 <= evidence.start < evidence.end <= len(text)


@pytest.mark.parametrize(
    ("quote", "text", "expected"),
    [
        ("5 元/分钟", "国内通话 0.15 元/分钟，短信 5 元/分钟", "5 元/分钟"),
        ("客服热线 1000", "拨打客服热线 10000 办理", None),
        ("5 元/分钟", "国内通话 0.15 元/分钟", None),
        ("15 元", "外卖红包 15 元", "15 元"),
    ],
)
def test_locate_never_cuts_number(quote: str, text: str, expected: str | None) -> None:
    evidence = locate(SourceText(text), quote)

    if expected is None:
        assert evidence is None
        return
    assert evidence is not None
    assert evidence.text == expected
    assert text[evidence.start : evidence.end] == expected
    assert not text[evidence.start - 1].isdigit()
