"""Upload forms across services: one file per field, and localised errors for bad forms and options."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ADMIN_HEADERS

EN = {**ADMIN_HEADERS, "Accept-Language": "en"}
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
# Names that may appear inside the Chinese text: form fields, formats and headers.
ALLOWED_NAMES = {
    "options",
    "file",
    "JSON",
    "multipart",
    "form",
    "data",
    "boundary",
    "Content",
    "Type",
    "HTTP",
    "MeetingOptions",
}


def _latin_words(text: str) -> set[str]:
    return set(LATIN_WORD.findall(text)) - ALLOWED_NAMES


@pytest.mark.parametrize(
    ("path", "data"),
    [("/api/v1/meetings", {}), ("/api/v1/knowledge/extract", {"category": "资费套餐"})],
    ids=["meetings", "knowledge"],
)
def test_two_files_rejected(client: TestClient, path: str, data: dict[str, str]) -> None:
    files = [("file", ("a.txt", b"first", "text/plain")), ("file", ("b.txt", b"second", "text/plain"))]

    chinese = client.post(path, data=data, files=files, headers=ADMIN_HEADERS)
    english = client.post(path, data=data, files=files, headers=EN)

    assert chinese.status_code == 422
    assert chinese.json()["code"] == "upload.one_file"
    assert "只能有一个文件，实际收到 2 个" in chinese.json()["detail"]
    assert english.status_code == 422
    assert "Send exactly one file in form field file; the request has 2." in english.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/meetings", "/api/v1/knowledge/extract", "/api/v1/writing/outline"])
def test_missing_boundary_localised(client: TestClient, path: str) -> None:
    body = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'
    headers = {"Content-Type": "multipart/form-data"}

    chinese = client.post(path, content=body, headers={**ADMIN_HEADERS, **headers})
    english = client.post(path, content=body, headers={**EN, **headers})

    assert chinese.status_code == 400
    assert chinese.json()["code"] == "multipart.invalid"
    assert "无法解析 multipart/form-data 请求体" in chinese.json()["detail"]
    assert not _latin_words(chinese.json()["detail"])
    assert "cannot be parsed" in english.json()["detail"]


@pytest.mark.parametrize(
    ("path", "data", "files"),
    [
        ("/api/v1/meetings", {"options": "{not json"}, {"file": ("a.wav", b"x", "audio/wav")}),
        ("/api/v1/knowledge/extract", {"category": "资费套餐", "options": "{not json"}, {"file": ("a.txt", b"x")}),
        ("/api/v1/writing/outline", {"title": "方案", "options": "{not json"}, {"files": ("a.txt", b"x")}),
    ],
    ids=["meetings", "knowledge", "writing"],
)
def test_options_not_json_localised(
    client: TestClient, path: str, data: dict[str, str], files: dict[str, tuple[str, ...]]
) -> None:
    chinese = client.post(path, data=data, files=files, headers=ADMIN_HEADERS)
    english = client.post(path, data=data, files=files, headers=EN)

    assert chinese.status_code == 422
    assert "options 不是有效的 JSON（第 1 行第 2 列）" in chinese.json()["detail"]
    assert not _latin_words(chinese.json()["detail"])
    assert "options is not valid JSON (line 1, column 2" in english.json()["detail"]


@pytest.mark.parametrize(
    ("path", "data", "files"),
    [
        ("/api/v1/meetings", {"options": "[1]"}, {"file": ("a.wav", b"x", "audio/wav")}),
        ("/api/v1/knowledge/extract", {"category": "资费套餐", "options": "[1]"}, {"file": ("a.txt", b"x")}),
    ],
    ids=["meetings", "knowledge"],
)
def test_options_not_object_localised(
    client: TestClient, path: str, data: dict[str, str], files: dict[str, tuple[str, ...]]
) -> None:
    chinese = client.post(path, data=data, files=files, headers=ADMIN_HEADERS)
    english = client.post(path, data=data, files=files, headers=EN)

    assert chinese.status_code == 422
    assert "options 必须是 JSON 对象" in chinese.json()["detail"]
    assert "options must be a JSON object" in english.json()["detail"]


def test_writing_invalid_json_body_localised(client: TestClient) -> None:
    headers = {"Content-Type": "application/json"}

    chinese = client.post("/api/v1/writing/outline", content=b"{bad", headers={**ADMIN_HEADERS, **headers})
    english = client.post("/api/v1/writing/outline", content=b"{bad", headers={**EN, **headers})

    assert chinese.status_code == 422
    assert "：：" not in chinese.json()["detail"]
    assert "JSON 解析失败" in chinese.json()["detail"]
    assert not _latin_words(chinese.json()["detail"])
    assert "JSON decode error" in english.json()["detail"]


def test_knowledge_bad_option_value_localised(client: TestClient) -> None:
    body = {"category": "资费套餐", "text": "悦享 128 元套餐", "options": {"temperature": "hot"}}

    chinese = client.post("/api/v1/knowledge/extract", json=body, headers=ADMIN_HEADERS)

    assert chinese.status_code == 422
    assert "options.temperature" in chinese.json()["detail"]
    assert not _latin_words(chinese.json()["detail"].replace("options.temperature", ""))
