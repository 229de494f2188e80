"""Benchmark: throughput, latency and status codes of a gateway under concurrent load on 127.0.0.1.

Starts its own processes: a llama.cpp server (`python -m llama_cpp.server`)
with the packaged 0.5B model, and one gateway (`xingchen serve`) on the
`openai` backend in front of it, with a SQLite database in a temporary folder.
Four scenarios run one after another, each beside its baseline:

- `healthz`: `GET /healthz`, which touches neither the API keys nor the database
  (the baseline of the cheap endpoint);
- `jobs`: `GET /api/v1/jobs`, an authenticated database read (the cheap endpoint);
- `model-direct`: chat completions sent straight to the model server (the
  baseline of the model calls);
- `model-gateway`: the same calls through the gateway, whose model concurrency
  limit is set low, so calls that find no free slot in time get 429.

    python bench/load.py [--requests 1000] [--concurrency 100] [--model-calls 20] [--json out.json]

Prints requests per second, p50 and p95 latency and the count of each status
code. Exits with status 1 when any response is a 5xx or a connection error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from services.core.settings import LOCAL_ADMIN_KEY  # noqa: E402
from tests.integration.processes import ManagedProcess, stop_all  # noqa: E402
from tests.integration.stack import MODEL_ALIAS, REPO_ROOT, gateway, model_server  # noqa: E402

ADMIN = {"Authorization": f"Bearer {LOCAL_ADMIN_KEY}"}
CHAT_BODY = {
    "model": MODEL_ALIAS,
    "messages": [{"role": "user", "content": "用一句话介绍5G。"}],
    "max_tokens": 16,
    "temperature": 0,
}


@dataclass
class ScenarioResult:
    """Outcome of one scenario: every request's status and latency, summarised."""

    name: str
    requests: int
    concurrency: int
    seconds: float
    throughput: float
    p50_ms: float
    p95_ms: float
    statuses: dict[str, int]

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status.startswith("5") or status == "error")


async def run_scenario(
    name: str, method: str, url: str, *, requests: int, concurrency: int, timeout: float, **request: Any
) -> ScenarioResult:
    """Send `requests` requests with at most `concurrency` in flight; record each status and latency."""
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    slots = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(limits=limits, timeout=timeout) as client:

        async def one() -> None:
            async with slots:
                started = time.perf_counter()
                try:
                    response = await client.request(method, url, **request)
                    statuses[str(response.status_code)] += 1
                except httpx.HTTPError:
                    statuses["error"] += 1
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(requests)))
        seconds = time.perf_counter() - started

    ordered = sorted(latencies)
    return ScenarioResult(
        name=name,
        requests=requests,
        concurrency=concurrency,
        seconds=round(seconds, 2),
        throughput=round(requests / seconds, 1),
        p50_ms=round(statistics.median(ordered) * 1000, 1),
        p95_ms=round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 1),
        statuses=dict(sorted(statuses.items())),
    )


def gateway_environment(folder: Path, model_port: int, *, model_slots: int, queue_timeout: float) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("XINGCHEN_")}
    environment.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "XINGCHEN_DATA_DIR": str(folder / "var"),
            "XINGCHEN_LOG_LEVEL": "WARNING",
            "XINGCHEN_MODEL_BACKEND": "openai",
            "XINGCHEN_OPENAI_BASE_URL": f"http://127.0.0.1:{model_port}/v1",
            "XINGCHEN_OPENAI_MODEL": MODEL_ALIAS,
            "XINGCHEN_MODEL_MAX_CONCURRENCY": str(model_slots),
            "XINGCHEN_MODEL_QUEUE_TIMEOUT": str(queue_timeout),
        }
    )
    return environment


async def run_all(arguments: argparse.Namespace, gateway_url: str, model_url: str) -> list[ScenarioResult]:
    cheap = {"requests": arguments.requests, "concurrency": arguments.concurrency, "timeout": 60.0}
    model = {"requests": arguments.model_calls, "concurrency": arguments.model_calls, "timeout": 600.0}
    return [
        await run_scenario("healthz", "GET", f"{gateway_url}/healthz", **cheap),
        await run_scenario("jobs", "GET", f"{gateway_url}/api/v1/jobs", headers=ADMIN, params={"limit": 5}, **cheap),
        await run_scenario("model-direct", "POST", f"{model_url}/v1/chat/completions", json=CHAT_BODY, **model),
        await run_scenario(
            "model-gateway", "POST", f"{gateway_url}/v1/chat/completions", json=CHAT_BODY, headers=ADMIN, **model
        ),
    ]


def print_table(results: list[ScenarioResult]) -> None:
    print(f"{'scenario':<14} {'requests':>8} {'conc.':>5} {'req/s':>8} {'p50 ms':>9} {'p95 ms':>9}  statuses")
    for result in results:
        statuses = ", ".join(f"{status}: {count}" for status, count in result.statuses.items())
        print(
            f"{result.name:<14} {result.requests:>8} {result.concurrency:>5} {result.throughput:>8} "
            f"{result.p50_ms:>9} {result.p95_ms:>9}  {statuses}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="Requests per cheap-endpoint scenario.")
    parser.add_argument("--concurrency", type=int, default=100, help="Requests in flight for the cheap endpoints.")
    parser.add_argument("--model-calls", type=int, default=20, help="Concurrent chat completions per model scenario.")
    parser.add_argument("--model-slots", type=int, default=2, help="The gateway's XINGCHEN_MODEL_MAX_CONCURRENCY.")
    parser.add_argument(
        "--queue-timeout", type=float, default=5.0, help="The gateway's XINGCHEN_MODEL_QUEUE_TIMEOUT, in seconds."
    )
    parser.add_argument("--json", type=Path, help="Also write the results to this JSON file.")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="xingchen-load-"))
    processes: list[ManagedProcess] = []
    try:
        model = model_server(folder)
        processes.append(model.start())
        model.wait_for_http("/v1/models", timeout=180)
        environment = gateway_environment(
            folder, model.port or 0, model_slots=arguments.model_slots, queue_timeout=arguments.queue_timeout
        )
        server = gateway(folder, environment, "gateway")
        processes.append(server.start())
        server.wait_for_http("/readyz", timeout=180)

        results = asyncio.run(run_all(arguments, f"http://127.0.0.1:{server.port}", f"http://127.0.0.1:{model.port}"))
    finally:
        stop_all(processes)

    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"gateway model slots: {arguments.model_slots}, queue timeout: {arguments.queue_timeout} s")
    print_table(results)
    server_errors = sum(result.server_errors for result in results)
    print(f"5xx responses and connection errors: {server_errors}")

    if arguments.json:
        arguments.json.write_text(json.dumps([asdict(result) for result in results], indent=2), encoding="utf-8")
    if server_errors:
        print(f"process logs kept in {folder}")
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
