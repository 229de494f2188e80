"""A real OpenAI-compatible HTTP server for tests, scripted per test.

`StubOpenAIServer` serves `POST /v1/chat/completions` with FastAPI under
uvicorn on a background thread bound to 127.0.0.1. Each request takes the next
queued behaviour (a `Reply` or a `Failure`), or the server's `default` when the
queue is empty, and every request body is recorded in `requests`.

`UvicornThread` runs any ASGI app the same way; the gateway tests use it to
put the gateway itself behind a real socket.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

HOST = "127.0.0.1"

# Bounds that keep a broken test from hanging the session.
STARTUP_TIMEOUT = 10.0
SHUTDOWN_TIMEOUT = 10.0
MAX_DELAY = 10.0

# OpenAI's `error.type` for each status the stub is asked to return.
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}


@dataclass(frozen=True)
class Reply:
    """A successful completion: `text`, streamed in pieces of `chunk_size` characters."""

    text: str = "stub reply"
    prompt_tokens: int = 12
    completion_tokens: int = 5
    finish_reason: str = "stop"
    chunk_size: int = 4
    # Seconds to wait before the response headers are sent.
    delay: float = 0.0

    def pieces(self) -> list[str]:
        return [self.text[start : start + self.chunk_size] for start in range(0, len(self.text), self.chunk_size)]


@dataclass(frozen=True)
class Failure:
    """An HTTP error with an OpenAI-style `{"error": {...}}` body."""

    status: int = 500
    message: str = "stub server error"
    # Seconds to wait before the response is sent.
    delay: float = 0.0

    def body(self) -> dict[str, Any]:
        error_type = _ERROR_TYPES.get(self.status, "server_error")
        return {"error": {"message": self.message, "type": error_type, "param": None, "code": None}}


Behaviour = Reply | Failure


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on right now.

    NOTE: another process may take the port between this call and its use.
    Tests accept that race for a port that must stay closed or be bound later.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class UvicornThread:
    """Serve an ASGI app with uvicorn on a daemon thread, on 127.0.0.1.

    The socket is bound in `start()` before the thread runs, so `port` is known
    and a port in use fails there. `stop()` sets uvicorn's `should_exit` and joins
    the thread. Requests still running after `graceful_timeout` seconds are cancelled.
    """

    def __init__(self, app: Any, *, port: int = 0, lifespan: str = "off", graceful_timeout: int = 1) -> None:
        self._requested_port = port
        self._config = uvicorn.Config(
            app,
            lifespan=lifespan,  # type: ignore[arg-type]
            log_level="warning",
            access_log=False,
            timeout_graceful_shutdown=graceful_timeout,
        )
        self._server = uvicorn.Server(self._config)
        self._thread: threading.Thread | None = None
        self.port = port

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, self._requested_port))
        except OSError:
            sock.close()
            raise
        self.port = int(sock.getsockname()[1])

        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name=f"uvicorn-{self.port}", daemon=True
        )
        self._thread.start()

        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"test server on port {self.port} exited during start-up")
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"test server on port {self.port} did not start within {STARTUP_TIMEOUT} s")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(SHUTDOWN_TIMEOUT)
        if self._thread.is_alive():
            # A second request to exit skips waiting for open connections.
            self._server.force_exit = True
            self._thread.join(SHUTDOWN_TIMEOUT)
        alive = self._thread.is_alive()
        self._thread = None
        if alive:
            raise RuntimeError(f"test server on port {self.port} did not stop within {2 * SHUTDOWN_TIMEOUT} s")

    def __enter__(self) -> UvicornThread:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


class StubOpenAIServer:
    """A scripted OpenAI chat completions server.

    `queue(...)` adds behaviours that requests consume in order, and `default`
    is used once the queue is empty. `requests` contains every request body
    received, including those that got an error response. `GET /v1/models`
    lists `served_models`.
    """

    def __init__(
        self, *, port: int = 0, default: Behaviour | None = None, served_models: tuple[str, ...] = ("stub-model",)
    ) -> None:
        self.default: Behaviour = default or Reply()
        self.served_models = served_models
        self._queue: deque[Behaviour] = deque()
        self._requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = UvicornThread(self._build_app(), port=port)

    # --- scripting ------------------------------------------------------------

    def queue(self, *behaviours: Behaviour) -> None:
        with self._lock:
            self._queue.extend(behaviours)

    @property
    def requests(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._requests)

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self._requests.clear()

    # --- lifecycle ------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def base_url(self) -> str:
        """The URL an OpenAI client takes as `base_url`, ending in `/v1`."""
        return f"{self._server.base_url}/v1"

    def start(self) -> None:
        self._server.start()

    def stop(self) -> None:
        # Delayed requests wake up now instead of holding the shutdown.
        self._stopping.set()
        self._server.stop()

    def __enter__(self) -> StubOpenAIServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()

    # --- serving --------------------------------------------------------------

    def _next_behaviour(self, body: dict[str, Any]) -> Behaviour:
        with self._lock:
            self._requests.append(body)
            return self._queue.popleft() if self._queue else self.default

    async def _wait(self, seconds: float) -> None:
        deadline = time.monotonic() + min(seconds, MAX_DELAY)
        while time.monotonic() < deadline and not self._stopping.is_set():
            await asyncio.sleep(min(0.02, max(0.0, deadline - time.monotonic())))

    def _build_app(self) -> FastAPI:
        app = FastAPI(title="stub OpenAI server")

        @app.get("/v1/models")
        async def list_models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": name, "object": "model"} for name in self.served_models]}

        @app.post("/v1/chat/completions")
        async def chat_completions(request: Request) -> Response:
            try:
                body = await request.json()
            except json.JSONDecodeError:
                return JSONResponse(Failure(400, "request body is not JSON").body(), status_code=400)
            if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
                return JSONResponse(Failure(400, "`messages` must be a list").body(), status_code=400)

            behaviour = self._next_behaviour(body)
            await self._wait(behaviour.delay)

            if isinstance(behaviour, Failure):
                return JSONResponse(behaviour.body(), status_code=behaviour.status)
            if body.get("stream"):
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                return StreamingResponse(
                    _stream_events(behaviour, str(body.get("model", "")), include_usage),
                    media_type="text/event-stream",
                )
            return JSONResponse(_completion(behaviour, str(body.get("model", ""))))

        return app


def _usage(reply: Reply) -> dict[str, int]:
    return {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }


def _completion(reply: Reply, model: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-stub-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text},
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": _usage(reply),
    }


async def _stream_events(reply: Reply, model: str, include_usage: bool) -> AsyncIterator[str]:
    completion_id = f"chatcmpl-stub-{uuid.uuid4().hex[:12]}"
    created = int(time.time())

    def event(choices: list[dict[str, Any]], **extra: Any) -> str:
        payload = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": choices,
            **extra,
        }
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    yield event([{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}])
    for piece in reply.pieces():
        yield event([{"index": 0, "delta": {"content": piece}, "finish_reason": None}])
    yield event([{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}])
    if include_usage:
        yield event([], usage=_usage(reply))
    yield "data: [DONE]\n\n"
