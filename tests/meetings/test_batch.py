"""Batch runs: a dozen files with one corrupt, failure report, resume by content hash; the CLI on real clips."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import services.meetings  # noqa: F401
from services.meetings.audio import decode_audio
from services.meetings.batch import FAILURES, MANIFEST, find_recordings, run_batch
from services.meetings.results import MeetingResult, Transcript
from tests.meetings import clips


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def started(self, source: str) -> None:
        self.events.append(("started", source))

    def progressed(self, source: str, share: float, message: str) -> None:
        self.events.append(("progress", source))

    def finished(self, source: str, *, ok: bool, skipped: bool) -> None:
        if skipped:
            self.events.append(("skipped", source))
        elif ok:
            self.events.append(("done", source))
        else:
            self.events.append(("failed", source))


def decode_only(data: bytes, *, filename: str, progress: Any) -> MeetingResult:
    """Decodes for real (so corrupt files fail as in production) and skips recognition."""
    audio = decode_audio(data, filename=filename, max_seconds=600, max_bytes=10**8)
    progress(0.5, "decoded")
    return MeetingResult(filename=filename, transcript=Transcript(language="zh", duration=audio.duration))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Eleven tone clips in a small tree and one corrupt file."""
    root = tmp_path / "in"
    for index in range(11):
        target = root / f"room{index % 3}" / f"call{index:02d}.wav"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(clips.sine(0.5 + index * 0.1, frequency=200 + 50 * index))
    (root / "room0" / "broken.wav").write_bytes(clips.random_bytes())
    (root / "notes.txt").write_text("not audio")
    return root


def test_batch_finishes_rest_and_reports_corrupt(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"

    report = run_batch(folder, out, process=decode_only, workers=3, observer=Recorder())
    failures = json.loads((out / FAILURES).read_text())

    assert len(report.done) == 11
    assert [failure["source"] for failure in failures] == ["room0/broken.wav"]
    assert failures[0]["code"] == "meetings.audio_unreadable"
    assert (out / "room1" / "call01.srt").is_file()


def test_batch_second_run_skips_finished(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out, process=decode_only, workers=3, observer=Recorder())
    (folder / "room2" / "call02.wav").rename(folder / "room2" / "renamed.wav")

    report = run_batch(folder, out, process=decode_only, workers=3, observer=Recorder())

    assert len(report.skipped) == 11
    assert report.done == []
    assert len(report.failed) == 1


def test_batch_redoes_file_whose_outputs_vanished(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out, process=decode_only, workers=2, observer=Recorder())
    (out / "room0" / "call00.md").unlink()

    report = run_batch(folder, out, process=decode_only, workers=2, observer=Recorder())

    assert report.done == ["room0/call00.wav"]


def test_find_recordings_by_suffix(folder: Path) -> None:
    assert len(find_recordings(folder)) == 12


def test_cli_batch_real_clips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from apps.cli.main import app
    from services.core.settings import get_settings

    source = tmp_path / "in"
    source.mkdir()
    (source / "zh.wav").write_bytes(clips.AISHELL.read_bytes())
    (source / "bad.mp3").write_bytes(clips.random_bytes())
    monkeypatch.setenv("XINGCHEN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XINGCHEN_MODEL_BACKEND", "fake")
    get_settings.cache_clear()
    out = tmp_path / "out"
    arguments = ["meetings", "batch", str(source), "--out", str(out), "--workers", "2", "--no-minutes"]

    first = CliRunner().invoke(app, arguments)
    second = CliRunner().invoke(app, arguments)
    get_settings.cache_clear()

    assert first.exit_code == 1
    assert "bad.mp3" in first.output
    assert "广州" in (out / "zh.md").read_text()
    assert json.loads((out / MANIFEST).read_text()).popitem()[1]["source"] == "zh.wav"
    assert "跳过 skipped 1" in second.output
