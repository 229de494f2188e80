"""Batch runs over a folder tree: parallel workers, a manifest for resuming, a failure report.

The manifest (`manifest.json` in the output folder) is keyed by the SHA-256
of each recording's content, so a second run skips files already finished,
even when they were moved or renamed. Failures go to `failures.json` and do
not stop the other files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from services.core.errors import XingchenError
from services.meetings.outputs import OUTPUT_FORMATS, render
from services.meetings.results import MeetingResult

logger = logging.getLogger(__name__)

AUDIO_SUFFIXES = frozenset(
    {".wav", ".mp3", ".m4a", ".flac", ".ogg", ".oga", ".opus", ".webm", ".amr", ".aac", ".wma", ".mp4", ".mka"}
)
MANIFEST = "manifest.json"
FAILURES = "failures.json"

Progress = Callable[[float, str], None]


class FileProcessor(Protocol):
    """Turns one recording into a result, reporting progress (0–1, message)."""

    def __call__(self, data: bytes, *, filename: str, progress: Progress) -> MeetingResult: ...


class BatchObserver(Protocol):
    def started(self, source: str) -> None: ...

    def progressed(self, source: str, share: float, message: str) -> None: ...

    def finished(self, source: str, *, ok: bool, skipped: bool) -> None: ...


@dataclass
class BatchReport:
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)


def find_recordings(folder: Path) -> list[Path]:
    """Audio files under `folder`, recursively, by suffix, sorted."""
    return sorted(path for path in folder.rglob("*") if path.is_file() and path.suffix.lower() in AUDIO_SUFFIXES)


class Manifest:
    """Finished files by content hash; saved after every change so an interruption loses nothing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.entries: dict[str, dict[str, Any]] = {}
        if path.is_file():
            self.entries = json.loads(path.read_text(encoding="utf-8"))

    def finished(self, digest: str, out_dir: Path) -> bool:
        entry = self.entries.get(digest)
        return bool(entry) and all((out_dir / name).is_file() for name in entry["outputs"])  # type: ignore[index]

    def record(self, digest: str, entry: dict[str, Any]) -> None:
        with self._lock:
            self.entries[digest] = entry
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self.entries, ensure_ascii=False, indent=2), encoding="utf-8")
            temporary.replace(self.path)


def write_outputs(result: MeetingResult, *, out_dir: Path, relative: Path) -> list[str]:
    """Write every output format next to each other; returns their paths relative to `out_dir`."""
    written: list[str] = []
    base = out_dir / relative.with_suffix("")
    base.parent.mkdir(parents=True, exist_ok=True)
    for output in OUTPUT_FORMATS:
        target = base.with_name(f"{base.name}.{output}")
        target.write_bytes(render(result, output))
        written.append(target.relative_to(out_dir).as_posix())
    return written


def run_batch(
    in_dir: Path,
    out_dir: Path,
    *,
    process: FileProcessor,
    workers: int,
    observer: BatchObserver,
) -> BatchReport:
    """Process every recording under `in_dir` into `out_dir`; never stops on one file's failure."""
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(out_dir / MANIFEST)
    report = BatchReport()
    lock = threading.Lock()

    def handle(path: Path) -> None:
        source = path.relative_to(in_dir).as_posix()
        observer.started(source)
        try:
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            if manifest.finished(digest, out_dir):
                with lock:
                    report.skipped.append(source)
                observer.finished(source, ok=True, skipped=True)
                return
            started = time.perf_counter()
            result = process(
                data, filename=path.name, progress=lambda share, message: observer.progressed(source, share, message)
            )
            outputs = write_outputs(result, out_dir=out_dir, relative=Path(source))
            manifest.record(
                digest,
                {
                    "source": source,
                    "outputs": outputs,
                    "seconds": round(time.perf_counter() - started, 2),
                    "finished_at": datetime.now(UTC).isoformat(),
                },
            )
            with lock:
                report.done.append(source)
            observer.finished(source, ok=True, skipped=False)
        except Exception as exc:  # noqa: BLE001  (one bad file must not stop the batch)
            failure = _failure(source, exc)
            logger.warning("batch file %s failed: %s", source, failure["code"])
            with lock:
                report.failed.append(failure)
            observer.finished(source, ok=False, skipped=False)

    recordings = find_recordings(in_dir)
    logger.info("batch: %d recordings under %s, %d workers", len(recordings), in_dir, workers)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch") as pool:
        list(pool.map(handle, recordings))

    failures_path = out_dir / FAILURES
    failures_path.write_text(json.dumps(report.failed, ensure_ascii=False, indent=2), encoding="utf-8")
    return report


def _failure(source: str, exc: Exception) -> dict[str, Any]:
    if isinstance(exc, XingchenError):
        return {"source": source, "code": exc.code, "zh": exc.message("zh"), "en": exc.message("en")}
    return {"source": source, "code": "job.failed", "zh": repr(exc), "en": repr(exc)}
