"""Text fields quoted from one sentence are separated at the clause another text field is grounded on."""

from __future__ import annotations

from typing import Any

from services.documents import load_document
from services.knowledge.categories import Category
from services.knowledge.extraction import extract_knowledge
from services.knowledge.options import ExtractionOptions
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.knowledge.conftest import DATA, reply_for

OVERAGE = "套外国内流量3元/GB，国内通话0.1元/分钟，国内短信0.1元/条"


def extract_plan_2(model: ModelClient, category: Category) -> Any:
    text = (DATA / "plan_2.md").read_text(encoding="utf-8")
    document = load_document(text.encode("utf-8"), "plan_2.md")
    options = ExtractionOptions(followup_questions=False)
    return extract_knowledge(model=model, category=category, document=document, options=options), document.text


def test_separate_cuts_other_fields_clause(fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category) -> None:
    fake_chat.queue(reply_for(tariff, data_overage=(OVERAGE, None), voice_overage=("国内通话0.1元/分钟", "0.1元/分钟")))

    result, source = extract_plan_2(fake_model, tariff)

    data = result.field("data_overage")
    assert data.value == "套外国内流量3元/GB"
    assert data.evidence[0].text == "套外国内流量3元/GB"
    assert source[data.evidence[0].start : data.evidence[0].end] == data.evidence[0].text
    assert result.field("voice_overage").value == "0.1元/分钟"


def test_separate_keeps_model_wording(fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category) -> None:
    fake_chat.queue(
        reply_for(tariff, data_overage=(OVERAGE, "3元/GB"), voice_overage=("国内通话0.1元/分钟", "0.1元/分钟"))
    )

    result, _ = extract_plan_2(fake_model, tariff)

    assert result.field("data_overage").value == "3元/GB"


def test_separate_ignores_number_fields(fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category) -> None:
    rule = "适用对象：全日制在校学生，凭学生证或录取通知书办理，每人限办一张"
    fake_chat.queue(reply_for(tariff, eligibility=(rule, None), secondary_cards=("每人限办一张", 1)))

    result, _ = extract_plan_2(fake_model, tariff)

    assert result.field("eligibility").value == rule.removeprefix("适用对象：")


def test_separate_drops_shared_context(fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category) -> None:
    sentence = "超出套餐后，国内流量 3 元/GB，国内语音 0.1 元/分钟"
    fake_chat.queue(reply_for(tariff, data_overage=(sentence, None), voice_overage=(sentence, ".1")))
    text = (DATA / "plan_3.md").read_text(encoding="utf-8")
    document = load_document(text.encode("utf-8"), "plan_3.md")

    result = extract_knowledge(
        model=fake_model, category=tariff, document=document, options=ExtractionOptions(followup_questions=False)
    )

    assert result.field("voice_overage").value == "国内语音 0.1 元/分钟"
    assert result.field("data_overage").value == "国内流量 3 元/GB"
    for name in ("data_overage", "voice_overage"):
        evidence = result.field(name).evidence[0]
        assert document.text[evidence.start : evidence.end] == evidence.text
