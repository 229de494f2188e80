"""The shared model client: the only code in the suite that talks to a language model."""

from services.model.client import ClientLimits, Completion, ModelClient, TextStream
from services.model.errors import ModelRetry, StructuredOutputError
from services.model.usage import Usage

__all__ = [
    "ClientLimits",
    "Completion",
    "ModelClient",
    "ModelRetry",
    "StructuredOutputError",
    "TextStream",
    "Usage",
]
