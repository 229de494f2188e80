"""Fixtures of the writing tests: reference texts, loaded references and an embeddings stub server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from services.documents import DocumentOptions
from services.writing.references import LoadedReference, ReferenceSource, load_references
from tests.conftest import TEST_DATA
from tests.model.stub_openai_server import UvicornThread

WRITING_DATA = TEST_DATA / "writing"
PIPL_PATH = WRITING_DATA / "个人信息保护法(2021-08-20).md"
CONSUMER_PATH = WRITING_DATA / "消费者权益保护法(2013-10-25).md"
TELECOM_PATH = TEST_DATA / "documents" / "电信条例(2016-02-06).md"
OCEANGATE_PATH = WRITING_DATA / "OceanGate.md"

WRITING_DOCUMENT_OPTIONS = DocumentOptions(chunk_max_chars=400, chunk_overlap_chars=60)


def load(*paths: Path, structure: Path | None = None) -> list[LoadedReference]:
    """Load reference files the way the service does; `structure` is marked as the structure model."""
    sources = [ReferenceSource.from_path(path, structure_model=path == structure) for path in paths]
    return load_references(sources, options=WRITING_DOCUMENT_OPTIONS, max_references=10)


def plan_reply(*sections: tuple[int, str, str]) -> str:
    """A JSON outline plan as the model would return it."""
    return json.dumps(
        {"sections": [{"level": level, "heading": heading, "note": note} for level, heading, note in sections]},
        ensure_ascii=False,
    )


def mapped_reply(*headings: str) -> str:
    """A structure-mapping reply: one `section_<n>` object per heading."""
    return json.dumps(
        {f"section_{index}": {"heading": heading, "note": "note"} for index, heading in enumerate(headings, start=1)},
        ensure_ascii=False,
    )


@pytest.fixture
def pipl_reference() -> list[LoadedReference]:
    return load(PIPL_PATH)


class EmbeddingStub:
    """A `/v1/embeddings` server on 127.0.0.1 whose vectors count a few keywords in each input."""

    KEYWORDS = ("个人信息", "消费者", "电信", "Titan")

    def __init__(self) -> None:
        self.requests: list[dict[str, object]] = []
        self.fail_with: int | None = None
        app = FastAPI()

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> JSONResponse:
            body = await request.json()
            self.requests.append({"body": body, "authorization": request.headers.get("authorization")})
            if self.fail_with is not None:
                return JSONResponse({"error": {"message": "stub failure"}}, status_code=self.fail_with)
            data = [
                {"object": "embedding", "index": index, "embedding": self.vector(text)}
                for index, text in enumerate(body["input"])
            ]
            # Reversed on purpose: clients must order vectors by `index`.
            return JSONResponse({"object": "list", "data": list(reversed(data)), "model": body["model"]})

        self.server = UvicornThread(app)

    def vector(self, text: str) -> list[float]:
        return [float(text.count(keyword)) + 0.01 for keyword in self.KEYWORDS]

    @property
    def base_url(self) -> str:
        return f"{self.server.base_url}/v1"


@pytest.fixture
def embedding_stub() -> Iterator[EmbeddingStub]:
    """The embeddings stub server, started for one test and stopped after it."""
    stub = EmbeddingStub()
    stub.server.start()
    try:
        yield stub
    finally:
        stub.server.stop()
