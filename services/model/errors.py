"""Errors of the model client."""

from __future__ import annotations

from typing import Any, ClassVar

from services.core.errors import UpstreamError
from services.core.i18n import DEFAULT_LANGUAGE, Language, translate

# Why a structured reply was rejected: a message code of `services.model.messages`.
REASON_NO_JSON = "model.reason.no_json"
REASON_INVALID_JSON = "model.reason.invalid_json"
REASON_SCHEMA = "model.reason.schema"
REASON_CHECK = "model.reason.check"


class StructuredOutputError(UpstreamError):
    """A remote model server's replies failed validation on every allowed attempt.

    The last rejection reason is kept as a message code (`reason`) with its
    parameters, so the message is rendered fully in the caller's language.
    """

    default_code = "model.invalid_output"
    title_code: ClassVar[str | None] = "title.model_invalid_output"

    def __init__(
        self, code: str | None = None, /, *, attempts: int, reason: str, reason_params: dict[str, Any] | None = None
    ) -> None:
        self.reason_params = reason_params or {}
        super().__init__(code, attempts=attempts, reason=reason)

    def message(self, language: Language = DEFAULT_LANGUAGE) -> str:
        separator = "、" if language == "zh" else ", "
        params = {
            name: separator.join(value) if isinstance(value, list) else value
            for name, value in self.reason_params.items()
        }
        reason = translate(str(self.params["reason"]), language, **params)
        return translate(self.code, language, attempts=self.params["attempts"], reason=reason)


class EmbeddedStructuredOutputError(StructuredOutputError):
    """The in-process model's replies failed validation: a failure inside the service, not upstream."""

    status = 500


class ModelRetry(Exception):  # noqa: N818  (a request to the model, not a failure of the caller)
    """Raise from a structured-output validator to send `message` back to the model and ask again."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
