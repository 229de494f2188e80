"""The shared model as an OpenAI-compatible chat completions API, behind the suite's keys."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import iterate_in_threadpool

from apps.gateway.deps import LanguageDep, ModelDep, StateDep, require_service
from services.core.apikeys import Principal
from services.core.errors import InvalidInputError, XingchenError
from services.model.client import ModelClient
from services.model.usage import current_meter

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

ModelPrincipal = Annotated[Principal, Depends(require_service("model"))]


class ContentPart(BaseModel):
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str | list[ContentPart]

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return "".join(part.text or "" for part in self.content if part.type == "text")


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model: str | None = Field(
        None, description="Ignored: the suite serves one model. Echoed back as the served model's name."
    )
    messages: list[ChatMessage] = Field(min_length=1)
    max_tokens: int | None = Field(None, ge=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    stop: str | list[str] | None = None
    stream: bool = False
    stream_options: StreamOptions | None = None
    response_format: dict[str, Any] | None = Field(
        None, description='`{"type": "json_schema", "json_schema": {"schema": ...}}` constrains the reply to a schema.'
    )


def _call_options(body: ChatCompletionRequest, model: ModelClient) -> dict[str, Any]:
    options: dict[str, Any] = {
        "max_tokens": body.max_completion_tokens or body.max_tokens,
        "temperature": body.temperature,
        "stop": [body.stop] if isinstance(body.stop, str) else body.stop,
    }
    if body.response_format and body.response_format.get("type") == "json_schema":
        schema_spec = body.response_format.get("json_schema") or {}
        schema = schema_spec.get("schema")
        if not isinstance(schema, dict):
            raise InvalidInputError("bad_request", reason="response_format.json_schema.schema must be an object")
        constraint = model.backend.schema_kwargs(schema, schema_spec.get("name", "response"))
        if constraint:
            options.update(constraint)
    return options


@router.get("/models")
def list_models(model: ModelDep, principal: ModelPrincipal) -> dict[str, Any]:
    """List the one model the suite serves."""
    return {"object": "list", "data": [{"id": model.model_name, "object": "model", "owned_by": "xingchen"}]}


@router.post("/chat/completions", response_model=None)
def chat_completions(
    body: ChatCompletionRequest, model: ModelDep, principal: ModelPrincipal, state: StateDep, language: LanguageDep
) -> dict[str, Any] | StreamingResponse:
    """Generate a chat completion with the suite's model; `stream: true` returns Server-Sent Events."""
    messages = [{"role": message.role, "content": message.text()} for message in body.messages]
    options = _call_options(body, model)
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())

    if not body.stream:
        completion = model.generate(messages, **options)
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": model.model_name,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": completion.text},
                    "finish_reason": completion.finish_reason or "stop",
                }
            ],
            "usage": {
                "prompt_tokens": completion.usage.prompt_tokens,
                "completion_tokens": completion.usage.completion_tokens,
                "total_tokens": completion.usage.total_tokens,
            },
        }

    include_usage = bool(body.stream_options and body.stream_options.include_usage)

    # This stream's usage is charged below once it ends, not through the
    # request's meter, which may close before the last piece is sent.
    meter_token = current_meter.set(None)
    stream = model.stream(messages, **options)
    current_meter.reset(meter_token)

    def events() -> Iterator[str]:
        def chunk(delta: dict[str, Any], finish_reason: str | None = None, **extra: Any) -> str:
            payload = {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model.model_name,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
                **extra,
            }
            return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        try:
            for piece in stream:
                yield chunk({"content": piece})
        except XingchenError as exc:
            # Headers are already sent, so the error travels as a final event.
            logger.error("chat stream %s failed: %s", completion_id, exc.message("en"))
            error = {"error": {"message": exc.message(language), "type": exc.code, "code": exc.status}}
            yield f"data: {json.dumps(error, ensure_ascii=False)}\n\n"
            yield "data: [DONE]\n\n"
            return

        completion = stream.completion
        yield chunk({}, finish_reason=(completion.finish_reason if completion else None) or "stop")
        if completion is not None:
            state.keys.add_usage(principal.key_id, completion.usage)
            if include_usage:
                usage = {
                    "prompt_tokens": completion.usage.prompt_tokens,
                    "completion_tokens": completion.usage.completion_tokens,
                    "total_tokens": completion.usage.total_tokens,
                }
                payload = {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model.model_name,
                    "choices": [],
                    "usage": usage,
                }
                yield f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(iterate_in_threadpool(events()), media_type="text/event-stream")
