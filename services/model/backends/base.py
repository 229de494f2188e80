"""The backend interface: a LangChain chat model plus the facts the model client needs about it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from langchain_core.language_models.chat_models import BaseChatModel

FailureKind = Literal["transient", "timeout", "fatal"]


@dataclass
class Backend:
    """A LangChain chat model plus the facts the client needs about it.

    Subclasses describe how the backend constrains decoding to a JSON schema
    and which exceptions are worth a retry.
    """

    name: str
    model_name: str
    chat_model: BaseChatModel
    # Location of the model for error messages: a server URL or a file path.
    target: str
    extra: dict[str, Any] = field(default_factory=dict)

    def schema_kwargs(self, schema: dict[str, Any], schema_name: str) -> dict[str, Any] | None:
        """Return call keyword arguments that constrain decoding to `schema`, or None when unsupported."""
        return None

    def classify_error(self, error: BaseException) -> FailureKind:
        """Tell the client whether `error` is worth a retry."""
        if isinstance(error, TimeoutError):
            return "timeout"
        if isinstance(error, ConnectionError):
            return "transient"
        return "fatal"

    def load(self) -> None:
        """Make the backend ready (load weights, check settings); a no-op by default."""

    @property
    def loaded(self) -> bool:
        return True

    def probe(self) -> str | None:
        """Check that the backend can take a call now; return why not, or None when it can."""
        return None
