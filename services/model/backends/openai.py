"""The OpenAI-compatible backend: vLLM, a llama.cpp server, or a hosted API."""

from __future__ import annotations

from typing import Any, Literal

import httpx
import openai
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from services.model.backends.base import Backend, FailureKind

StructuredMode = Literal["json_schema", "json_object", "guided_json", "none"]
TokenLimitField = Literal["max_tokens", "max_completion_tokens"]
# A readiness probe must return well within a Kubernetes probe's default 1 s timeout.
PROBE_TIMEOUT_S = 0.8


class CompatibleChatOpenAI(ChatOpenAI):
    """ChatOpenAI that can send the token limit as `max_tokens`.

    langchain-openai always sends `max_completion_tokens`, which OpenAI introduced in
    2024. Servers that only read `max_tokens` (llama.cpp's server, older vLLM and
    other compatible servers) ignore it and generate until the context is full.
    """

    token_limit_field: TokenLimitField = "max_tokens"

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict[str, Any]:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if self.token_limit_field == "max_tokens" and "max_completion_tokens" in payload:
            payload["max_tokens"] = payload.pop("max_completion_tokens")
        return payload


class OpenAIBackend(Backend):
    """ChatOpenAI against any server that speaks the OpenAI chat completions API."""

    chat_model: ChatOpenAI

    def schema_kwargs(self, schema: dict[str, Any], schema_name: str) -> dict[str, Any] | None:
        mode: StructuredMode = self.extra.get("structured_mode", "json_schema")
        if mode == "json_schema":
            # Sent as a raw body field: given `response_format` directly, the
            # OpenAI SDK parses the reply itself and raises on a reply cut at
            # the token limit, before the client can ask the model again.
            response_format = {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": False},
            }
            return {"extra_body": {"response_format": response_format}}
        if mode == "json_object":
            # JSON mode with the schema beside it: llama-cpp-python's server (0.3) turns the
            # schema into a grammar, while it rejects the `json_schema` type.
            return {"extra_body": {"response_format": {"type": "json_object", "schema": schema}}}
        if mode == "guided_json":
            # vLLM's guided decoding parameter, sent outside the OpenAI fields.
            return {"extra_body": {"guided_json": schema}}
        return None

    def probe(self) -> str | None:
        """List the server's models (`GET /models`) and check that the configured one is served."""
        api_key = self.chat_model.openai_api_key
        headers = {"Authorization": f"Bearer {api_key.get_secret_value()}"} if isinstance(api_key, SecretStr) else {}
        try:
            response = httpx.get(f"{self.target.rstrip('/')}/models", headers=headers, timeout=PROBE_TIMEOUT_S)
        except httpx.HTTPError as exc:
            return f"{type(exc).__name__}: {exc}"
        if response.status_code != 200:
            return f"GET /models returned HTTP {response.status_code}"
        try:
            served = [entry.get("id") for entry in response.json().get("data", [])]
        except (ValueError, AttributeError):
            return "GET /models returned no model list"
        if self.model_name not in served:
            return f"model {self.model_name!r} is not served; the server lists {served}"
        return None

    def classify_error(self, error: BaseException) -> FailureKind:
        if isinstance(error, openai.APITimeoutError | httpx.TimeoutException):
            return "timeout"
        if isinstance(error, openai.APIConnectionError | httpx.TransportError | ConnectionError):
            return "transient"
        if isinstance(error, openai.RateLimitError | openai.InternalServerError):
            return "transient"
        if isinstance(error, openai.APIStatusError) and error.status_code >= 500:
            return "transient"
        return "fatal"


def build_openai_backend(
    *,
    base_url: str,
    api_key: str,
    model: str,
    timeout: float,
    max_tokens: int,
    structured_mode: StructuredMode,
    token_limit_field: TokenLimitField = "max_tokens",
) -> OpenAIBackend:
    chat_model = CompatibleChatOpenAI(
        base_url=base_url,
        api_key=api_key,  # type: ignore[arg-type]
        model=model,
        timeout=timeout,
        # The model client retries with its own backoff and logging.
        max_retries=0,
        max_tokens=max_tokens,  # type: ignore[call-arg]
        stream_usage=True,
        temperature=0.2,
        token_limit_field=token_limit_field,
    )
    return OpenAIBackend(
        name="openai",
        model_name=model,
        chat_model=chat_model,
        target=base_url,
        extra={"structured_mode": structured_mode},
    )
