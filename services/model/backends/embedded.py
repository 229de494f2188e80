"""The embedded backend: a GGUF model run in-process by llama-cpp-python.

`LlamaCppChatModel` is a LangChain chat model over `llama_cpp.Llama`. The
weights load lazily on the first call (or on `load()`), and one lock
serialises calls because a `Llama` object is not thread-safe.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from services.core.errors import ConfigurationError
from services.model.backends.base import Backend

logger = logging.getLogger(__name__)

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool"}


class LlamaCppChatModel(BaseChatModel):
    """LangChain chat model that runs a local GGUF file with llama.cpp."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_path: Path
    n_ctx: int = 8192
    n_threads: int | None = None
    temperature: float = 0.2
    max_tokens: int = 1024
    repeat_penalty: float = 1.1
    # Seconds one call may run; checked between generated tokens.
    timeout: float = 120.0
    seed: int = 42

    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _load_seconds: float | None = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def load_seconds(self) -> float | None:
        return self._load_seconds

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    def load(self) -> None:
        """Load the weights now instead of on the first call."""
        with self._lock:
            self._ensure_loaded()

    def _ensure_loaded(self) -> Any:
        if self._llama is not None:
            return self._llama
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ConfigurationError(
                "model.package_missing", package="llama-cpp-python", extra="embedded", setting="XINGCHEN_MODEL_BACKEND"
            ) from exc

        started = time.perf_counter()
        logger.info("loading GGUF model %s (context %d tokens)", self.model_path, self.n_ctx)
        self._llama = Llama(
            model_path=str(self.model_path),
            n_ctx=self.n_ctx,
            n_threads=self.n_threads,
            seed=self.seed,
            verbose=False,
        )
        self._load_seconds = time.perf_counter() - started
        logger.info("loaded %s in %.1f s", self.model_path.name, self._load_seconds)
        return self._llama

    def _request(self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        request: dict[str, Any] = {
            "messages": [{"role": _ROLES.get(message.type, "user"), "content": message.text} for message in messages],
            "temperature": kwargs.get("temperature", self.temperature),
            "max_tokens": kwargs.get("max_tokens") or self.max_tokens,
            "repeat_penalty": kwargs.get("repeat_penalty", self.repeat_penalty),
            "stop": stop or kwargs.get("stop"),
            "stream": True,
        }
        if "response_format" in kwargs:
            request["response_format"] = kwargs["response_format"]
        return request

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        timeout = kwargs.pop("timeout", None) or self.timeout
        with self._lock:
            llama = self._ensure_loaded()
            deadline = time.monotonic() + timeout
            completion_tokens = 0
            finish_reason = None
            for chunk in llama.create_chat_completion(**self._request(messages, stop, kwargs)):
                choice = chunk["choices"][0]
                text = choice.get("delta", {}).get("content") or ""
                finish_reason = choice.get("finish_reason") or finish_reason
                if text:
                    completion_tokens += 1
                    if run_manager is not None:
                        run_manager.on_llm_new_token(text)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=text))
                if time.monotonic() > deadline:
                    raise TimeoutError(f"generation exceeded {timeout} s")

            # After a completion the context contains the prompt plus the sampled
            # tokens, so the prompt's size is the difference.
            prompt_tokens = max(int(llama.n_tokens) - completion_tokens, 0)
            usage = UsageMetadata(
                input_tokens=prompt_tokens,
                output_tokens=completion_tokens,
                total_tokens=prompt_tokens + completion_tokens,
            )
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content="", usage_metadata=usage, response_metadata={"finish_reason": finish_reason}
                ),
            )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text_parts: list[str] = []
        usage: UsageMetadata | None = None
        metadata: dict[str, Any] = {}
        for chunk in self._stream(messages, stop=stop, run_manager=run_manager, **kwargs):
            message = chunk.message
            text_parts.append(message.text)
            if isinstance(message, AIMessageChunk) and message.usage_metadata:
                usage = message.usage_metadata
                metadata = dict(message.response_metadata)
        reply = AIMessage(content="".join(text_parts), usage_metadata=usage, response_metadata=metadata)
        return ChatResult(generations=[ChatGeneration(message=reply)])


class EmbeddedBackend(Backend):
    """llama.cpp in-process; constrained decoding through a grammar built from the JSON schema."""

    chat_model: LlamaCppChatModel

    def schema_kwargs(self, schema: dict[str, Any], schema_name: str) -> dict[str, Any] | None:
        return {"response_format": {"type": "json_object", "schema": schema}}

    def classify_error(self, error: BaseException) -> Any:
        if isinstance(error, TimeoutError):
            return "timeout"
        return "fatal"

    def load(self) -> None:
        self.chat_model.load()

    @property
    def loaded(self) -> bool:
        return self.chat_model.loaded
