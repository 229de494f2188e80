"""BM25 keyword search over passages, with jieba word segmentation for Chinese."""

from __future__ import annotations

import logging
import math
import unicodedata
from collections.abc import Sequence

import jieba
from rank_bm25 import BM25Okapi

from services.documents.models import Passage, ScoredPassage

logger = logging.getLogger(__name__)

# jieba logs the loading of its dictionary at DEBUG level to its own handler on stderr.
jieba.setLogLevel(logging.WARNING)

# Function words that carry no topic in queries or text.
STOP_WORDS = frozenset(
    {
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "对",
        "为",
        "把",
        "被",
        "由",
        "吗",
        "呢",
        "吧",
        "啊",
        "请问",
        "什么",
        "怎么",
        "如何",
        "哪些",
        "哪个",
        "是否",
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "for",
        "is",
        "are",
        "be",
        "what",
        "how",
        "which",
        "does",
        "do",
    }
)


def tokenize(text: str) -> list[str]:
    """Segment `text` into lower-cased search tokens, without punctuation, whitespace or stop words.

    Chinese is cut with `jieba.lcut_for_search`, which also emits the shorter
    words inside a long one, so "电信业务经营许可证" matches a query for "许可证".
    """
    tokens: list[str] = []
    for token in jieba.lcut_for_search(text.lower()):
        token = token.strip()
        if not token or token in STOP_WORDS or not any(_is_word_character(char) for char in token):
            continue
        tokens.append(token)
    return tokens


def _is_word_character(char: str) -> bool:
    # Unicode letters (L*) and numbers (N*), which include CJK ideographs.
    return unicodedata.category(char)[0] in "LN"


class _NonNegativeIdfBM25(BM25Okapi):
    """Okapi BM25 with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)), which is always positive.

    rank-bm25 0.2.2 computes log((N - n + 0.5) / (n + 0.5)), which is negative
    for a term in more than half of the passages, and raises such values to a
    fraction of the average idf. In an index of one or two passages that average
    is 0 or negative, so no passage would ever score above 0.
    """

    def _calc_idf(self, nd: dict[str, int]) -> None:
        for word, document_frequency in nd.items():
            ratio = (self.corpus_size - document_frequency + 0.5) / (document_frequency + 0.5)
            self.idf[word] = math.log1p(ratio)
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


class PassageIndex:
    """An in-memory BM25 index of passages (rank-bm25's `BM25Okapi`, with a non-negative idf).

    Each passage is indexed with its heading path, so a query that names a
    chapter or section also finds the passages under it.
    """

    def __init__(self, passages: Sequence[Passage]) -> None:
        self._passages = list(passages)
        corpus = [tokenize(" ".join([*passage.heading_path, passage.text])) for passage in self._passages]
        # BM25Okapi divides by the average passage length, so a corpus without
        # any token cannot be scored and is treated as empty.
        self._bm25 = _NonNegativeIdfBM25(corpus) if any(corpus) else None
        logger.debug("indexed %d passages", len(self._passages))

    def __len__(self) -> int:
        return len(self._passages)

    def search(self, query: str, k: int = 5) -> list[ScoredPassage]:
        """Return up to `k` passages that share words with `query`, best first.

        An empty index, or a query without words, returns an empty list.
        Passages with equal scores keep their index order.
        """
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        query_tokens = tokenize(query)
        if self._bm25 is None or not query_tokens:
            return []

        scores = self._bm25.get_scores(query_tokens)
        ranked = sorted(range(len(self._passages)), key=lambda index: (-scores[index], index))
        return [
            ScoredPassage(passage=self._passages[index], score=float(scores[index]))
            for index in ranked[:k]
            if scores[index] > 0
        ]
