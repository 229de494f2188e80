"""`xingchen meetings batch --queue`: files processed by a real Celery worker over real Redis."""

import json
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from tests.meetings import clips
from tests.worker_process import running_worker

BROKER_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def queue_environment(tmp_path: Path) -> dict[str, str]:
    return {
        "XINGCHEN_DATA_DIR": str(tmp_path / "var"),
        "XINGCHEN_DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.db'}",
        "XINGCHEN_MODEL_BACKEND": "fake",
        "XINGCHEN_BROKER_URL": BROKER_URL,
        "XINGCHEN_JOB_QUEUE": f"xingchen-meetings-test-{uuid.uuid4().hex[:8]}",
        "XINGCHEN_JOB_WORKERS": "1",
        "XINGCHEN_LOG_LEVEL": "INFO",
        # The worker joins Whisper base into the shared repository cache instead of its own data dir.
        "XINGCHEN_MEETINGS_WHISPER_MODEL_DIR": str(_whisper_dir()),
    }


def _whisper_dir() -> Path:
    from services.meetings.weights import resolve_whisper_dir

    return resolve_whisper_dir(model_dir=None, cache_dir=REPO_ROOT / "var" / "models")


@pytest.fixture
def worker(queue_environment: dict[str, str], tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """A `xingchen worker` process on its own queue; stopped after the test."""
    with running_worker(queue_environment, tmp_path) as process:
        yield process


def test_queue_batch_runs_on_worker(
    queue_environment: dict[str, str], worker: subprocess.Popen[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apps.cli.main import app
    from services.core.settings import get_settings

    source = tmp_path / "in"
    source.mkdir()
    (source / "zh.wav").write_bytes(clips.AISHELL.read_bytes())
    (source / "bad.wav").write_bytes(clips.random_bytes())
    for key, value in queue_environment.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    out = tmp_path / "out"

    result = CliRunner().invoke(
        app, ["meetings", "batch", str(source), "--out", str(out), "--workers", "2", "--queue", "--no-minutes"]
    )
    get_settings.cache_clear()
    failures = json.loads((out / "failures.json").read_text())
    log = (tmp_path / "worker.log").read_text()

    assert result.exit_code == 1, result.output
    assert "广州" in (out / "zh.md").read_text()
    assert failures[0]["code"] == "meetings.audio_unreadable"
    assert "meetings.process" in log
