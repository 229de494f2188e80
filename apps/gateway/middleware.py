"""ASGI middleware: request ids and the declared body size limit."""

from __future__ import annotations

import logging
import time
import uuid

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.core.errors import PayloadTooLargeError
from services.core.http import problem_response, request_language
from services.core.logging import request_id_var

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "x-request-id"


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
        finally:
            logger.info(
                "%s %s -> %s in %.0f ms",
                scope["method"],
                scope["path"],
                status_holder.get("status", "-"),
                (time.perf_counter() - started) * 1000,
            )
            request_id_var.reset(token)


class DeclaredBodySizeMiddleware:
    """Return 413 as localised problem details when Content-Length already exceeds `max_bytes`.

    Bodies without a Content-Length (chunked uploads) are counted as they
    arrive by Starlette's `RequestBodyLimitMiddleware` inside this one.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = dict(scope.get("headers", [])).get(b"content-length") if scope["type"] == "http" else None
        if declared is None or not declared.isdigit() or int(declared) <= self.max_bytes:
            await self.app(scope, receive, send)
            return

        request = Request(scope, receive)
        error = PayloadTooLargeError(size=int(declared), limit=self.max_bytes, setting="XINGCHEN_MAX_UPLOAD_BYTES")
        language = request_language(request)
        logger.info("rejected a %s-byte body on %s (limit %d)", declared.decode(), scope["path"], self.max_bytes)
        response = problem_response(
            request, status=413, code=error.code, detail=error.message(language), language=language
        )
        await response(scope, receive, send)
