import threading
import time

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from services.core.errors import RateLimitedError, UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError
from services.model.backends.fake import FakeChatModel, build_fake_backend
from services.model.client import ClientLimits, ModelClient, to_messages
from services.model.usage import UsageMeter, current_meter


def test_generate_returns_text_and_usage(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("你好，世界")

    completion = fake_model.generate("打个招呼", system="你是助手")

    assert completion.text == "你好，世界"
    assert completion.usage.completion_tokens == 5
    assert completion.usage.prompt_tokens == len("你是助手") + len("打个招呼")
    assert completion.usage.calls == 1
    assert completion.model == "fake"


def test_generate_sends_system_first(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("ok")

    fake_model.generate([{"role": "user", "content": "问题"}], system="规则")

    messages = fake_chat.calls[0].messages
    assert isinstance(messages[0], SystemMessage)
    assert isinstance(messages[1], HumanMessage)
    assert messages[1].text == "问题"


def test_generate_passes_call_options(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("ok")

    fake_model.generate("x", max_tokens=12, temperature=0.0, stop=["\n"])

    kwargs = fake_chat.calls[0].kwargs
    assert kwargs["max_tokens"] == 12
    assert kwargs["temperature"] == 0.0
    assert kwargs["stop"] == ["\n"]


def test_to_messages_rejects_unknown_role() -> None:
    with pytest.raises(ValueError, match="tool"):
        to_messages([{"role": "tool", "content": "x"}])


def test_stream_yields_pieces_then_usage(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("一二三四五六七八九十")

    stream = fake_model.stream("数数")
    pieces = list(stream)

    assert len(pieces) > 1
    assert "".join(pieces) == "一二三四五六七八九十"
    assert stream.usage is not None
    assert stream.usage.completion_tokens == 10


def test_usage_totals_accumulate(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("ab", "cde")

    fake_model.generate("1")
    list(fake_model.stream("2"))

    assert fake_model.usage_totals.completion_tokens == 5
    assert fake_model.usage_totals.calls == 2


def test_request_meter_charged(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("abc", "de")
    meter = UsageMeter()

    token = current_meter.set(meter)
    try:
        fake_model.generate("x")
        stream = fake_model.stream("y")
    finally:
        current_meter.reset(token)
    list(stream)

    assert meter.total.calls == 2
    assert meter.total.completion_tokens == 5


def test_transient_error_retried(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(ConnectionError("reset"), ConnectionError("reset"), "恢复了")

    completion = fake_model.generate("x")

    assert completion.text == "恢复了"
    assert len(fake_chat.calls) == 3


def test_retries_exhausted_unavailable(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(*[ConnectionError("refused")] * 3)

    with pytest.raises(UpstreamUnavailableError) as raised:
        fake_model.generate("x")

    assert raised.value.status == 503
    assert raised.value.params["attempts"] == 3
    assert len(fake_chat.calls) == 3
    assert "fake" in raised.value.message("en")


def test_fatal_error_not_retried(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(ValueError("bad request"))

    with pytest.raises(UpstreamError) as raised:
        fake_model.generate("x")

    assert raised.value.code == "model.failed"
    assert len(fake_chat.calls) == 1


def test_timeout_maps_to_504(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(TimeoutError("slow"))

    with pytest.raises(UpstreamTimeoutError) as raised:
        fake_model.generate("x")

    assert raised.value.status == 504


def test_stream_retries_before_first_piece(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(ConnectionError("reset"), "好的")

    assert "".join(fake_model.stream("x")) == "好的"


def test_concurrency_limit_rejects_with_429() -> None:
    started = threading.Event()
    release = threading.Event()

    def slow_reply(messages: object) -> str:
        started.set()
        release.wait(5)
        return "done"

    client = ModelClient(
        build_fake_backend(default_reply=slow_reply),
        limits=ClientLimits(max_concurrency=1, queue_timeout=0.2, retry_backoff=0.0),
    )
    worker = threading.Thread(target=client.generate, args=("first",))
    worker.start()
    started.wait(5)
    try:
        begun = time.perf_counter()
        with pytest.raises(RateLimitedError) as raised:
            client.generate("second")
        waited = time.perf_counter() - begun
    finally:
        release.set()
        worker.join()

    assert raised.value.status == 429
    assert raised.value.code == "model.busy"
    assert waited >= 0.2
    assert client.generate("third").text == "done"
