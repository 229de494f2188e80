"""Passage retrieval for a section: BM25 over jieba tokens, fused with embeddings when configured."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

from langchain_core.embeddings import Embeddings

from services.core.errors import UpstreamError
from services.documents import Passage, PassageIndex

logger = logging.getLogger(__name__)


class HybridRetriever:
    """Rank passages by BM25 and, with an embeddings client, by cosine similarity too.

    The two rankings are combined by reciprocal rank fusion: a passage scores
    the sum of 1 / (k + rank) over the rankings it appears in. When the
    embeddings server fails, retrieval logs a warning and continues with BM25.
    """

    def __init__(self, passages: Sequence[Passage], *, embeddings: Embeddings | None = None, rrf_k: int = 60) -> None:
        self.passages = list(passages)
        self._by_id = {passage.id: passage for passage in self.passages}
        self._index = PassageIndex(self.passages)
        self._embeddings = embeddings
        self._vectors: list[list[float]] | None = None
        self.rrf_k = rrf_k

    def get(self, passage_id: str) -> Passage | None:
        return self._by_id.get(passage_id)

    @property
    def uses_embeddings(self) -> bool:
        return self._embeddings is not None

    def search(self, query: str, k: int) -> list[Passage]:
        """Return up to `k` passages for `query`, best first."""
        if not self.passages:
            return []
        depth = max(k * 4, 20)
        bm25_ranking = [hit.passage.id for hit in self._index.search(query, depth)]
        rankings = [bm25_ranking]

        dense_ranking = self._dense_ranking(query, depth)
        if dense_ranking:
            rankings.append(dense_ranking)

        scores: dict[str, float] = {}
        for ranking in rankings:
            for rank, passage_id in enumerate(ranking, start=1):
                scores[passage_id] = scores.get(passage_id, 0.0) + 1.0 / (self.rrf_k + rank)
        ordered = sorted(scores, key=lambda passage_id: -scores[passage_id])
        return [self._by_id[passage_id] for passage_id in ordered[:k]]

    def _dense_ranking(self, query: str, depth: int) -> list[str]:
        if self._embeddings is None:
            return []
        try:
            if self._vectors is None:
                self._vectors = self._embeddings.embed_documents([_embedding_text(p) for p in self.passages])
            query_vector = self._embeddings.embed_query(query)
        except UpstreamError as exc:
            logger.warning("embeddings failed (%s); retrieving with BM25 only", exc.code)
            self._embeddings = None
            return []

        similarities = [_cosine(query_vector, vector) for vector in self._vectors]
        ranked = sorted(range(len(self.passages)), key=lambda index: -similarities[index])
        return [self.passages[index].id for index in ranked[:depth]]


def _embedding_text(passage: Passage) -> str:
    return " ".join([*passage.heading_path, passage.text])


def _cosine(left: Sequence[float], right: Sequence[float]) -> float:
    dot = sum(a * b for a, b in zip(left, right, strict=False))
    norm = math.sqrt(sum(a * a for a in left)) * math.sqrt(sum(b * b for b in right))
    return dot / norm if norm else 0.0
