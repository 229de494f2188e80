"""The OpenAI-compatible backend: vLLM, a llama.cpp server, or a hosted API."""

from __future__ import annotations

from typing import Any, Literal

import httpx
import openai
from langchain_openai import ChatOpenAI

from services.model.backends.base import Backend, FailureKind

StructuredMode = Literal["json_schema", "guided_json", "none"]


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
        if mode == "guided_json":
            # vLLM's guided decoding parameter, sent outside the OpenAI fields.
            return {"extra_body": {"guided_json": schema}}
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
) -> OpenAIBackend:
    chat_model = ChatOpenAI(
        base_url=base_url,
        api_key=api_key,  # type: ignore[arg-type]
        model=model,
        timeout=timeout,
        # The model client retries with its own backoff and logging.
        max_retries=0,
        max_tokens=max_tokens,  # type: ignore[call-arg]
        stream_usage=True,
        temperature=0.2,
    )
    return OpenAIBackend(
        name="openai",
        model_name=model,
        chat_model=chat_model,
        target=base_url,
        extra={"structured_mode": structured_mode},
    )
