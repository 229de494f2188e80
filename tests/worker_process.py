"""Start a real `xingchen worker` (Celery) process for a test and stop it afterwards."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import REPO_ROOT


@contextmanager
def running_worker(environment: dict[str, str], folder: Path) -> Iterator[subprocess.Popen[str]]:
    """Run `xingchen worker` in `folder` with `environment` added; its output goes to `folder/worker.log`."""
    log = (folder / "worker.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "apps.cli.main", "worker"],
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **environment},
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
