"""Name-like text fields must hold the thing itself, and yes/no fields need the words that state the fact."""

from __future__ import annotations

from typing import Any

import pytest

from services.documents import load_document
from services.knowledge.categories import Category, CategoryField, LocalText, builtin_categories
from services.knowledge.extraction import extract_knowledge
from services.knowledge.options import ExtractionOptions
from services.knowledge.support import entity_problem, states_fact
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.knowledge.conftest import reply_for
from tests.knowledge.test_followup import field_replies, followup_fields

DIALOGUE = (
    "客服：您好，星辰通信客服，请问有什么可以帮您？\n"
    "客户：您好，我是张先生，家里宽带从昨天起就上不了网。\n"
    "客服：张先生您好，请问是否需要加急处理？\n"
    "客户：是，麻烦尽快处理，我明天要在家开会。\n"
    "客服：好的，已为您加急。联系电话是多少？\n"
    "客户：13800001111。\n"
)


@pytest.fixture
def work_order() -> Category:
    return builtin_categories()["工单"]


def extract(model: ModelClient, category: Category, **options: Any) -> Any:
    document = load_document(DIALOGUE.encode("utf-8"), "dialogue.txt")
    return extract_knowledge(model=model, category=category, document=document, options=ExtractionOptions(**options))


def name_field(max_chars: int | None = 8) -> CategoryField:
    return CategoryField(name="customer_name", label=LocalText(zh="客户称呼"), type="string", max_chars=max_chars)


@pytest.mark.parametrize(
    ("value", "fits"),
    [("张先生", True), ("欧阳女士", True), ("您好，我是张先生", False), ("我是来自杭州的张建国先生", False)],
)
def test_entity_problem_flags_sentences(value: str, fits: bool) -> None:
    assert (entity_problem(name_field(), value) is None) is fits


def test_entity_problem_only_with_limit() -> None:
    assert entity_problem(name_field(None), "您好，我是张先生") is None


@pytest.mark.parametrize(
    ("evidence", "states"),
    [
        ("是", False),
        ("对的。", False),
        ("  否 ", False),
        ("不", False),
        ("好的", False),
        ("很急", True),
        ("麻烦尽快处理", True),
        ("不着急", True),
        ("帮我加急处理一下", True),
    ],
)
def test_states_fact_needs_more_than_yes_or_no(evidence: str, states: bool) -> None:
    assert states_fact(evidence) is states


def test_sentence_for_name_is_asked_again(
    fake_model: ModelClient, fake_chat: FakeChatModel, work_order: Category
) -> None:
    first = reply_for(work_order, customer_name=("您好，我是张先生", "您好，我是张先生"))
    fake_chat.default_reply = field_replies(
        first, {"customer_name": [("我是张先生", "我是张先生，家里宽带"), ("我是张先生", "张先生")]}
    )

    result = extract(fake_model, work_order)

    field = result.field("customer_name")
    assert field.status == "grounded"
    assert field.value == "张先生"
    assert field.evidence[0].text == "张先生"
    assert [item.status for item in field.candidates] == ["invalid", "grounded"]
    asked = next(call for call in fake_chat.calls if "只回答一个字段：customer_name" in call.prompt)
    assert "上一次的值「您好，我是张先生」是一整句话" in asked.prompt
    assert "不超过 8 字" in asked.prompt
    retry = next(call for call in fake_chat.calls if "「我是张先生，家里宽带」是一整句话" in call.messages[-1].text)
    assert retry is not None


def test_sentence_for_name_never_accepted(
    fake_model: ModelClient, fake_chat: FakeChatModel, work_order: Category
) -> None:
    sentence = ("您好，我是张先生", "您好，我是张先生")
    fake_chat.default_reply = field_replies(
        reply_for(work_order, customer_name=sentence), {"customer_name": [sentence, sentence, sentence]}
    )

    result = extract(fake_model, work_order)

    field = result.field("customer_name")
    assert field.status == "invalid"
    assert field.value is None
    assert all(item.status == "invalid" for item in field.candidates)


def test_bare_yes_does_not_ground_boolean(
    fake_model: ModelClient, fake_chat: FakeChatModel, work_order: Category
) -> None:
    fake_chat.queue(reply_for(work_order, urgent=("是", True), contact_number=("13800001111", "13800001111")))

    result = extract(fake_model, work_order, followup_questions=False)

    assert result.field("urgent").status == "ungrounded"
    assert result.field("urgent").value is None
    assert result.field("contact_number").value == "13800001111"


def test_bare_yes_asked_for_the_words(fake_model: ModelClient, fake_chat: FakeChatModel, work_order: Category) -> None:
    fake_chat.default_reply = field_replies(
        reply_for(work_order, urgent=("是", True)), {"urgent": [("是", "是"), ("麻烦尽快处理", "是")]}
    )

    result = extract(fake_model, work_order)

    field = result.field("urgent")
    assert field.status == "grounded"
    assert field.value is True
    assert field.evidence[0].text == "麻烦尽快处理"
    assert followup_fields(fake_chat).count("urgent") == 2
    asked = next(call for call in fake_chat.calls if "只回答一个字段：urgent" in call.prompt)
    assert "上一次的 quote「是」只是一声" in asked.prompt
    assert any("「是」只是一声" in call.messages[-1].text for call in fake_chat.calls[2:])


def test_stated_urgency_grounded_first_time(
    fake_model: ModelClient, fake_chat: FakeChatModel, work_order: Category
) -> None:
    fake_chat.queue(reply_for(work_order, urgent=("麻烦尽快处理", True), customer_name=("我是张先生", "张先生")))

    result = extract(fake_model, work_order, followup_questions=False)

    assert result.field("urgent").value is True
    assert result.field("urgent").evidence[0].text == "麻烦尽快处理"
    assert result.field("customer_name").value == "张先生"
