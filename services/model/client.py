"""`ModelClient`: the one way the suite talks to a language model.

Every service requests text, a text stream, or a validated
pydantic object. The client adds what a production caller needs around the
backend's LangChain chat model: a concurrency limit, retries with exponential
backoff on transient failures, timeouts, token accounting and one log line
per call.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

import services.model.messages  # noqa: F401  (registers the model error texts)
from services.core.errors import (
    RateLimitedError,
    UpstreamError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
    XingchenError,
)
from services.core.i18n import Language
from services.core.prompts import render_prompt
from services.model.backends.base import Backend
from services.model.errors import (
    REASON_CHECK,
    REASON_NO_JSON,
    EmbeddedStructuredOutputError,
    ModelRetry,
    StructuredOutputError,
)
from services.model.structured import NoJsonFound, describe_validation_error, extract_json, validation_reason
from services.model.usage import Usage, UsageMeter, current_meter

logger = logging.getLogger(__name__)

OutputT = TypeVar("OutputT", bound=BaseModel)

# A prompt is plain user text, LangChain messages, or OpenAI-style role/content dicts.
Prompt = str | Sequence[BaseMessage] | Sequence[dict[str, str]]

_ROLE_TO_MESSAGE: dict[str, type[BaseMessage]] = {
    "system": SystemMessage,
    "user": HumanMessage,
    "assistant": AIMessage,
}


@dataclass(frozen=True)
class ClientLimits:
    """Limits the client enforces around every call."""

    max_concurrency: int = 4
    queue_timeout: float = 30.0
    timeout: float = 120.0
    max_retries: int = 3
    retry_backoff: float = 0.5
    structured_max_retries: int = 2
    default_max_tokens: int = 1024


@dataclass(frozen=True)
class Completion:
    """A finished generation."""

    text: str
    usage: Usage
    latency_seconds: float
    model: str
    finish_reason: str | None = None


class TextStream:
    """Iterator over generated text pieces; `usage` and `completion` are set once it is exhausted."""

    def __init__(self, pieces: Iterator[str]) -> None:
        self._pieces = pieces
        self.completion: Completion | None = None

    def __iter__(self) -> Iterator[str]:
        return self._pieces

    def __next__(self) -> str:
        return next(self._pieces)

    @property
    def usage(self) -> Usage | None:
        return self.completion.usage if self.completion else None


def to_messages(prompt: Prompt, system: str | None = None) -> list[BaseMessage]:
    """Normalise a prompt to LangChain messages, with `system` first when given."""
    messages: list[BaseMessage] = [SystemMessage(content=system)] if system else []
    if isinstance(prompt, str):
        messages.append(HumanMessage(content=prompt))
        return messages

    for item in prompt:
        if isinstance(item, BaseMessage):
            messages.append(item)
            continue
        role = item.get("role", "user")
        message_type = _ROLE_TO_MESSAGE.get(role)
        if message_type is None:
            raise ValueError(f"unsupported message role {role!r}; expected one of {sorted(_ROLE_TO_MESSAGE)}")
        messages.append(message_type(content=item.get("content", "")))
    return messages


class ModelClient:
    """Generate text, stream text, or return validated pydantic objects from one backend."""

    def __init__(self, backend: Backend, *, limits: ClientLimits | None = None) -> None:
        self.backend = backend
        self.limits = limits or ClientLimits()
        self._slots = threading.BoundedSemaphore(self.limits.max_concurrency)
        self._totals = UsageMeter()

    # --- facts ----------------------------------------------------------------

    @property
    def backend_name(self) -> str:
        return self.backend.name

    @property
    def model_name(self) -> str:
        return self.backend.model_name

    @property
    def loaded(self) -> bool:
        return self.backend.loaded

    @property
    def usage_totals(self) -> Usage:
        return self._totals.total

    def load(self) -> None:
        """Make the backend ready now (for the embedded backend: load the weights)."""
        self.backend.load()

    # --- calls ----------------------------------------------------------------

    def generate(
        self,
        prompt: Prompt,
        *,
        system: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        stop: list[str] | None = None,
        **call_options: Any,
    ) -> Completion:
        """Generate a whole reply to `prompt`."""
        messages = to_messages(prompt, system)
        options = self._call_options(max_tokens, temperature, stop, call_options)
        with self._slot():
            return self._invoke_with_retries(messages, options)

    def stream(
        self,
        prompt: Prompt,
        *,
        system: str | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        stop: list[str] | None = None,
        **call_options: Any,
    ) -> TextStream:
        """Stream the reply to `prompt` piece by piece.

        A transient failure before the first piece is retried; after it, the
        error reaches the caller, because pieces already sent cannot be taken back.
        """
        messages = to_messages(prompt, system)
        options = self._call_options(max_tokens, temperature, stop, call_options)
        stream = TextStream(iter(()))
        # The meter is captured now because the stream may be consumed in
        # another context (a response task, a worker thread).
        stream._pieces = self._stream_pieces(messages, options, stream, current_meter.get())
        return stream

    def structured(
        self,
        output_type: type[OutputT],
        prompt: Prompt,
        *,
        system: str | None = None,
        language: Language = "zh",
        max_tokens: int | None = None,
        max_retries: int | None = None,
        validate: Callable[[OutputT], None] | None = None,
    ) -> OutputT:
        """Return an `output_type` instance built from the model's reply.

        The JSON schema is sent to the backend when it supports constrained
        decoding. Either way the reply is parsed and validated; on failure the
        errors go back to the model, up to `max_retries` more times. `validate`
        may raise `ModelRetry` to reject a well-formed but wrong reply.
        """
        schema = output_type.model_json_schema()
        schema_text = json.dumps(schema, ensure_ascii=False)
        instruction = render_prompt("model", "structured", language, schema=schema_text)
        system_text = f"{system}\n\n{instruction}" if system else instruction
        messages = to_messages(prompt, system_text)

        options = self._call_options(max_tokens, 0.0, None, {})
        constraint = self.backend.schema_kwargs(schema, output_type.__name__)
        if constraint:
            options.update(constraint)

        retries = self.limits.structured_max_retries if max_retries is None else max_retries
        errors: list[str] = []
        reason: tuple[str, dict[str, Any]] = (REASON_NO_JSON, {})
        for attempt in range(retries + 1):
            with self._slot():
                completion = self._invoke_with_retries(messages, options)
            try:
                value = output_type.model_validate_json(extract_json(completion.text))
                if validate is not None:
                    validate(value)
                return value
            except NoJsonFound as exc:
                errors = [str(exc)]
                reason = (REASON_NO_JSON, {})
            except ValidationError as exc:
                errors = describe_validation_error(exc)
                reason = validation_reason(exc)
            except ModelRetry as exc:
                errors = [exc.message]
                reason = (REASON_CHECK, {"detail": exc.message[:300]})

            logger.info(
                "structured reply for %s failed validation (attempt %d of %d): %s",
                output_type.__name__,
                attempt + 1,
                retries + 1,
                "; ".join(errors),
            )
            messages = [
                *messages,
                AIMessage(content=completion.text),
                HumanMessage(content=render_prompt("model", "structured_retry", language, errors=errors)),
            ]

        # The embedded model runs in this process, so its failure is the service's own (500);
        # a remote OpenAI-compatible server is an upstream component (502).
        error_type = StructuredOutputError if self.backend.name == "openai" else EmbeddedStructuredOutputError
        raise error_type(attempts=retries + 1, reason=reason[0], reason_params=reason[1])

    # --- internals --------------------------------------------------------------

    def _call_options(
        self, max_tokens: int | None, temperature: float | None, stop: list[str] | None, extra: dict[str, Any]
    ) -> dict[str, Any]:
        options: dict[str, Any] = dict(extra)
        options["max_tokens"] = max_tokens or self.limits.default_max_tokens
        if temperature is not None:
            options["temperature"] = temperature
        if stop:
            options["stop"] = stop
        return options

    def _slot(self) -> _Slot:
        return _Slot(self._slots, self.limits)

    def _invoke_with_retries(self, messages: list[BaseMessage], options: dict[str, Any]) -> Completion:
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                reply = self.backend.chat_model.invoke(messages, **options)
            except XingchenError:
                raise
            except Exception as exc:  # noqa: BLE001  (classified below, then re-raised or retried)
                self._handle_failure(exc, attempt)
                continue

            latency = time.perf_counter() - started
            return self._finish(reply, latency, current_meter.get())

    def _handle_failure(self, error: Exception, attempt: int) -> None:
        """Sleep before a retry, or raise the suite's error for `error`."""
        kind = self.backend.classify_error(error)
        if kind == "timeout":
            logger.warning("model call to %s timed out after %.0f s", self.backend.target, self.limits.timeout)
            raise UpstreamTimeoutError(
                "model.timeout", target=self.backend.target, timeout=self.limits.timeout
            ) from error
        if kind == "fatal":
            logger.error("model call to %s failed: %r", self.backend.target, error)
            raise UpstreamError("model.failed", target=self.backend.target, reason=str(error)[:300]) from error

        if attempt > self.limits.max_retries:
            logger.error("model server %s unreachable after %d attempts: %r", self.backend.target, attempt, error)
            raise UpstreamUnavailableError(
                "model.unavailable", target=self.backend.target, attempts=attempt, reason=str(error)[:200]
            ) from error

        delay = self.limits.retry_backoff * (2 ** (attempt - 1))
        logger.warning(
            "model call to %s failed (attempt %d of %d), retrying in %.1f s: %r",
            self.backend.target,
            attempt,
            self.limits.max_retries + 1,
            delay,
            error,
        )
        time.sleep(delay)

    def _finish(self, reply: BaseMessage, latency: float, meter: UsageMeter | None = None) -> Completion:
        usage_metadata = getattr(reply, "usage_metadata", None) or {}
        usage = Usage(
            prompt_tokens=int(usage_metadata.get("input_tokens", 0)),
            completion_tokens=int(usage_metadata.get("output_tokens", 0)),
            calls=1,
        )
        self._record(usage, latency, meter)
        finish_reason = reply.response_metadata.get("finish_reason") if reply.response_metadata else None
        return Completion(
            text=reply.text, usage=usage, latency_seconds=latency, model=self.model_name, finish_reason=finish_reason
        )

    def _record(self, usage: Usage, latency: float, meter: UsageMeter | None = None) -> None:
        self._totals.add(usage)
        if meter is not None:
            meter.add(usage)
        logger.info(
            "model call backend=%s model=%s prompt_tokens=%d completion_tokens=%d latency_ms=%.0f",
            self.backend_name,
            self.model_name,
            usage.prompt_tokens,
            usage.completion_tokens,
            latency * 1000,
        )

    def _stream_pieces(
        self, messages: list[BaseMessage], options: dict[str, Any], stream: TextStream, meter: UsageMeter | None
    ) -> Iterator[str]:
        with self._slot():
            attempt = 0
            while True:
                attempt += 1
                started = time.perf_counter()
                emitted = False
                collected: AIMessageChunk | None = None
                try:
                    for chunk in self.backend.chat_model.stream(messages, **options):
                        collected = chunk if collected is None else collected + chunk
                        if chunk.text:
                            emitted = True
                            yield chunk.text
                except XingchenError:
                    raise
                except Exception as exc:  # noqa: BLE001  (classified, then retried or re-raised)
                    if emitted:
                        self._handle_failure_mid_stream(exc)
                    self._handle_failure(exc, attempt)
                    continue

                latency = time.perf_counter() - started
                reply = collected if collected is not None else AIMessageChunk(content="")
                stream.completion = self._finish(reply, latency, meter)
                return

    def _handle_failure_mid_stream(self, error: Exception) -> None:
        kind = self.backend.classify_error(error)
        logger.error("model stream from %s broke after output started: %r", self.backend.target, error)
        if kind == "timeout":
            raise UpstreamTimeoutError(
                "model.timeout", target=self.backend.target, timeout=self.limits.timeout
            ) from error
        raise UpstreamError("model.failed", target=self.backend.target, reason=str(error)[:300]) from error


class _Slot:
    """Context manager around the concurrency semaphore; raises 429 when no slot frees in time."""

    def __init__(self, semaphore: threading.BoundedSemaphore, limits: ClientLimits) -> None:
        self._semaphore = semaphore
        self._limits = limits

    def __enter__(self) -> None:
        if not self._semaphore.acquire(timeout=self._limits.queue_timeout):
            logger.warning("no free model slot within %.0f s", self._limits.queue_timeout)
            raise RateLimitedError(
                "model.busy",
                retry_after=max(1, int(self._limits.queue_timeout)),
                limit=self._limits.max_concurrency,
                waited=self._limits.queue_timeout,
            )

    def __exit__(self, *exc_info: object) -> None:
        self._semaphore.release()
