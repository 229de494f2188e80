import io

import pytest
from docx import Document as WordDocument
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from services.core.models import ApiKeyRecord, JobRecord
from tests.conftest import ADMIN_HEADERS


def make_docx() -> bytes:
    word = WordDocument()
    word.add_heading("第一章 总则", level=1)
    word.add_paragraph("为了规范电信市场秩序，制定本条例。")
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def stored_rows(client: TestClient) -> tuple[int, int]:
    with client.app.state.gateway.database.session() as session:  # type: ignore[attr-defined]
        keys = session.scalar(select(func.count()).select_from(ApiKeyRecord))
        jobs = session.scalar(select(func.count()).select_from(JobRecord))
    return int(keys or 0), int(jobs or 0)


def test_parse_docx_returns_blocks_and_headings(client: TestClient) -> None:
    files = {"file": ("条例.docx", make_docx(), "application/octet-stream")}

    response = client.post("/api/v1/documents/parse", files=files, headers=ADMIN_HEADERS)

    body = response.json()
    assert response.status_code == 200
    assert body["headings"][0]["title"] == "第一章 总则"
    for block in body["blocks"]:
        assert body["text"][block["start"] : block["end"]] == block["text"]


@pytest.mark.parametrize(
    ("language", "phrase"),
    [("zh-CN", "损坏.docx"), ("en", "损坏.docx")],
)
def test_parse_corrupt_docx_localised_422(client: TestClient, language: str, phrase: str) -> None:
    client.app.state.gateway.keys.create("existing", ["writing"])  # type: ignore[attr-defined]
    before = stored_rows(client)
    files = {"file": ("损坏.docx", b"PK\x03\x04 this is not a zip archive", "application/octet-stream")}

    response = client.post(
        "/api/v1/documents/parse", files=files, headers={**ADMIN_HEADERS, "Accept-Language": language}
    )

    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert phrase in response.json()["detail"]
    assert response.json()["code"].startswith("documents.")
    assert stored_rows(client) == before


def test_parse_corrupt_docx_message_language(client: TestClient) -> None:
    files = {"file": ("bad.docx", b"garbage bytes", "application/octet-stream")}

    chinese = client.post("/api/v1/documents/parse", files=files, headers=ADMIN_HEADERS).json()["detail"]
    english = client.post(
        "/api/v1/documents/parse", files=files, headers={**ADMIN_HEADERS, "Accept-Language": "en"}
    ).json()["detail"]

    assert chinese != english
    assert any("\u4e00" <= character <= "\u9fff" for character in chinese)
    assert not any("\u4e00" <= character <= "\u9fff" for character in english.replace("bad.docx", ""))


def test_parse_unsupported_type_415(client: TestClient) -> None:
    files = {"file": ("table.xlsx", b"PK\x03\x04", "application/octet-stream")}

    response = client.post("/api/v1/documents/parse", files=files, headers=ADMIN_HEADERS)

    assert response.status_code == 415


def test_parse_requires_key(client: TestClient) -> None:
    files = {"file": ("a.txt", "你好".encode(), "text/plain")}

    assert client.post("/api/v1/documents/parse", files=files).status_code == 401
