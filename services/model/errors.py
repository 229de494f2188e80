"""Errors of the model client."""

from __future__ import annotations

from services.core.errors import UpstreamError


class StructuredOutputError(UpstreamError):
    """The model's replies failed validation on every allowed attempt."""

    default_code = "model.invalid_output"


class ModelRetry(Exception):  # noqa: N818  (a request to the model, not a failure of the caller)
    """Raise from a structured-output validator to send `message` back to the model and ask again."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
