"""ASGI middleware: request ids and request body size limits, per route where one is set."""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

from starlette.middleware.body_limit import RequestBodyLimitMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.errors import PayloadTooLargeError
from services.core.http import (
    BODY_LIMIT_SETTING_SCOPE_KEY,
    REQUEST_ID_HEADER,
    REQUEST_ID_SCOPE_KEY,
    problem_response,
    request_language,
)
from services.core.logging import request_id_var

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BodyLimit:
    """A request body limit and the environment variable that sets it."""

    max_bytes: int
    setting: str


@dataclass(frozen=True)
class BodyLimits:
    """The body limit of every request: `default`, or the one of its exact (method, path) in `routes`."""

    default: BodyLimit
    routes: dict[tuple[str, str], BodyLimit] = field(default_factory=dict)

    def for_scope(self, scope: Scope) -> BodyLimit:
        path = scope["path"].rstrip("/") or "/"
        return self.routes.get((scope["method"], path), self.default)


class RequestIdMiddleware:
    """Take the caller's X-Request-ID (or make one), log the request, and echo the id back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        incoming = dict(scope["headers"]).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        request_id = incoming[:64] if incoming else uuid.uuid4().hex[:16]
        token = request_id_var.set(request_id)
        scope[REQUEST_ID_SCOPE_KEY] = request_id
        started = time.perf_counter()
        status_holder: dict[str, int] = {}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.encode(), request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Starlette's outermost middleware sends the 500 after this one has returned.
            status_holder.setdefault("status", 500)
            raise
        finally:
            logger.info(
                "%s %s -> %s in %.0f ms",
                scope["method"],
                scope["path"],
                status_holder.get("status", "-"),
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)


class BodySizeLimitMiddleware:
    """Enforce the route's request body limit, with 413 as localised problem details.

    A Content-Length above the limit is rejected before any byte is read.
    Other bodies (chunked uploads) are counted as they arrive by Starlette's
    `RequestBodyLimitMiddleware`, whose 413 `HTTPException` the error handler
    turns into the same message, naming the setting stored under
    `BODY_LIMIT_SETTING_SCOPE_KEY`.
    """

    def __init__(self, app: ASGIApp, *, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_scope(scope)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is None or not declared.isdigit() or int(declared) <= limit.max_bytes:
            scope[BODY_LIMIT_SETTING_SCOPE_KEY] = limit.setting
            await RequestBodyLimitMiddleware(self.app, max_body_size=limit.max_bytes)(scope, receive, send)
            return

        request = Request(scope, receive)
        error = PayloadTooLargeError(size=int(declared), limit=limit.max_bytes, setting=limit.setting)
        language = request_language(request)
        logger.info("rejected a %s-byte body on %s (limit %d)", declared.decode(), scope["path"], limit.max_bytes)
        response = problem_response(
            request, status=413, code=error.code, detail=error.message(language), language=language
        )
        await response(scope, receive, send)
