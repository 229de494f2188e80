"""REST routes of the writing service through the gateway, with the fake model."""

import io
import json
import time

import docx
import pytest
from docx.oxml.ns import qn
from fastapi.testclient import TestClient

from apps.gateway.app import create_app
from services.core.apikeys import ApiKeyStore
from services.core.settings import Settings
from services.documents import load_document
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.conftest import ADMIN_HEADERS
from tests.writing.conftest import OCEANGATE_PATH, PIPL_PATH, EmbeddingStub, mapped_reply, plan_reply

BASE = "/api/v1/writing"
EN_HEADERS = {**ADMIN_HEADERS, "Accept-Language": "en"}


def sse_events(text: str) -> list[tuple[str, dict]]:  # type: ignore[type-arg]
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        lines = [line for line in block.split("\n") if line and not line.startswith(":")]
        name = next((line[len("event: ") :] for line in lines if line.startswith("event: ")), None)
        data = next((line[len("data: ") :] for line in lines if line.startswith("data: ")), None)
        if name and data:
            events.append((name, json.loads(data)))
    return events


def create_outline(client: TestClient, fake_chat: FakeChatModel) -> dict:  # type: ignore[type-arg]
    fake_chat.queue(plan_reply((1, "告知同意", "同意规则"), (1, "敏感个人信息", "处理规则")))
    response = client.post(
        f"{BASE}/outline",
        headers=ADMIN_HEADERS,
        json={
            "title": "电信用户个人信息保护工作方案",
            "document_type": "方案",
            "references": [{"filename": PIPL_PATH.name, "text": PIPL_PATH.read_text(encoding="utf-8")}],
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def wait_for_job(client: TestClient, job_id: str) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=ADMIN_HEADERS).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def test_outline_json_created(client: TestClient, fake_chat: FakeChatModel) -> None:
    outline = create_outline(client, fake_chat)

    assert outline["document_type"] == "plan"
    assert [section["heading"] for section in outline["sections"]] == ["告知同意", "敏感个人信息"]
    assert outline["sections"][0]["passage_ids"]


def test_outline_multipart_structure_model(client: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(mapped_reply("Background", "History", "a", "b", "c", "d", "Submersibles", "e"))

    response = client.post(
        f"{BASE}/outline",
        headers=ADMIN_HEADERS,
        data={
            "title": "Blue Origin",
            "language": "en",
            "structure_model": "OceanGate.md",
            "options": '{"max_sections": 8}',
        },
        files=[("files", ("OceanGate.md", OCEANGATE_PATH.read_bytes(), "text/markdown"))],
    )

    assert response.status_code == 201, response.text
    assert response.json()["structure_source"] == "OceanGate.md"
    assert response.json()["sections"][1]["children"][0]["level"] == 2


def test_outline_corrupt_reference_named(client: TestClient) -> None:
    response = client.post(
        f"{BASE}/outline",
        headers=EN_HEADERS,
        data={"title": "方案"},
        files=[("files", ("broken.docx", b"not a zip at all", "application/octet-stream"))],
    )

    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "broken.docx" in response.json()["detail"]


def test_outline_unknown_structure_model(client: TestClient) -> None:
    response = client.post(
        f"{BASE}/outline",
        headers=ADMIN_HEADERS,
        data={"title": "方案", "structure_model": "missing.md"},
        files=[("files", ("a.md", "# 标题\n\n正文".encode(), "text/markdown"))],
    )

    assert response.status_code == 422
    assert "missing.md" in response.json()["detail"]


def test_outline_wrong_type_rejected(client: TestClient) -> None:
    response = client.post(f"{BASE}/outline", headers=ADMIN_HEADERS, content=b"title=x", params={"lang": "en"})

    assert response.status_code == 415


def test_outline_invalid_document_type(client: TestClient) -> None:
    response = client.post(f"{BASE}/outline", headers=ADMIN_HEADERS, json={"title": "t", "document_type": "诗歌"})

    assert response.status_code == 422
    assert response.json()["code"] == "writing.invalid_request_body"


def test_put_outline_used_by_draft(client: TestClient, fake_chat: FakeChatModel) -> None:
    outline = create_outline(client, fake_chat)
    edited = {"sections": [{"heading": "自查整改", "note": "开展自查"}]}

    put = client.put(f"{BASE}/outline/{outline['id']}", headers=ADMIN_HEADERS, json=edited)
    fake_chat.queue("开展自查整改[1]。")
    stream = client.post(f"{BASE}/draft/stream", headers=ADMIN_HEADERS, json={"outline_id": outline["id"]})

    assert put.status_code == 200
    events = sse_events(stream.text)
    done = events[-1][1]
    assert events[-1][0] == "done"
    assert [section["heading"] for section in done["sections"]] == ["自查整改"]
    assert done["outline_version"] == 2


def test_put_outline_empty_localised(client: TestClient, fake_chat: FakeChatModel) -> None:
    outline = create_outline(client, fake_chat)

    zh = client.put(f"{BASE}/outline/{outline['id']}", headers=ADMIN_HEADERS, json={"sections": []})
    en = client.put(f"{BASE}/outline/{outline['id']}", headers=EN_HEADERS, json={"sections": []})
    kept = client.get(f"{BASE}/outline/{outline['id']}", headers=ADMIN_HEADERS)

    assert zh.status_code == 422
    assert "没有任何章节" in zh.json()["detail"]
    assert "has no sections" in en.json()["detail"]
    assert len(kept.json()["sections"]) == 2


def test_draft_job_and_export(client: TestClient, fake_chat: FakeChatModel) -> None:
    outline = create_outline(client, fake_chat)
    fake_chat.queue("应当取得个人同意[1]。", "敏感个人信息需要单独同意[2][99]。")

    accepted = client.post(f"{BASE}/draft", headers=ADMIN_HEADERS, json={"outline_id": outline["id"]})
    job = wait_for_job(client, accepted.json()["job_id"])
    document_id = job["result"]["document_id"]
    markdown = client.get(f"{BASE}/documents/{document_id}", headers=ADMIN_HEADERS)
    as_json = client.get(f"{BASE}/documents/{document_id}", headers=ADMIN_HEADERS, params={"format": "json"}).json()

    assert accepted.status_code == 202
    assert job["status"] == "succeeded"
    assert "## 告知同意" in markdown.text
    assert "[99]" not in markdown.text
    assert as_json["sections"][1]["removed_markers"] == ["[99]"]
    assert {citation["passage_id"].split("#")[0] for citation in as_json["citations"]} == {
        outline["sections"][0]["passage_ids"][0].split("#")[0]
    }


def test_draft_job_reports_progress(client: TestClient, fake_chat: FakeChatModel) -> None:
    outline = create_outline(client, fake_chat)
    fake_chat.queue("甲。", "乙。")

    accepted = client.post(f"{BASE}/draft", headers=ADMIN_HEADERS, json={"outline_id": outline["id"]})
    job = wait_for_job(client, accepted.json()["job_id"])
    events = client.get(accepted.json()["events_url"], headers=ADMIN_HEADERS)

    assert job["result"]["sections"] == 2
    assert sse_events(events.text)[-1][1]["status"] == "succeeded"


def test_document_docx_official(client: TestClient, fake_chat: FakeChatModel) -> None:
    outline = create_outline(client, fake_chat)
    fake_chat.queue("正文一[1]。", "正文二。")
    stream = client.post(f"{BASE}/draft/stream", headers=ADMIN_HEADERS, json={"outline_id": outline["id"]})
    document_id = sse_events(stream.text)[-1][1]["document_id"]

    response = client.get(
        f"{BASE}/documents/{document_id}", headers=ADMIN_HEADERS, params={"format": "docx", "layout": "official"}
    )

    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    assert document.paragraphs[1].text == "一、告知同意"
    assert document.paragraphs[2].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_draft_unknown_outline_404(client: TestClient) -> None:
    response = client.post(f"{BASE}/draft", headers=EN_HEADERS, json={"outline_id": "nope"})

    assert response.status_code == 404
    assert "POST /api/v1/writing/outline" in response.json()["detail"]


def test_document_unknown_404(client: TestClient) -> None:
    assert client.get(f"{BASE}/documents/nope", headers=ADMIN_HEADERS).status_code == 404


@pytest.mark.parametrize("operation", ["expand", "continue", "rewrite", "polish", "shorten"])
def test_edit_streams_replacement(client: TestClient, fake_chat: FakeChatModel, operation: str) -> None:
    fake_chat.queue("依法保护用户个人信息安全。")

    response = client.post(
        f"{BASE}/edit/{operation}",
        headers=ADMIN_HEADERS,
        json={"selection": "要保护好用户信息。", "before": "前文。", "after": "后文。", "style": "正式"},
    )

    events = sse_events(response.text)
    assert response.headers["content-type"].startswith("text/event-stream")
    assert events[0][0] == "delta"
    assert events[-1][0] == "done"
    assert events[-1][1]["original"] == "要保护好用户信息。"
    assert events[-1][1]["replacement"].endswith("依法保护用户个人信息安全。")


def test_edit_json_mode(client: TestClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("精简后的文字。")

    response = client.post(
        f"{BASE}/edit/shorten", headers=ADMIN_HEADERS, params={"stream": "false"}, json={"selection": "很长的文字。"}
    )

    assert response.json()["replacement"] == "精简后的文字。"


def test_edit_empty_selection_localised(client: TestClient) -> None:
    zh = client.post(f"{BASE}/edit/polish", headers=ADMIN_HEADERS, json={"selection": " "})
    en = client.post(f"{BASE}/edit/polish", headers=EN_HEADERS, json={"selection": ""})

    assert zh.status_code == 422
    assert "选中的文字为空" in zh.json()["detail"]
    assert "The selection is empty" in en.json()["detail"]


def test_edit_unknown_operation(client: TestClient) -> None:
    response = client.post(f"{BASE}/edit/translate", headers=ADMIN_HEADERS, json={"selection": "文字"})

    assert response.status_code == 422
    assert response.json()["code"] == "writing.unknown_operation"


def test_edit_model_failure_event(client: TestClient, fake_chat: FakeChatModel) -> None:
    from services.core.errors import UpstreamError

    fake_chat.queue(UpstreamError("model.failed", target="fake", reason="boom"))

    response = client.post(f"{BASE}/edit/polish", headers=ADMIN_HEADERS, json={"selection": "文字。"})

    assert sse_events(response.text)[-1][0] == "error"


def test_writing_requires_key(client: TestClient) -> None:
    assert client.post(f"{BASE}/edit/polish", json={"selection": "x"}).status_code == 401


def test_embeddings_backend_used_when_configured(
    settings: Settings, fake_model: ModelClient, fake_chat: FakeChatModel, embedding_stub: EmbeddingStub
) -> None:
    configured = settings.model_copy(update={"embedding_base_url": embedding_stub.base_url, "embedding_model": "e5"})
    with TestClient(create_app(configured, model=fake_model)) as client:
        outline = create_outline(client, fake_chat)
        fake_chat.queue("同意[1]。", "敏感[1]。")
        stream = client.post(f"{BASE}/draft/stream", headers=ADMIN_HEADERS, json={"outline_id": outline["id"]})

    assert sse_events(stream.text)[-1][0] == "done"
    assert {request["body"]["model"] for request in embedding_stub.requests} == {"e5"}  # type: ignore[index]
    assert len(embedding_stub.requests) >= 4


def test_standalone_app_serves_writing(settings: Settings, fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    from services.writing.app import create_app as create_writing_app

    fake_chat.queue("润色后的文字。")
    with TestClient(create_writing_app(settings, model=fake_model)) as client:
        response = client.post(
            f"{BASE}/edit/polish", headers=ADMIN_HEADERS, params={"stream": "false"}, json={"selection": "文字。"}
        )
        unauthenticated = client.post(f"{BASE}/edit/polish", json={"selection": "文字。"})

    assert response.json()["replacement"] == "润色后的文字。"
    assert unauthenticated.status_code == 401


def drafted_document(client: TestClient, fake_chat: FakeChatModel) -> str:
    outline = create_outline(client, fake_chat)
    fake_chat.queue("应当取得个人同意[1]。", "敏感个人信息需要单独同意[2]。")
    stream = client.post(f"{BASE}/draft/stream", headers=ADMIN_HEADERS, json={"outline_id": outline["id"]})
    document_id: str = sse_events(stream.text)[-1][1]["document_id"]
    return document_id


def test_cited_passage_returns_whole_passage(client: TestClient, fake_chat: FakeChatModel) -> None:
    document_id = drafted_document(client, fake_chat)
    document = client.get(f"{BASE}/documents/{document_id}", headers=ADMIN_HEADERS, params={"format": "json"}).json()

    response = client.get(f"{BASE}/documents/{document_id}/citations/2", headers=ADMIN_HEADERS)

    assert response.status_code == 200, response.text
    cited = response.json()
    citation = document["citations"][1]
    source_text = load_document(PIPL_PATH.read_bytes(), PIPL_PATH.name).text
    assert cited["number"] == 2
    assert cited["passage_id"] == citation["passage_id"]
    assert cited["filename"] == PIPL_PATH.name
    assert cited["heading_path"] == citation["heading_path"]
    assert cited["text"] == source_text[cited["start"] : cited["end"]]
    assert len(cited["text"]) > len(citation["excerpt"])
    assert " ".join(cited["text"].split()).startswith(citation["excerpt"])


def test_cited_passage_unknown_number_localised(client: TestClient, fake_chat: FakeChatModel) -> None:
    document_id = drafted_document(client, fake_chat)

    zh = client.get(f"{BASE}/documents/{document_id}/citations/7", headers=ADMIN_HEADERS)
    en = client.get(f"{BASE}/documents/{document_id}/citations/7", headers=EN_HEADERS)
    not_a_number = client.get(f"{BASE}/documents/{document_id}/citations/first", headers=ADMIN_HEADERS)

    assert zh.status_code == 404
    assert zh.json()["code"] == "writing.citation_not_found"
    assert "没有引用 [7]" in zh.json()["detail"]
    assert "1, 2" in zh.json()["detail"]
    assert "has no citation [7]" in en.json()["detail"]
    assert not_a_number.status_code == 422


def test_cited_passage_other_key_not_found(client: TestClient, fake_chat: FakeChatModel) -> None:
    document_id = drafted_document(client, fake_chat)
    keys: ApiKeyStore = client.app.state.gateway.keys  # type: ignore[attr-defined]
    _record, plaintext = keys.create("writer", ["writing"])

    response = client.get(
        f"{BASE}/documents/{document_id}/citations/1", headers={"Authorization": f"Bearer {plaintext}"}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "writing.document_not_found"


def test_cited_passage_requires_key(client: TestClient) -> None:
    assert client.get(f"{BASE}/documents/any/citations/1").status_code == 401
