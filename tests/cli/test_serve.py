"""`xingchen serve` as a real process: the gateway answers with the embedded model."""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_HEADERS, REPO_ROOT

pytestmark = pytest.mark.real_model


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    environment = {
        **os.environ,
        # The packaged model is assembled once under the repository's var/models.
        "XINGCHEN_DATA_DIR": str(REPO_ROOT / "var"),
        "XINGCHEN_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "XINGCHEN_MODEL_BACKEND": "embedded",
        "XINGCHEN_LOG_LEVEL": "WARNING",
    }
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "apps.cli.main", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise AssertionError(f"xingchen serve exited: {(tmp_path / 'serve.log').read_text()}")
            time.sleep(0.5)
        else:
            raise AssertionError("xingchen serve was not ready within 120 s")
        yield base_url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_serve_chat_returns_chinese(server: str) -> None:
    body = {"messages": [{"role": "user", "content": "用一句中文问候客户。"}], "max_tokens": 32}

    unauthorised = httpx.post(f"{server}/v1/chat/completions", json=body, timeout=60)
    reply = httpx.post(f"{server}/v1/chat/completions", json=body, headers=ADMIN_HEADERS, timeout=120)

    assert unauthorised.status_code == 401
    assert reply.status_code == 200
    assert re.search(r"[\u4e00-\u9fff]", reply.json()["choices"][0]["message"]["content"])
