"""The gateway's OpenAI-compatible `/v1/chat/completions`.

Three layers: the route over the fake model through `TestClient`, the official
`openai` client against the gateway on a real socket, and the gateway over the
openai backend aimed at a stub server or at a closed port.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import openai
import pytest
from fastapi.testclient import TestClient

from apps.gateway.app import create_app
from services.core.http import PROBLEM_MEDIA_TYPE
from services.core.i18n import translate
from services.core.settings import LOCAL_ADMIN_KEY, Settings
from services.model.backends.fake import FakeBackend, FakeChatModel
from services.model.client import ClientLimits, ModelClient
from tests.conftest import ADMIN_HEADERS
from tests.model.stub_openai_server import Reply, StubOpenAIServer, UvicornThread, free_port

CHAT_URL = "/v1/chat/completions"
USAGE_URL = "/api/v1/usage"

# "你好" is 2 characters, and the fake model counts characters as tokens.
PROMPT = "你好"
PROMPT_TOKENS = len(PROMPT)


def chat_body(**fields: Any) -> dict[str, Any]:
    return {"model": "any-name", "messages": [{"role": "user", "content": PROMPT}], **fields}


def key_headers(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def sse_payloads(text: str) -> list[str]:
    """Return the `data:` payloads of a Server-Sent Events body, in order."""
    return [line.removeprefix("data: ") for line in text.splitlines() if line.startswith("data: ")]


def stream_chunks(text: str) -> list[dict[str, Any]]:
    """Return the JSON chunks of an SSE body, without the final `[DONE]`."""
    return [json.loads(payload) for payload in sse_payloads(text) if payload != "[DONE]"]


def streamed_text(chunks: list[dict[str, Any]]) -> str:
    return "".join(chunk["choices"][0]["delta"].get("content", "") for chunk in chunks if chunk["choices"])


def usage_by_key(client: TestClient, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    response = client.get(USAGE_URL, headers=headers)
    assert response.status_code == 200
    return {row["key_id"]: row for row in response.json()}


# --- authentication ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept_language", "language"),
    [(None, "zh"), ("zh-CN", "zh"), ("en", "en"), ("en-US, zh;q=0.5", "en")],
)
def test_chat_without_key_returns_401(client: TestClient, accept_language: str | None, language: str) -> None:
    headers = {"Accept-Language": accept_language} if accept_language else {}

    response = client.post(CHAT_URL, json=chat_body(), headers=headers)

    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    expected = translate("auth.missing_key", language)  # type: ignore[arg-type]
    assert body["code"] == "auth.missing_key"
    assert body["status"] == 401
    assert body["detail"] == expected
    assert body["error"] == {"message": expected, "type": "auth.missing_key", "code": 401}


def test_chat_wrong_key_returns_401(client: TestClient, fake_chat: FakeChatModel) -> None:
    response = client.post(CHAT_URL, json=chat_body(), headers=key_headers("xc_wrong"))

    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_key"
    assert fake_chat.calls == []


def test_chat_writing_key_returns_403(client: TestClient, fake_chat: FakeChatModel) -> None:
    _, key = client.app.state.gateway.keys.create("writers", ["writing"])  # type: ignore[attr-defined]

    response = client.post(CHAT_URL, json=chat_body(), headers=key_headers(key, **{"Accept-Language": "en"}))

    assert response.status_code == 403
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    assert response.json()["code"] == "auth.forbidden"
    assert "'model'" in response.json()["error"]["message"]
    assert fake_chat.calls == []


# --- non-streaming ----------------------------------------------------------------


def test_chat_returns_completion(client: TestClient, fake_chat: FakeChatModel) -> None:
    reply = "你好，我是星辰。"
    fake_chat.queue(reply)

    response = client.post(CHAT_URL, json=chat_body(), headers=ADMIN_HEADERS)

    assert response.status_code == 200
    body = response.json()
    assert body["id"].startswith("chatcmpl-")
    assert body["object"] == "chat.completion"
    assert isinstance(body["created"], int)
    assert body["model"] == "fake"
    assert body["choices"] == [
        {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}
    ]
    assert body["usage"] == {
        "prompt_tokens": PROMPT_TOKENS,
        "completion_tokens": len(reply),
        "total_tokens": PROMPT_TOKENS + len(reply),
    }


def test_chat_passes_messages_and_options(client: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("ok")
    body = {
        "messages": [
            {"role": "system", "content": "简短回答"},
            {"role": "user", "content": [{"type": "text", "text": "第一段"}, {"type": "text", "text": "第二段"}]},
        ],
        "max_tokens": 99,
        "max_completion_tokens": 40,
        "temperature": 0.3,
    }

    response = client.post(CHAT_URL, json=body, headers=ADMIN_HEADERS)

    assert response.status_code == 200
    call = fake_chat.calls[-1]
    assert [message.type for message in call.messages] == ["system", "human"]
    assert call.messages[0].text == "简短回答"
    assert call.messages[1].text == "第一段第二段"
    assert call.kwargs["max_tokens"] == 40
    assert call.kwargs["temperature"] == 0.3


def test_chat_empty_messages_returns_422(client: TestClient, fake_chat: FakeChatModel) -> None:
    response = client.post(CHAT_URL, json={"messages": []}, headers=ADMIN_HEADERS)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert fake_chat.calls == []


# --- streaming --------------------------------------------------------------------


def test_chat_stream_ends_with_done(client: TestClient, fake_chat: FakeChatModel) -> None:
    reply = "流式回复的内容较长一些"
    fake_chat.queue(reply)

    response = client.post(CHAT_URL, json=chat_body(stream=True), headers=ADMIN_HEADERS)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    payloads = sse_payloads(response.text)
    assert payloads[-1] == "[DONE]"
    chunks = stream_chunks(response.text)
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    assert len({chunk["id"] for chunk in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert streamed_text(chunks) == reply
    assert len(chunks) > 3
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert all("usage" not in chunk for chunk in chunks)


def test_chat_stream_includes_usage_chunk(client: TestClient, fake_chat: FakeChatModel) -> None:
    reply = "带用量的流式回复"
    fake_chat.queue(reply)
    body = chat_body(stream=True, stream_options={"include_usage": True})

    response = client.post(CHAT_URL, json=body, headers=ADMIN_HEADERS)

    chunks = stream_chunks(response.text)
    usage_chunk = chunks[-1]
    assert sse_payloads(response.text)[-1] == "[DONE]"
    assert usage_chunk["choices"] == []
    assert usage_chunk["usage"] == {
        "prompt_tokens": PROMPT_TOKENS,
        "completion_tokens": len(reply),
        "total_tokens": PROMPT_TOKENS + len(reply),
    }


def test_chat_stream_failure_sends_error_event(client: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(ValueError("backend exploded"))

    response = client.post(CHAT_URL, json=chat_body(stream=True), headers={**ADMIN_HEADERS, "Accept-Language": "en"})

    assert response.status_code == 200
    assert sse_payloads(response.text)[-1] == "[DONE]"
    error = stream_chunks(response.text)[-1]["error"]
    assert error["type"] == "model.failed"
    assert error["code"] == 502
    assert "backend exploded" in error["message"]


# --- token accounting -------------------------------------------------------------


def test_usage_grows_per_key(client: TestClient, fake_chat: FakeChatModel) -> None:
    record, team_key = client.app.state.gateway.keys.create("team", ["model"])  # type: ignore[attr-defined]
    team_headers = key_headers(team_key)
    assert usage_by_key(client, team_headers) == {}

    fake_chat.queue("abc", "defgh", "admin reply")
    client.post(CHAT_URL, json=chat_body(), headers=team_headers)
    client.post(CHAT_URL, json=chat_body(), headers=team_headers)
    client.post(CHAT_URL, json=chat_body(), headers=ADMIN_HEADERS)

    team_view = usage_by_key(client, team_headers)
    assert list(team_view) == [record.id]
    assert team_view[record.id]["requests"] == 2
    assert team_view[record.id]["prompt_tokens"] == 2 * PROMPT_TOKENS
    assert team_view[record.id]["completion_tokens"] == len("abc") + len("defgh")
    assert team_view[record.id]["total_tokens"] == 2 * PROMPT_TOKENS + 8

    admin_view = usage_by_key(client, ADMIN_HEADERS)
    assert set(admin_view) == {"admin", record.id}
    assert admin_view["admin"]["requests"] == 1
    assert admin_view["admin"]["completion_tokens"] == len("admin reply")


def test_usage_counts_streamed_tokens(client: TestClient, fake_chat: FakeChatModel) -> None:
    record, team_key = client.app.state.gateway.keys.create("team", ["model"])  # type: ignore[attr-defined]
    fake_chat.queue("streamed reply")

    response = client.post(CHAT_URL, json=chat_body(stream=True), headers=key_headers(team_key))

    assert sse_payloads(response.text)[-1] == "[DONE]"
    team_row = usage_by_key(client, key_headers(team_key))[record.id]
    assert team_row["requests"] == 1
    assert team_row["prompt_tokens"] == PROMPT_TOKENS
    assert team_row["completion_tokens"] == len("streamed reply")
    assert "admin" not in usage_by_key(client, ADMIN_HEADERS)


# --- response_format --------------------------------------------------------------


class ConstrainedFakeBackend(FakeBackend):
    """Fake backend that reports a decoding constraint, as the openai backend does."""

    def schema_kwargs(self, schema: dict[str, Any], schema_name: str) -> dict[str, Any] | None:
        return {"json_schema_constraint": {"name": schema_name, "schema": schema}}


@pytest.fixture
def constrained_chat() -> FakeChatModel:
    return FakeChatModel()


@pytest.fixture
def constrained_client(settings: Settings, constrained_chat: FakeChatModel) -> Iterator[TestClient]:
    backend = ConstrainedFakeBackend(name="fake", model_name="fake", chat_model=constrained_chat, target="fake")
    model = ModelClient(backend, limits=ClientLimits(max_retries=0, retry_backoff=0.0, queue_timeout=0.5))
    with TestClient(create_app(settings, model=model)) as test_client:
        yield test_client


INVOICE_SCHEMA = {
    "type": "object",
    "properties": {"amount": {"type": "number"}},
    "required": ["amount"],
}


def test_chat_response_format_reaches_backend(constrained_client: TestClient, constrained_chat: FakeChatModel) -> None:
    constrained_chat.queue('{"amount": 12.5}')
    response_format = {"type": "json_schema", "json_schema": {"name": "invoice", "schema": INVOICE_SCHEMA}}

    response = constrained_client.post(CHAT_URL, json=chat_body(response_format=response_format), headers=ADMIN_HEADERS)

    assert response.status_code == 200
    assert response.json()["choices"][0]["message"]["content"] == '{"amount": 12.5}'
    constraint = constrained_chat.calls[-1].kwargs["json_schema_constraint"]
    assert constraint == {"name": "invoice", "schema": INVOICE_SCHEMA}


def test_chat_response_format_default_name(constrained_client: TestClient, constrained_chat: FakeChatModel) -> None:
    constrained_chat.queue("{}")
    response_format = {"type": "json_schema", "json_schema": {"schema": INVOICE_SCHEMA}}

    constrained_client.post(CHAT_URL, json=chat_body(response_format=response_format), headers=ADMIN_HEADERS)

    assert constrained_chat.calls[-1].kwargs["json_schema_constraint"]["name"] == "response"


def test_chat_json_object_format_adds_no_constraint(
    constrained_client: TestClient, constrained_chat: FakeChatModel
) -> None:
    constrained_chat.queue("{}")

    response = constrained_client.post(
        CHAT_URL, json=chat_body(response_format={"type": "json_object"}), headers=ADMIN_HEADERS
    )

    assert response.status_code == 200
    assert "json_schema_constraint" not in constrained_chat.calls[-1].kwargs


@pytest.mark.parametrize("schema_spec", [{}, {"name": "x"}, {"schema": "not an object"}, {"schema": [1, 2]}])
def test_chat_response_format_bad_schema_returns_422(
    constrained_client: TestClient, constrained_chat: FakeChatModel, schema_spec: dict[str, Any]
) -> None:
    response_format = {"type": "json_schema", "json_schema": schema_spec}

    response = constrained_client.post(CHAT_URL, json=chat_body(response_format=response_format), headers=ADMIN_HEADERS)

    assert response.status_code == 422
    assert response.json()["code"] == "bad_request"
    assert "response_format.json_schema.schema" in response.json()["detail"]
    assert constrained_chat.calls == []


# --- the official openai client against a real socket -----------------------------


@pytest.fixture
def gateway_server(settings: Settings, fake_model: ModelClient) -> Iterator[UvicornThread]:
    with UvicornThread(create_app(settings, model=fake_model), lifespan="on") as server:
        yield server


def openai_client(server: UvicornThread, api_key: str = LOCAL_ADMIN_KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server.base_url}/v1", api_key=api_key, max_retries=0, timeout=10.0)


def test_openai_client_creates_completion(gateway_server: UvicornThread, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("来自网关的回复")

    completion = openai_client(gateway_server).chat.completions.create(
        model="qwen", messages=[{"role": "user", "content": PROMPT}]
    )

    assert completion.choices[0].message.content == "来自网关的回复"
    assert completion.choices[0].finish_reason == "stop"
    assert completion.model == "fake"
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == PROMPT_TOKENS
    assert completion.usage.completion_tokens == len("来自网关的回复")


def test_openai_client_streams_completion(gateway_server: UvicornThread, fake_chat: FakeChatModel) -> None:
    reply = "官方客户端读取的流式回复"
    fake_chat.queue(reply)

    stream = openai_client(gateway_server).chat.completions.create(
        model="qwen",
        messages=[{"role": "user", "content": PROMPT}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)

    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert text == reply
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.completion_tokens == len(reply)


def test_openai_client_lists_model(gateway_server: UvicornThread) -> None:
    models = openai_client(gateway_server).models.list()

    assert [model.id for model in models.data] == ["fake"]


def test_openai_client_wrong_key_raises(gateway_server: UvicornThread, fake_chat: FakeChatModel) -> None:
    client = openai_client(gateway_server, api_key="xc_wrong_key")

    with pytest.raises(openai.AuthenticationError) as caught:
        client.chat.completions.create(model="qwen", messages=[{"role": "user", "content": PROMPT}])

    assert caught.value.status_code == 401
    assert isinstance(caught.value.body, dict)
    assert caught.value.body["message"] == translate("auth.invalid_key", "zh")
    assert fake_chat.calls == []


# --- the openai backend behind the gateway ----------------------------------------


def openai_settings(settings: Settings, base_url: str) -> Settings:
    return settings.model_copy(
        update={
            "model_backend": "openai",
            "openai_base_url": base_url,
            "openai_model": "stub-model",
            "model_max_retries": 1,
            "model_retry_backoff": 0.0,
            "model_timeout": 5.0,
        }
    )


def test_chat_closed_upstream_returns_503(settings: Settings) -> None:
    base_url = f"http://127.0.0.1:{free_port()}/v1"

    with TestClient(create_app(openai_settings(settings, base_url))) as client:
        chinese = client.post(CHAT_URL, json=chat_body(), headers=ADMIN_HEADERS)
        english = client.post(CHAT_URL, json=chat_body(), headers={**ADMIN_HEADERS, "Accept-Language": "en"})

    assert chinese.status_code == 503
    assert chinese.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    assert chinese.json()["code"] == "model.unavailable"
    assert base_url in chinese.json()["detail"]
    assert base_url in chinese.json()["error"]["message"]
    assert english.status_code == 503
    assert base_url in english.json()["detail"]
    assert "after 2 attempts" in english.json()["detail"]


def test_chat_upstream_started_later_succeeds(settings: Settings) -> None:
    port = free_port()
    upstream_settings = openai_settings(settings, f"http://127.0.0.1:{port}/v1")

    with TestClient(create_app(upstream_settings)) as client:
        before = client.post(CHAT_URL, json=chat_body(), headers=ADMIN_HEADERS)

        with StubOpenAIServer(port=port) as stub:
            stub.queue(Reply("上游已恢复"), Reply("新网关的回复"))
            after = client.post(CHAT_URL, json=chat_body(), headers=ADMIN_HEADERS)
            with TestClient(create_app(upstream_settings)) as second_client:
                second = second_client.post(CHAT_URL, json=chat_body(), headers=ADMIN_HEADERS)

    assert before.status_code == 503
    assert after.status_code == 200
    assert after.json()["choices"][0]["message"]["content"] == "上游已恢复"
    assert second.status_code == 200
    assert second.json()["choices"][0]["message"]["content"] == "新网关的回复"
    assert len(stub.requests) == 2


@pytest.fixture
def stub_gateway(settings: Settings, openai_stub: StubOpenAIServer) -> Iterator[TestClient]:
    with TestClient(create_app(openai_settings(settings, openai_stub.base_url))) as client:
        yield client


def test_chat_openai_backend_streams(stub_gateway: TestClient, openai_stub: StubOpenAIServer) -> None:
    reply = Reply("经由上游服务器的流式回复", chunk_size=2, prompt_tokens=21, completion_tokens=7)
    openai_stub.queue(reply)
    body = chat_body(stream=True, stream_options={"include_usage": True})

    response = stub_gateway.post(CHAT_URL, json=body, headers=ADMIN_HEADERS)

    chunks = stream_chunks(response.text)
    assert streamed_text(chunks) == reply.text
    assert chunks[-1]["usage"] == {"prompt_tokens": 21, "completion_tokens": 7, "total_tokens": 28}
    assert openai_stub.requests[0]["model"] == "stub-model"
    assert openai_stub.requests[0]["messages"] == [{"role": "user", "content": PROMPT}]


def test_chat_openai_backend_sends_response_format(stub_gateway: TestClient, openai_stub: StubOpenAIServer) -> None:
    openai_stub.queue(Reply('{"amount": 3}'))
    response_format = {"type": "json_schema", "json_schema": {"name": "invoice", "schema": INVOICE_SCHEMA}}

    response = stub_gateway.post(CHAT_URL, json=chat_body(response_format=response_format), headers=ADMIN_HEADERS)

    assert response.status_code == 200
    sent = openai_stub.requests[0]["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["name"] == "invoice"
    assert sent["json_schema"]["schema"] == INVOICE_SCHEMA
