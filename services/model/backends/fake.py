"""The fake backend for tests: replays canned replies and records every call."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from services.model.backends.base import Backend

# A canned reply: a string, an exception to raise, or a function of the call's messages.
Reply = str | BaseException | Callable[[list[BaseMessage]], str]


@dataclass
class RecordedCall:
    messages: list[BaseMessage]
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def prompt(self) -> str:
        return "\n".join(message.text for message in self.messages)


class FakeChatModel(BaseChatModel):
    """Chat model that returns queued replies in order, or `default_reply` once the queue is empty."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    default_reply: Reply | None = None

    _queue: deque[Reply] = PrivateAttr(default_factory=deque)
    _calls: list[RecordedCall] = PrivateAttr(default_factory=list)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "fake"

    @property
    def calls(self) -> list[RecordedCall]:
        return list(self._calls)

    def queue(self, *replies: Reply) -> None:
        self._queue.extend(replies)

    def reset(self) -> None:
        self._queue.clear()
        self._calls.clear()

    def _next_reply(self, messages: list[BaseMessage], kwargs: dict[str, Any]) -> str:
        with self._lock:
            self._calls.append(RecordedCall(messages=list(messages), kwargs=dict(kwargs)))
            reply = self._queue.popleft() if self._queue else self.default_reply
        if reply is None:
            raise AssertionError("the fake model has no canned reply left; queue one with fake.queue(...)")
        if isinstance(reply, BaseException):
            raise reply
        if callable(reply):
            return reply(list(messages))
        return reply

    @staticmethod
    def _usage(messages: list[BaseMessage], text: str) -> UsageMetadata:
        # Characters stand in for tokens so that accounting is testable.
        prompt = sum(len(message.text) for message in messages)
        return UsageMetadata(input_tokens=prompt, output_tokens=len(text), total_tokens=prompt + len(text))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = self._next_reply(messages, {**kwargs, "stop": stop} if stop else kwargs)
        message = AIMessage(content=text, usage_metadata=self._usage(messages, text))
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text = self._next_reply(messages, {**kwargs, "stop": stop} if stop else kwargs)
        step = 4
        for start in range(0, len(text), step):
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[start : start + step]))
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=self._usage(messages, text)))


class FakeBackend(Backend):
    chat_model: FakeChatModel


def build_fake_backend(default_reply: Reply | None = None) -> FakeBackend:
    return FakeBackend(
        name="fake", model_name="fake", chat_model=FakeChatModel(default_reply=default_reply), target="fake"
    )
