"""The standalone meetings app and the job's missing-upload error."""

from pathlib import Path

from fastapi.testclient import TestClient

from services.core.db import Database
from services.core.jobs import JobStore, execute_job
from services.core.settings import Settings
from services.meetings.app import create_app
from services.meetings.jobs import PROCESS_JOB
from services.model.client import ModelClient
from tests.conftest import ADMIN_HEADERS


def test_standalone_app_serves_meetings(settings: Settings, fake_model: ModelClient) -> None:
    with TestClient(create_app(settings, model=fake_model, load_model=False)) as client:
        response = client.get("/api/v1/meetings/formats", headers=ADMIN_HEADERS)

    assert response.json() == ["json", "md", "docx", "srt", "vtt", "rttm"]


def test_job_missing_upload_fails_with_code(database: Database, settings: Settings, tmp_path: Path) -> None:
    store = JobStore(database)
    job = store.create(PROCESS_JOB, {"path": str(tmp_path / "gone.wav"), "options": {}}, owner=None, backend="local")

    execute_job(store, job.id, resources={"settings": settings, "database": database, "model": None})

    assert store.get(job.id).error == {
        "code": "meetings.upload_missing",
        "params": {"path": str(tmp_path / "gone.wav")},
    }
