"""The suite's error tree.

Three kinds of failure are kept apart, because callers react to each
differently:

- `CallerError` (4xx): the request is wrong; repeating it unchanged fails again.
- `UpstreamError` (502/503/504): a model server, database or decoder failed.
- `RetryableError` (503 with Retry-After): a transient condition; the same
  request may succeed later.

Each error carries a message code from the localised catalogue
(`services.core.i18n`) and the parameters that fill it, so the gateway renders
it in the caller's language as RFC 9457 problem details.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from services.core.i18n import DEFAULT_LANGUAGE, Language, translate


@dataclass(frozen=True)
class Localised:
    """A message parameter that has its own text in each language (a file kind, a reason)."""

    zh: str
    en: str

    def text(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en


class XingchenError(Exception):
    """Root of every error that the suite raises on purpose."""

    status: ClassVar[int] = 500
    default_code: ClassVar[str] = "internal_error"
    # Message code of the problem title; None uses the generic title of `status`.
    title_code: ClassVar[str | None] = None

    def __init__(self, code: str | None = None, /, **params: Any) -> None:
        self.code = code or self.default_code
        self.params = params
        super().__init__(self.message(DEFAULT_LANGUAGE))

    def message(self, language: Language = DEFAULT_LANGUAGE) -> str:
        params = {
            name: value.text(language) if isinstance(value, Localised) else value for name, value in self.params.items()
        }
        return translate(self.code, language, **params)

    def headers(self) -> dict[str, str]:
        return {}


class CallerError(XingchenError):
    """The request is invalid; the caller must change it."""

    status = 400
    default_code = "bad_request"


class AuthenticationError(CallerError):
    status = 401
    default_code = "auth.missing_key"

    def headers(self) -> dict[str, str]:
        return {"WWW-Authenticate": "Bearer"}


class PermissionDeniedError(CallerError):
    status = 403
    default_code = "auth.forbidden"


class NotFoundError(CallerError):
    status = 404
    default_code = "not_found"


class ConflictError(CallerError):
    status = 409
    default_code = "conflict"


class PayloadTooLargeError(CallerError):
    status = 413
    default_code = "payload_too_large"


class UnsupportedMediaTypeError(CallerError):
    status = 415
    default_code = "unsupported_media_type"


class InvalidInputError(CallerError):
    """Well-formed request whose content cannot be processed (corrupt file, bad value)."""

    status = 422
    default_code = "invalid_input"


class RateLimitedError(CallerError):
    status = 429
    default_code = "rate_limited"

    def __init__(self, code: str | None = None, /, retry_after: int = 1, **params: Any) -> None:
        self.retry_after = retry_after
        super().__init__(code, retry_after=retry_after, **params)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class UpstreamError(XingchenError):
    """A component the suite depends on (model server, database, decoder) failed."""

    status = 502
    default_code = "upstream.failed"


class UpstreamUnavailableError(UpstreamError):
    status = 503
    default_code = "upstream.unavailable"


class UpstreamTimeoutError(UpstreamError):
    status = 504
    default_code = "upstream.timeout"


class RetryableError(XingchenError):
    """A transient condition: the same request may succeed after `retry_after` seconds."""

    status = 503
    default_code = "retryable"

    def __init__(self, code: str | None = None, /, retry_after: int = 5, **params: Any) -> None:
        self.retry_after = retry_after
        super().__init__(code, retry_after=retry_after, **params)

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class ConfigurationError(XingchenError):
    """The deployment is misconfigured (missing model, bad setting); an operator must fix it."""

    status = 500
    default_code = "config.invalid"
