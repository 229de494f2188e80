"""Tests of BM25 search over passages and of the jieba tokenizer."""

from __future__ import annotations

import pytest

from services.documents import (
    Passage,
    PassageIndex,
    chunk_document,
    load_document,
    tokenize,
)
from tests.documents.sample_files import REGULATION_PATH


@pytest.fixture(scope="module")
def regulation_index() -> PassageIndex:
    document = load_document(REGULATION_PATH.read_bytes(), REGULATION_PATH.name)
    return PassageIndex(chunk_document(document, max_chars=400, overlap_chars=50))


def passage(number: int, text: str, heading_path: list[str] | None = None) -> Passage:
    return Passage(
        id=f"doc#p{number}",
        document_id="doc",
        text=text,
        start=0,
        end=len(text),
        heading_path=heading_path or [],
    )


TARIFF_PASSAGES = [
    passage(0, "5G 畅享套餐每月 129 元，包含 30 GB 国内流量。"),
    passage(1, "SIM card replacement is free of charge at any service hall."),
    passage(2, "宽带安装需要预约上门时间，工程师会携带光猫。"),
    passage(3, "国际漫游按目的地计费，出境前请开通漫游功能。"),
]


@pytest.mark.parametrize(
    ("query", "expected_article"),
    [
        ("经营电信业务需要取得什么许可证？", "第七条"),
        ("基础电信业务经营许可证由谁审查批准", "第九条"),
        ("电信资费怎么确定", "第二十三条"),
        ("电信用户申请安装移动电话终端设备", "第三十一条"),
    ],
)
def test_search_finds_regulation_article(regulation_index: PassageIndex, query: str, expected_article: str) -> None:
    results = regulation_index.search(query, k=3)

    assert results
    found = [result.passage.text for result in results]
    assert any(expected_article in text for text in found), f"{expected_article} not in top 3"


def test_search_ranks_best_first(regulation_index: PassageIndex) -> None:
    results = regulation_index.search("电信业务经营许可证", k=10)

    scores = [result.score for result in results]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    assert len(results) <= 10


@pytest.mark.parametrize(
    ("query", "expected_id"),
    [
        ("5G套餐多少钱", "doc#p0"),
        ("换SIM卡收费吗 replacement", "doc#p1"),
        ("sim CARD", "doc#p1"),
        ("宽带 安装 光猫", "doc#p2"),
        ("roaming 国际漫游", "doc#p3"),
    ],
)
def test_search_mixed_language_query(query: str, expected_id: str) -> None:
    index = PassageIndex(TARIFF_PASSAGES)

    results = index.search(query, k=1)

    assert [result.passage.id for result in results] == [expected_id]


def test_search_uses_heading_path() -> None:
    index = PassageIndex(
        [
            passage(0, "应当在规定期限内答复。", heading_path=["第三章 投诉处理"]),
            passage(1, "应当在规定期限内完成。", heading_path=["第四章 工程建设"]),
        ]
    )

    results = index.search("投诉处理期限", k=2)

    assert results[0].passage.id == "doc#p0"


@pytest.mark.parametrize("query", ["", "   ", "？！。，", "的了吗", "what is the"])
def test_search_query_without_tokens_returns_nothing(regulation_index: PassageIndex, query: str) -> None:
    assert regulation_index.search(query) == []


@pytest.mark.parametrize("size", [1, 2])
def test_search_tiny_index_finds_match(size: int) -> None:
    index = PassageIndex(TARIFF_PASSAGES[:size])

    results = index.search("套餐 流量", k=5)

    assert [result.passage.id for result in results] == ["doc#p0"]
    assert results[0].score > 0


def test_search_term_in_every_passage_still_scores() -> None:
    index = PassageIndex([passage(0, "电信套餐说明"), passage(1, "电信宽带说明")])

    results = index.search("电信", k=5)

    assert [result.passage.id for result in results] == ["doc#p0", "doc#p1"]


def test_search_empty_index_returns_nothing() -> None:
    index = PassageIndex([])

    assert len(index) == 0
    assert index.search("电信业务") == []


def test_search_index_of_punctuation_returns_nothing() -> None:
    index = PassageIndex([passage(0, "。。。！！！"), passage(1, "——")])

    assert index.search("电信") == []


def test_search_unmatched_query_returns_nothing() -> None:
    index = PassageIndex(TARIFF_PASSAGES)

    assert index.search("区块链 blockchain") == []


def test_search_rejects_nonpositive_k() -> None:
    index = PassageIndex(TARIFF_PASSAGES)

    with pytest.raises(ValueError):
        index.search("套餐", k=0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, World!", ["hello", "world"]),
        ("5G 套餐", ["5g", "套餐"]),
        ("电信业务经营许可证", ["电信", "业务", "电信业", "电信业务", "经营", "许可", "许可证"]),
        ("什么是宽带？", ["宽带"]),
        ("  \n\t。，", []),
    ],
)
def test_tokenize_table(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected
