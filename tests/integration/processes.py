"""Start, wait for and stop the real processes of the multi-process tests and the load benchmark.

Each process runs in its own session (process group), so stopping it also
stops the children it started (Celery threads, uvicorn). Its output goes to a
log file whose tail is shown when a test fails or a process does not start.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx

# Every process started by this module and not yet stopped, for the failure report.
STARTED: list[ManagedProcess] = []


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class ProcessStartError(RuntimeError):
    """A managed process exited or did not become ready in time."""


class ManagedProcess:
    """One long-running command with its log file; can be started again after a stop or a kill."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        log_path: Path,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        port: int | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.log_path = log_path
        self.env = env
        self.cwd = cwd
        self.port = port
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise ProcessStartError(f"{self.name} was never started")
        return self.process.pid

    def start(self) -> ManagedProcess:
        """Start the command; its output is appended to the log file, so restarts keep earlier lines."""
        if self.running:
            raise ProcessStartError(f"{self.name} is already running as pid {self.pid}")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start {' '.join(self.command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if self not in STARTED:
            STARTED.append(self)
        return self

    def wait_for_port(self, timeout: float) -> None:
        """Wait until the process accepts TCP connections on its port."""
        if self.port is None:
            raise ProcessStartError(f"{self.name} has no port to wait for")
        port = self.port
        self._wait_until(lambda: port_open(port), timeout, f"listening on 127.0.0.1:{port}")

    def wait_for_http(self, path: str, timeout: float, *, status: int = 200) -> None:
        """Wait until `GET http://127.0.0.1:<port><path>` returns `status`."""
        url = f"http://127.0.0.1:{self.port}{path}"

        def ready() -> bool:
            try:
                return httpx.get(url, timeout=5.0).status_code == status
            except httpx.HTTPError:
                return False

        self._wait_until(ready, timeout, f"answering {status} on {url}")

    def wait_for_log(self, text: str, timeout: float) -> None:
        """Wait until `text` appears in the log written since the last start."""
        self._wait_until(lambda: text in self._current_log(), timeout, f"logging {text!r}")

    def stop(self, *, timeout: float = 20.0) -> None:
        """Send SIGTERM to the process group, then SIGKILL when it is still alive after `timeout` seconds."""
        if self.process is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(timeout=timeout)
        self._reap_group()

    def kill(self) -> None:
        """Send SIGKILL to the process group at once: a crash, not a shutdown."""
        if self.process is None:
            return
        self._signal_group(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reap_group()

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(no log)"
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def _current_log(self) -> str:
        if not self.log_path.exists():
            return ""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text.rsplit("\n=== start ", 1)[-1]

    def _wait_until(self, check: Callable[[], bool], timeout: float, condition: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                code = self.process.returncode if self.process else None
                raise ProcessStartError(
                    f"{self.name} exited with code {code} before {condition}; last log lines:\n{self.log_tail()}"
                )
            if check():
                return
            time.sleep(0.2)
        raise ProcessStartError(
            f"{self.name} was not {condition} within {timeout:.0f} s; last log lines:\n{self.log_tail()}"
        )

    def _signal_group(self, signum: signal.Signals) -> None:
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def _reap_group(self) -> None:
        # Children that outlived the leader (a uvicorn or Celery child) are killed too.
        assert self.process is not None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def stop_all(processes: Sequence[ManagedProcess]) -> None:
    """Stop `processes` in reverse order, continuing past any that fails to stop."""
    for managed in reversed(processes):
        try:
            managed.stop(timeout=10.0)
        except (OSError, subprocess.SubprocessError):
            managed.kill()
        if managed in STARTED:
            STARTED.remove(managed)
