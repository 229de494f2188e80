"""Fixtures for model tests: a `ModelClient` whose openai backend talks to the stub server."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.model.backends.openai import StructuredMode, TokenLimitField, build_openai_backend
from services.model.client import ClientLimits, ModelClient
from tests.model.stub_openai_server import StubOpenAIServer

OpenAIClientFactory = Callable[..., ModelClient]

STUB_MODEL = "stub-model"


@pytest.fixture
def make_openai_client(openai_stub: StubOpenAIServer) -> OpenAIClientFactory:
    """Return a factory of model clients over the openai backend, aimed at the stub unless `base_url` is given."""

    def make(
        *,
        base_url: str | None = None,
        structured_mode: StructuredMode = "json_schema",
        token_limit_field: TokenLimitField = "max_tokens",
        max_retries: int = 2,
        timeout: float = 5.0,
    ) -> ModelClient:
        backend = build_openai_backend(
            base_url=base_url or openai_stub.base_url,
            api_key="stub-key",
            model=STUB_MODEL,
            timeout=timeout,
            max_tokens=64,
            structured_mode=structured_mode,
            token_limit_field=token_limit_field,
        )
        limits = ClientLimits(max_retries=max_retries, retry_backoff=0.0, timeout=timeout, queue_timeout=1.0)
        return ModelClient(backend, limits=limits)

    return make
