"""Edit operations with the fake model: streaming, replacement, cleaning and bad selections."""

import pytest

from services.core.errors import InvalidInputError
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from services.writing.edit import clean_edit_text, parse_operation, run_edit, stream_edit
from services.writing.options import EditOptions
from services.writing.schemas import EditRequest

SELECTION = "我们要保护好用户的个人信息。"
OPTIONS = EditOptions(max_tokens=64, max_selection_chars=100, context_chars=5)


@pytest.mark.parametrize("operation", ["expand", "rewrite", "polish", "shorten"])
def test_edit_replaces_selection(fake_model: ModelClient, fake_chat: FakeChatModel, operation: str) -> None:
    fake_chat.queue("必须切实保护用户个人信息安全。")

    result = run_edit(
        fake_model, operation=operation, request=EditRequest(selection=SELECTION), language="zh", options=OPTIONS
    )

    assert result.original == SELECTION
    assert result.replacement == "必须切实保护用户个人信息安全。"
    assert result.operation == operation


def test_edit_continue_appends(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("同时要加强内部管理。")

    result = run_edit(
        fake_model, operation="continue", request=EditRequest(selection=SELECTION), language="zh", options=OPTIONS
    )

    assert result.added == "同时要加强内部管理。"
    assert result.replacement == SELECTION + "同时要加强内部管理。"


def test_edit_streams_deltas(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("一二三四五六七八九十")

    events = list(
        stream_edit(
            fake_model, operation="polish", request=EditRequest(selection=SELECTION), language="zh", options=OPTIONS
        )
    )

    assert [event.event for event in events] == ["delta", "delta", "delta", "done"]
    assert "".join(event.data["text"] for event in events[:-1]) == "一二三四五六七八九十"


def test_edit_prompt_has_style_and_context(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("改写结果。")
    request = EditRequest(
        selection=SELECTION, before="很长的前文到此结束。", after="后文开始处很长。", style="正式公文"
    )

    run_edit(fake_model, operation="rewrite", request=request, language="zh", options=OPTIONS)

    prompt = fake_chat.calls[0].messages[1].text
    assert "目标风格：正式公文" in prompt
    assert "<context>到此结束。</context>" in prompt
    assert "<context>后文开始处</context>" in prompt


def test_edit_language_from_request(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("Protect user data.")

    run_edit(
        fake_model,
        operation="polish",
        request=EditRequest(selection=SELECTION, language="en"),
        language="zh",
        options=OPTIONS,
    )

    assert "Write in English." in fake_chat.calls[0].messages[1].text


@pytest.mark.parametrize("selection", ["", "   \n"])
def test_edit_empty_selection_rejected(fake_model: ModelClient, selection: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        run_edit(
            fake_model, operation="expand", request=EditRequest(selection=selection), language="zh", options=OPTIONS
        )

    assert caught.value.code == "writing.empty_selection"
    assert "扩写" in caught.value.message("zh")
    assert caught.value.message("en") == "The selection is empty. Select the passage to expand first."


def test_edit_long_selection_rejected(fake_model: ModelClient) -> None:
    with pytest.raises(InvalidInputError) as caught:
        run_edit(
            fake_model, operation="polish", request=EditRequest(selection="字" * 101), language="zh", options=OPTIONS
        )

    assert caught.value.code == "writing.selection_too_long"


def test_parse_operation_unknown() -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_operation("translate")

    assert "expand, continue, rewrite, polish, shorten" in caught.value.message("en")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("改写后：新的文字。", "新的文字。"),
        ("“新的文字。”", "新的文字。"),
        ("```\n新的文字。\n```", "新的文字。"),
        ("<selection>新的文字。</selection>", "新的文字。"),
        ("Polished text: New words.", "New words."),
        ("时间：下午三点开会。", "时间：下午三点开会。"),
    ],
)
def test_clean_edit_text_cases(raw: str, expected: str) -> None:
    assert clean_edit_text(raw) == expected
