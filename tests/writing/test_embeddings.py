"""The OpenAI-compatible embeddings client against a stub server, and fusion with BM25."""

import pytest

from services.core.errors import UpstreamError, UpstreamUnavailableError
from services.core.settings import Settings
from services.documents import Passage
from services.model.embeddings import OpenAICompatibleEmbeddings, build_embeddings
from services.writing.retrieval import HybridRetriever
from tests.writing.conftest import EmbeddingStub


def client_for(stub: EmbeddingStub, **overrides) -> OpenAICompatibleEmbeddings:  # type: ignore[no-untyped-def]
    arguments = {"base_url": stub.base_url, "model": "e5-small", "api_key": "secret-key", "timeout": 5.0}
    arguments.update(overrides)
    return OpenAICompatibleEmbeddings(**arguments)  # type: ignore[arg-type]


def passage(index: int, text: str) -> Passage:
    return Passage(id=f"d#p{index}", document_id="d", text=text, start=0, end=len(text))


def test_embed_documents_orders_by_index(embedding_stub: EmbeddingStub) -> None:
    vectors = client_for(embedding_stub).embed_documents(["电信电信", "个人信息"])

    assert vectors[0] == embedding_stub.vector("电信电信")
    assert vectors[1] == embedding_stub.vector("个人信息")


def test_embed_sends_model_and_key(embedding_stub: EmbeddingStub) -> None:
    client_for(embedding_stub).embed_query("消费者")

    request = embedding_stub.requests[0]
    assert request["body"]["model"] == "e5-small"  # type: ignore[index]
    assert request["authorization"] == "Bearer secret-key"


def test_embed_documents_batches(embedding_stub: EmbeddingStub) -> None:
    vectors = client_for(embedding_stub, batch_size=2).embed_documents(["a", "b", "c"])

    assert len(vectors) == 3
    assert len(embedding_stub.requests) == 2


def test_embed_server_error_raises(embedding_stub: EmbeddingStub) -> None:
    embedding_stub.fail_with = 500

    with pytest.raises(UpstreamError) as caught:
        client_for(embedding_stub).embed_query("x")

    assert caught.value.code == "model.embeddings_failed"


def test_embed_unreachable_raises() -> None:
    client = OpenAICompatibleEmbeddings(base_url="http://127.0.0.1:9/v1", model="m", timeout=1.0)

    with pytest.raises(UpstreamUnavailableError):
        client.embed_query("x")


def test_build_embeddings_disabled_by_default() -> None:
    assert build_embeddings(Settings(_env_file=None)) is None  # type: ignore[call-arg]


def test_build_embeddings_from_settings(embedding_stub: EmbeddingStub) -> None:
    settings = Settings(_env_file=None, embedding_base_url=embedding_stub.base_url, embedding_model="m")  # type: ignore[call-arg]

    embeddings = build_embeddings(settings)

    assert embeddings is not None
    assert len(embeddings.embed_query("电信")) == len(EmbeddingStub.KEYWORDS)


def test_retriever_fuses_dense_ranking(embedding_stub: EmbeddingStub) -> None:
    passages = [passage(0, "消费者权益"), passage(1, "电信 电信 电信 业务"), passage(2, "个人信息 处理")]
    retriever = HybridRetriever(passages, embeddings=client_for(embedding_stub))

    # BM25 matches passage 1 only; the dense ranking adds the other two.
    hits = retriever.search("电信 电信", 3)

    assert hits[0].id == "d#p1"
    assert len(hits) == 3
    assert retriever.uses_embeddings


def test_retriever_falls_back_to_bm25(embedding_stub: EmbeddingStub) -> None:
    embedding_stub.fail_with = 503
    passages = [passage(0, "消费者权益"), passage(1, "电信业务")]
    retriever = HybridRetriever(passages, embeddings=client_for(embedding_stub))

    hits = retriever.search("电信业务", 3)

    assert [hit.id for hit in hits] == ["d#p1"]
    assert not retriever.uses_embeddings


def test_retriever_bm25_only() -> None:
    retriever = HybridRetriever([passage(0, "消费者权益"), passage(1, "电信业务")])

    assert [hit.id for hit in retriever.search("消费者", 5)] == ["d#p0"]
