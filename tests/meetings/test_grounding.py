"""Decisions and action items must be supported by the transcript lines they cite; the rest are left out."""

import json

import pytest

import services.meetings  # noqa: F401
from services.meetings.grounding import ChunkEvidence, quote_in, terms
from services.meetings.minutes import write_minutes
from services.meetings.outputs import render_markdown
from services.meetings.results import MeetingResult, Minutes, UnsupportedItem
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.meetings.helpers import MEETING_LINES, transcript
from tests.meetings.test_minutes import chunk_reply


def minutes_from(reply: str, fake_model: ModelClient, fake_chat: FakeChatModel, *, language: str = "zh") -> Minutes:
    fake_chat.queue(reply)
    return write_minutes(
        transcript(MEETING_LINES),
        model=fake_model,
        language=language,  # type: ignore[arg-type]
        names={"SPEAKER_00": "王经理"},
        chunk_chars=2000,
        max_tokens=300,
    )


def test_invented_decision_left_out(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    reply = chunk_reply(2, decision=("预算增加到五百万", "预算增加到五百万"))

    minutes = minutes_from(reply, fake_model, fake_chat)

    assert minutes.decisions == []
    assert [(item.kind, item.reason, item.line) for item in minutes.unsupported] == [("decision", "quote_not_found", 2)]
    assert minutes.action_items[0].task == "提交方案"


def test_true_quote_cannot_carry_invented_text(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    reply = chunk_reply(3, action=("采购五百台服务器", "就这么定了"))

    minutes = minutes_from(reply, fake_model, fake_chat)

    assert minutes.action_items == []
    assert minutes.unsupported[0].kind == "action_item"
    assert minutes.unsupported[0].reason == "text_not_supported"


def test_wrong_line_relinked_to_quote(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    # Both items cite line 1, but their quotes are in lines 2 (65.5 s) and 3 (3725 s).
    minutes = minutes_from(chunk_reply(1), fake_model, fake_chat)

    assert minutes.decisions[0].time == 65.5
    assert minutes.action_items[0].time == 3725.0
    assert minutes.unsupported == []


def test_invented_owner_and_due_cleared(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    minutes = minutes_from(chunk_reply(3, owner="张伟", due="月底"), fake_model, fake_chat)

    assert minutes.action_items[0].task == "提交方案"
    assert minutes.action_items[0].owner is None
    assert minutes.action_items[0].due is None


def test_speaker_name_is_valid_owner(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    minutes = minutes_from(chunk_reply(3, owner="王经理"), fake_model, fake_chat)

    assert minutes.action_items[0].owner == "王经理"
    assert minutes.action_items[0].due == "周五"


def test_other_language_checks_quote_only(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    reply = chunk_reply(2, decision=("Pilot in Guangzhou first", "先在广州试点"), owner="Li Na", due="Friday")

    minutes = minutes_from(reply, fake_model, fake_chat, language="en")

    assert minutes.decisions[0].text == "Pilot in Guangzhou first"
    assert minutes.action_items[0].owner == "Li Na"


def test_other_language_invented_quote_left_out(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    reply = chunk_reply(2, decision=("Raise the budget", "预算增加"))

    minutes = minutes_from(reply, fake_model, fake_chat, language="en")

    assert minutes.decisions == []
    assert minutes.unsupported[0].reason == "quote_not_found"


def test_missing_quote_asks_model_again(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    without_quote = json.loads(chunk_reply(2))
    del without_quote["decisions"][0]["quote"]
    fake_chat.queue(json.dumps(without_quote, ensure_ascii=False))

    minutes = minutes_from(chunk_reply(2), fake_model, fake_chat)

    assert len(fake_chat.calls) == 2
    assert "quote" in fake_chat.calls[1].prompt
    assert minutes.decisions[0].time == 65.5


def test_markdown_lists_unsupported_items() -> None:
    minutes = Minutes(language="zh")
    result = MeetingResult(filename="例会.wav", transcript=transcript(MEETING_LINES), minutes=minutes)
    plain = render_markdown(result)
    minutes.unsupported.append(
        UnsupportedItem(kind="decision", text="SPEAKER_00 决定加预算", line=2, reason="quote_not_found")
    )
    result.speaker_names = {"SPEAKER_00": "王经理"}

    marked = render_markdown(result)

    assert "待核实" not in plain
    assert "## 待核实：记录中找不到依据的条目（未列入决定和待办）" in marked
    assert "- 决定: 王经理 决定加预算 (第 2 行)" in marked


@pytest.mark.parametrize(
    ("quote", "text", "found"),
    [
        ("先在广州试点", "我建议先在广州试点。", True),
        ("先在 广州，试点", "我建议先在广州试点。", True),
        ("pilot it in Guangzhou", "I suggest we pilot it in Guangzhou first.", True),
        ("先在广州试验点", "我建议先在广州试点。", False),
        ("深圳", "我建议先在广州试点。", False),
        ("好", "好，就这么定了。", False),
    ],
    ids=["exact", "punctuation", "english", "changed", "absent", "too-short"],
)
def test_quote_in(quote: str, text: str, found: bool) -> None:
    assert quote_in(quote, text) is found


def test_terms_bigrams_and_stems() -> None:
    assert terms("广州试点") == {"广州", "州试", "试点"}
    assert terms("We decided the testing plan") == {"decid", "testi", "plan"}


def test_line_outside_chunk_is_missing() -> None:
    evidence = ChunkEvidence(transcript(MEETING_LINES).utterances, [0, 1], names={}, compare_terms=True)

    assert evidence.check("提交方案", line=3, quote="提交方案") == "line_missing"
    assert evidence.check("先在广州试点", line=2, quote="广州试点") == 2


def test_item_linked_to_neighbour_with_its_words() -> None:
    lines = [
        (0.0, "SPEAKER_00", "好，就这么定了，先在广州试点。"),
        (12.0, "SPEAKER_01", "另外预算需要财务部确认。"),
    ]
    evidence = ChunkEvidence(transcript(lines).utterances, [0, 1], names={}, compare_terms=True)

    assert evidence.check("财务部确认预算", line=1, quote="就这么定了") == 2
    assert evidence.check("先在广州试点", line=1, quote="就这么定了") == 1
