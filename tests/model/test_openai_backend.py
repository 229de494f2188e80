"""`ModelClient` over the openai backend, against a real OpenAI-compatible stub server."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from services.core.errors import UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError
from services.model.backends.openai import TokenLimitField
from services.model.usage import UsageMeter, current_meter
from tests.model.conftest import STUB_MODEL, OpenAIClientFactory
from tests.model.stub_openai_server import Failure, Reply, StubOpenAIServer, free_port


class Person(BaseModel):
    name: str
    age: int


PERSON_JSON = '{"name": "李雷", "age": 30}'


# --- generate ---------------------------------------------------------------------


def test_generate_returns_text_and_usage(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    openai_stub.queue(Reply("你好，星辰。Hello.", prompt_tokens=17, completion_tokens=4))
    client = make_openai_client()

    completion = client.generate("你好")

    assert completion.text == "你好，星辰。Hello."
    assert completion.usage.prompt_tokens == 17
    assert completion.usage.completion_tokens == 4
    assert completion.finish_reason == "stop"
    assert completion.model == STUB_MODEL
    assert client.usage_totals.calls == 1
    assert client.usage_totals.total_tokens == 21


def test_generate_sends_messages_and_options(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    client = make_openai_client()

    client.generate("问题", system="你是助手", max_tokens=33, temperature=0.7, stop=["###"])

    body = openai_stub.requests[0]
    assert body["model"] == STUB_MODEL
    assert body["messages"] == [{"role": "system", "content": "你是助手"}, {"role": "user", "content": "问题"}]
    assert body["max_tokens"] == 33
    assert "max_completion_tokens" not in body
    assert body["temperature"] == 0.7
    assert body["stop"] == ["###"]
    assert not body.get("stream")


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_token_limit_field_is_configurable(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory, field: TokenLimitField
) -> None:
    client = make_openai_client(token_limit_field=field)

    client.generate("问题", max_tokens=21)
    list(client.stream("问题", max_tokens=22))

    generate_body, stream_body = openai_stub.requests
    assert generate_body[field] == 21
    assert stream_body[field] == 22
    other = "max_completion_tokens" if field == "max_tokens" else "max_tokens"
    assert other not in generate_body
    assert other not in stream_body


def test_generate_charges_current_meter(openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory) -> None:
    openai_stub.queue(Reply("ok", prompt_tokens=8, completion_tokens=2))
    client = make_openai_client()
    meter = UsageMeter()

    token = current_meter.set(meter)
    try:
        client.generate("hi")
    finally:
        current_meter.reset(token)

    assert meter.total.prompt_tokens == 8
    assert meter.total.completion_tokens == 2
    assert meter.total.calls == 1


# --- stream -----------------------------------------------------------------------


def test_stream_yields_pieces(openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory) -> None:
    reply = Reply("流式输出的一段回复文本。", chunk_size=3, prompt_tokens=9, completion_tokens=6)
    openai_stub.queue(reply)
    client = make_openai_client()

    pieces = list(client.stream("写一句话"))

    assert pieces == reply.pieces()
    assert len(pieces) > 1


def test_stream_records_usage(openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory) -> None:
    openai_stub.queue(Reply("abcdefgh", prompt_tokens=9, completion_tokens=6))
    client = make_openai_client()
    meter = UsageMeter()

    token = current_meter.set(meter)
    try:
        stream = client.stream("写一句话")
    finally:
        current_meter.reset(token)
    # The stream is consumed outside the meter's context, as the gateway does.
    text = "".join(stream)

    assert text == "abcdefgh"
    assert stream.usage is not None
    assert stream.usage.prompt_tokens == 9
    assert stream.usage.completion_tokens == 6
    assert meter.total.total_tokens == 15
    assert client.usage_totals.calls == 1


def test_stream_requests_usage_chunk(openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory) -> None:
    client = make_openai_client()

    list(client.stream("hi"))

    body = openai_stub.requests[0]
    assert body["stream"] is True
    assert body["stream_options"] == {"include_usage": True}


def test_stream_retries_before_first_piece(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    openai_stub.queue(Failure(500), Reply("after retry"))
    client = make_openai_client()

    text = "".join(client.stream("hi"))

    assert text == "after retry"
    assert len(openai_stub.requests) == 2


def test_stream_bad_request_raises_model_failed(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    openai_stub.queue(Failure(400, "unsupported parameter"))
    client = make_openai_client()

    with pytest.raises(UpstreamError) as caught:
        list(client.stream("hi"))

    assert caught.value.code == "model.failed"
    assert caught.value.status == 502
    assert len(openai_stub.requests) == 1


# --- structured -------------------------------------------------------------------


def test_structured_sends_json_schema(openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory) -> None:
    openai_stub.queue(Reply(PERSON_JSON))
    client = make_openai_client(structured_mode="json_schema")

    person = client.structured(Person, "介绍李雷")

    assert person == Person(name="李雷", age=30)
    response_format = openai_stub.requests[0]["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "Person"
    assert response_format["json_schema"]["schema"] == Person.model_json_schema()
    assert "guided_json" not in openai_stub.requests[0]


def test_structured_sends_guided_json(openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory) -> None:
    openai_stub.queue(Reply(PERSON_JSON))
    client = make_openai_client(structured_mode="guided_json")

    person = client.structured(Person, "介绍李雷")

    assert person == Person(name="李雷", age=30)
    body = openai_stub.requests[0]
    assert body["guided_json"] == Person.model_json_schema()
    assert "response_format" not in body
    assert "extra_body" not in body


def test_structured_sends_json_object_schema(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    openai_stub.queue(Reply(PERSON_JSON))
    client = make_openai_client(structured_mode="json_object")

    person = client.structured(Person, "介绍李雷")

    assert person == Person(name="李雷", age=30)
    response_format = openai_stub.requests[0]["response_format"]
    assert response_format["type"] == "json_object"
    assert response_format["schema"] == Person.model_json_schema()
    assert "guided_json" not in openai_stub.requests[0]


def test_structured_mode_none_sends_no_constraint(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    openai_stub.queue(Reply(f"好的：\n```json\n{PERSON_JSON}\n```"))
    client = make_openai_client(structured_mode="none")

    person = client.structured(Person, "介绍李雷")

    assert person == Person(name="李雷", age=30)
    body = openai_stub.requests[0]
    assert "response_format" not in body
    assert "guided_json" not in body


def test_structured_reasks_after_invalid_reply(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    openai_stub.queue(Reply('{"name": "李雷", "age": "三十"}'), Reply(PERSON_JSON))
    client = make_openai_client(structured_mode="none")

    person = client.structured(Person, "介绍李雷")

    assert person == Person(name="李雷", age=30)
    assert len(openai_stub.requests) == 2
    second_messages = openai_stub.requests[1]["messages"]
    assert second_messages[-2] == {"role": "assistant", "content": '{"name": "李雷", "age": "三十"}'}
    assert "age" in second_messages[-1]["content"]


# --- retries and failures ---------------------------------------------------------


@pytest.mark.parametrize("status", [500, 429, 503])
def test_generate_retries_transient_status(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory, status: int
) -> None:
    openai_stub.queue(Failure(status), Reply("recovered"))
    client = make_openai_client(max_retries=2)

    completion = client.generate("hi")

    assert completion.text == "recovered"
    assert len(openai_stub.requests) == 2


@pytest.mark.parametrize("max_retries", [0, 2])
def test_generate_persistent_500_raises_unavailable(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory, max_retries: int
) -> None:
    openai_stub.default = Failure(500)
    client = make_openai_client(max_retries=max_retries)

    with pytest.raises(UpstreamUnavailableError) as caught:
        client.generate("hi")

    error = caught.value
    assert len(openai_stub.requests) == max_retries + 1
    assert error.status == 503
    assert error.params["attempts"] == max_retries + 1
    assert openai_stub.base_url in error.message("zh")
    assert openai_stub.base_url in error.message("en")


def test_generate_closed_port_raises_unavailable(make_openai_client: OpenAIClientFactory) -> None:
    base_url = f"http://127.0.0.1:{free_port()}/v1"
    client = make_openai_client(base_url=base_url, max_retries=1)

    with pytest.raises(UpstreamUnavailableError) as caught:
        client.generate("hi")

    error = caught.value
    assert error.status == 503
    assert error.params["attempts"] == 2
    assert base_url in error.message("zh")
    assert base_url in error.message("en")


def test_generate_bad_request_not_retried(
    openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory
) -> None:
    openai_stub.queue(Failure(400, "max_tokens is too large"))
    client = make_openai_client(max_retries=3)

    with pytest.raises(UpstreamError) as caught:
        client.generate("hi")

    error = caught.value
    assert type(error) is UpstreamError
    assert error.code == "model.failed"
    assert error.status == 502
    assert len(openai_stub.requests) == 1
    assert openai_stub.base_url in error.message("en")
    assert "max_tokens is too large" in error.message("en")


def test_generate_slow_reply_times_out(openai_stub: StubOpenAIServer, make_openai_client: OpenAIClientFactory) -> None:
    openai_stub.queue(Reply("too late", delay=3.0))
    client = make_openai_client(timeout=0.3, max_retries=2)

    with pytest.raises(UpstreamTimeoutError) as caught:
        client.generate("hi")

    assert caught.value.status == 504
    assert caught.value.params["timeout"] == 0.3
    assert len(openai_stub.requests) == 1
