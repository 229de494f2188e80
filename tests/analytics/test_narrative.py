"""Every number in the narrative is checked against the computed facts."""

from __future__ import annotations

import pandas
import pytest

from services.analytics.facts import compute_facts
from services.analytics.narrative import (
    allowed_numbers,
    clean_narrative,
    numbers_in,
    verify_numbers,
    write_narrative,
)
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient

FRAME = pandas.DataFrame({"地区": ["华东", "华北", "华南"], "收入": [1_600_000.0, 1_300_000.0, 600_000.0]})
QUESTION = "2025年各地区收入排名"


def _allowed() -> list[float]:
    facts = compute_facts(FRAME)
    return allowed_numbers(facts, question=QUESTION, labels=list(FRAME["地区"]))


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("收入为1,600,000元", [(1_600_000.0, 1.0)]),
        ("占比45.7%", [(45.7, pytest.approx(0.1))]),
        ("约160万元", [(1_600_000.0, 10_000.0)]),
        ("共3.5亿", [(350_000_000.0, pytest.approx(10_000_000.0))]),
        ("5G用户和Q3", []),
    ],
)
def test_numbers_in_text(text: str, numbers: list[tuple[float, float]]) -> None:
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    "sentence",
    [
        "2025年华东收入最高，为1,600,000元。",
        "华东收入约160万元。",
        "华东占合计的45.7%。",
        "西北没有数据。",
    ],
)
def test_verify_keeps_supported_sentence(sentence: str) -> None:
    kept, removed = verify_numbers(sentence, _allowed())

    assert kept == sentence
    assert removed == []


@pytest.mark.parametrize(
    "sentence", ["华北收入为2,000,000元。", "华东增长了12%。", "华南收入约99万元。", "合计达到3,600,001元。"]
)
def test_verify_removes_unsupported_sentence(sentence: str) -> None:
    kept, removed = verify_numbers(sentence, _allowed())

    assert kept == ""
    assert removed == [sentence]


def test_write_narrative_removes_invented_number(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("华东收入最高，为1,600,000元。华北同比增长了37%。")
    facts = compute_facts(FRAME)

    narrative = write_narrative(fake_model, question=QUESTION, facts=facts, labels=["华东"], language="zh")

    assert narrative.text == "华东收入最高，为1,600,000元。"
    assert narrative.unverified == ["华北同比增长了37%。"]
    assert narrative.source == "model"
    assert "1,600,000" in fake_chat.calls[0].prompt


def test_write_narrative_falls_back_to_facts(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("总收入为 9,999 元。")
    facts = compute_facts(FRAME)

    narrative = write_narrative(fake_model, question=QUESTION, facts=facts, labels=[], language="zh")

    assert narrative.source == "facts"
    assert narrative.text.startswith("结果共 3 行。")
    assert narrative.unverified == ["总收入为 9,999 元。"]


@pytest.mark.parametrize(
    ("reply", "cleaned"),
    [
        ("### 分析\n1. **华东**收入最高。\n2. 华北次之。", "华东收入最高。华北次之。"),
        ("- 华东收入最高。\n- 西北最低，占比", "华东收入最高。"),
        ("East leads. West trails", "East leads."),
    ],
)
def test_clean_narrative_flattens_markdown(reply: str, cleaned: str) -> None:
    assert clean_narrative(reply) == cleaned
