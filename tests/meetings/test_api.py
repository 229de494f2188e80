"""REST: upload -> 202 job -> result in every format -> rename speakers; bad uploads get localised 4xx."""

import io
import json
import time
from typing import Any

import pytest
from docx import Document
from fastapi.testclient import TestClient

from services.model.backends.fake import FakeChatModel
from tests.conftest import ADMIN_HEADERS
from tests.meetings import clips
from tests.meetings.test_minutes import aishell_reply


def upload(
    client: TestClient,
    data: bytes,
    *,
    filename: str = "meeting.wav",
    options: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    return client.post(
        "/api/v1/meetings",
        files={"file": (filename, data, "application/octet-stream")},
        data={"options": json.dumps(options or {})},
        headers={**ADMIN_HEADERS, **(headers or {})},
    )


def wait_job(client: TestClient, job_id: str, timeout: float = 180.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/jobs/{job_id}", headers=ADMIN_HEADERS).json()
        if job["status"] in {"succeeded", "failed", "cancelled"}:
            return job  # type: ignore[no-any-return]
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} did not finish")


@pytest.fixture
def meeting(client: TestClient, fake_chat: FakeChatModel) -> dict[str, Any]:
    """The Mandarin clip processed through the API, with minutes from the fake model."""
    fake_chat.queue(aishell_reply(owner="李娜"))
    options = {"language": "zh", "speaker_names": {"SPEAKER_00": "李娜"}}
    response = upload(client, clips.AISHELL.read_bytes(), filename="例会.wav", options=options)
    assert response.status_code == 202
    job = wait_job(client, response.json()["job_id"])
    assert job["status"] == "succeeded", job
    return job["result"]  # type: ignore[no-any-return]


def test_upload_runs_job_and_stores_meeting(client: TestClient, meeting: dict[str, Any]) -> None:
    response = client.get(f"/api/v1/meetings/{meeting['meeting_id']}", headers=ADMIN_HEADERS)
    body = response.json()

    assert meeting["speakers"] == ["SPEAKER_00"]
    assert body["minutes"]["action_items"][0]["owner"] == "李娜"
    assert body["minutes"]["decisions"][0]["time"] == body["transcript"]["utterances"][0]["start"]
    assert body["minutes"]["unsupported"] == []
    assert "广州" in body["transcript"]["utterances"][0]["text"]


def test_results_in_every_format(client: TestClient, meeting: dict[str, Any]) -> None:
    url = f"/api/v1/meetings/{meeting['meeting_id']}"
    texts = {output: client.get(f"{url}?format={output}", headers=ADMIN_HEADERS).text for output in MARKERS}
    docx = client.get(f"{url}?format=docx", headers=ADMIN_HEADERS)

    for output, marker in MARKERS.items():
        assert marker in texts[output], output
    assert Document(io.BytesIO(docx.content)).paragraphs[0].text.startswith("会议纪要")


MARKERS = {"md": "# 会议纪要", "srt": "-->", "vtt": "WEBVTT", "rttm": "SPEAKER meeting 1", "json": '"transcript"'}


def test_patch_speaker_names_rerenders(client: TestClient, meeting: dict[str, Any]) -> None:
    meeting_id = meeting["meeting_id"]

    patched = client.patch(
        f"/api/v1/meetings/{meeting_id}/speakers", json={"names": {"SPEAKER_00": "王经理"}}, headers=ADMIN_HEADERS
    )
    markdown = client.get(f"/api/v1/meetings/{meeting_id}?format=md", headers=ADMIN_HEADERS).text

    assert patched.json()["speaker_names"] == {"SPEAKER_00": "王经理"}
    assert "王经理" in markdown
    assert "SPEAKER_00" not in markdown


def test_patch_unknown_speaker_422(client: TestClient, meeting: dict[str, Any]) -> None:
    response = client.patch(
        f"/api/v1/meetings/{meeting['meeting_id']}/speakers",
        json={"names": {"SPEAKER_09": "x"}},
        headers=ADMIN_HEADERS,
    )

    assert response.status_code == 422
    assert "SPEAKER_00" in response.json()["detail"]


def test_silence_gives_empty_transcript_with_note(client: TestClient) -> None:
    response = upload(client, clips.silence(3.0), options={"minutes": True})
    job = wait_job(client, response.json()["job_id"])

    assert job["status"] == "succeeded"
    assert job["result"]["notes"] == ["meetings.no_speech"]


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 422, "meetings.audio_empty"),
        (clips.random_bytes(), 415, "meetings.audio_unreadable"),
        (clips.truncated(), 422, "meetings.audio_truncated"),
    ],
    ids=["empty", "random", "truncated"],
)
def test_bad_upload_localised(client: TestClient, data: bytes, status: int, code: str) -> None:
    chinese = upload(client, data)
    english = upload(client, data, headers={"Accept-Language": "en"})

    assert chinese.status_code == status
    assert chinese.json()["code"] == code
    assert "文件" in chinese.json()["detail"]
    assert "file" in english.json()["detail"]


def test_bad_options_422(client: TestClient) -> None:
    response = upload(client, clips.silence(1.0), options={"num_speakers": 3, "max_speakers": 2})

    assert response.status_code == 422
    assert response.json()["code"] == "meetings.speaker_limits"


def test_unknown_option_422(client: TestClient) -> None:
    response = upload(client, clips.silence(1.0), options={"beam": 3})

    assert response.json()["code"] == "meetings.bad_options"


def test_missing_meeting_404(client: TestClient) -> None:
    response = client.get("/api/v1/meetings/nope", headers=ADMIN_HEADERS)

    assert response.status_code == 404


def test_bad_format_422(client: TestClient) -> None:
    response = client.get("/api/v1/meetings/nope?format=pdf", headers=ADMIN_HEADERS)

    assert response.json()["code"] == "meetings.bad_format"


def test_other_key_cannot_read_meeting(client: TestClient, meeting: dict[str, Any]) -> None:
    _, key = client.app.state.gateway.keys.create("other team", ["meetings"])  # type: ignore[attr-defined]
    url = f"/api/v1/meetings/{meeting['meeting_id']}"

    read = client.get(url, headers={"X-API-Key": key})
    rename = client.patch(f"{url}/speakers", json={"names": {"SPEAKER_00": "x"}}, headers={"X-API-Key": key})

    assert read.status_code == 404
    assert rename.status_code == 404
