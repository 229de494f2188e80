"""The suite as separate processes on 127.0.0.1: PostgreSQL, Redis, a llama.cpp model server,
Celery workers and gateways, each on a free port, with logs under one folder.

Used by the multi-process integration tests and by `bench/load.py`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.integration.postgres import PrivateCluster
from tests.integration.processes import ManagedProcess, free_port, stop_all

REPO_ROOT = Path(__file__).resolve().parents[2]
MODEL_CACHE = REPO_ROOT / "var" / "models"

# The model name the model server serves under; gateways send it as XINGCHEN_OPENAI_MODEL.
MODEL_ALIAS = "xingchen-integration"


def model_file() -> Path:
    """Return the packaged 0.5B GGUF (extra `embedded-small`), joined once into the repository's model cache."""
    from services.model.weights import resolve_model_file

    return resolve_model_file(model_path=None, packaged_name="qwen2.5-coder-0.5b", cache_dir=MODEL_CACHE)


def whisper_dir() -> Path:
    """Return Whisper base, joined once into the repository's model cache."""
    from services.meetings.weights import resolve_whisper_dir

    return resolve_whisper_dir(model_dir=None, cache_dir=MODEL_CACHE)


def start_redis(folder: Path) -> ManagedProcess:
    """Start a private redis-server without persistence on a free port."""
    port = free_port()
    redis = ManagedProcess(
        "redis",
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        log_path=folder / "redis.log",
        cwd=folder,
        port=port,
    )
    redis.start().wait_for_port(timeout=30)
    return redis


def model_server(folder: Path, *, context_tokens: int = 4096, threads: int = 1) -> ManagedProcess:
    """Build (not start) `python -m llama_cpp.server` for the packaged model, standing in for vLLM."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model_file()),
        "--model_alias",
        MODEL_ALIAS,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        str(context_tokens),
        "--n_threads",
        str(threads),
        "--n_threads_batch",
        str(threads),
        "--verbose",
        "False",
    ]
    return ManagedProcess("model-server", command, log_path=folder / "model-server.log", cwd=folder, port=port)


@dataclass
class SuiteStack:
    """Every process of one multi-process deployment, plus the environment they share."""

    folder: Path
    environment: dict[str, str]
    postgres: PrivateCluster
    redis: ManagedProcess
    model: ManagedProcess
    worker: ManagedProcess
    gateways: list[ManagedProcess] = field(default_factory=list)

    @property
    def database_url(self) -> str:
        return self.environment["XINGCHEN_DATABASE_URL"]

    def gateway_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.gateways[index].port}"

    def processes(self) -> list[ManagedProcess]:
        return [self.redis, self.model, self.worker, *self.gateways]

    def close(self) -> None:
        stop_all(self.processes())
        self.postgres.remove()


def suite_environment(*, folder: Path, database_url: str, broker_url: str, model_port: int) -> dict[str, str]:
    """Settings shared by gateways and workers: one database, one queue, one model server, one data folder."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("XINGCHEN_")}
    environment.update(
        {
            "PYTHONPATH": str(REPO_ROOT),
            "XINGCHEN_DATA_DIR": str(folder / "var"),
            "XINGCHEN_DATABASE_URL": database_url,
            "XINGCHEN_LOG_LEVEL": "INFO",
            "XINGCHEN_JOB_BACKEND": "celery",
            "XINGCHEN_BROKER_URL": broker_url,
            "XINGCHEN_JOB_QUEUE": f"xingchen-integration-{uuid.uuid4().hex[:8]}",
            "XINGCHEN_JOB_WORKERS": "1",
            "XINGCHEN_MODEL_BACKEND": "openai",
            "XINGCHEN_OPENAI_BASE_URL": f"http://127.0.0.1:{model_port}/v1",
            "XINGCHEN_OPENAI_MODEL": MODEL_ALIAS,
            # llama-cpp-python's server rejects `response_format: json_schema` but turns the
            # schema sent with JSON mode into a grammar.
            "XINGCHEN_OPENAI_STRUCTURED_MODE": "json_object",
            "XINGCHEN_MODEL_TIMEOUT": "120",
            "XINGCHEN_MODEL_MAX_RETRIES": "2",
            "XINGCHEN_MODEL_RETRY_BACKOFF": "0.2",
            "XINGCHEN_MEETINGS_WHISPER_MODEL_DIR": str(whisper_dir()),
            "XINGCHEN_MEETINGS_CPU_THREADS": "1",
            # Small replies keep the real model's share of the test short on 2 CPU cores.
            "XINGCHEN_MODEL_DEFAULT_MAX_TOKENS": "128",
            "XINGCHEN_MEETINGS_MINUTES_MAX_TOKENS": "96",
            "XINGCHEN_KNOWLEDGE_MAX_TOKENS": "300",
        }
    )
    return environment


def xingchen_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "apps.cli.main", *arguments]


def gateway(folder: Path, environment: dict[str, str], name: str) -> ManagedProcess:
    port = free_port()
    return ManagedProcess(
        name,
        xingchen_command("serve", "--port", str(port)),
        log_path=folder / f"{name}.log",
        env=environment,
        cwd=folder,
        port=port,
    )


def worker(folder: Path, environment: dict[str, str]) -> ManagedProcess:
    return ManagedProcess(
        "worker",
        xingchen_command("worker", "--concurrency", "1"),
        log_path=folder / "worker.log",
        env=environment,
        cwd=folder,
    )


def upgrade_database(folder: Path, environment: dict[str, str]) -> None:
    """Migrate the schema once before the gateways and workers start, as a deployment does."""
    subprocess.run(
        xingchen_command("db-upgrade"), env=environment, cwd=folder, check=True, capture_output=True, timeout=180
    )


def start_stack(folder: Path, *, gateway_count: int = 2) -> SuiteStack:
    """Start PostgreSQL, Redis, the model server, one worker and `gateway_count` gateways, ready for requests."""
    postgres = PrivateCluster(free_port())
    postgres.init()
    postgres.start()
    started: list[ManagedProcess] = []
    try:
        database_url = postgres.create_database("xingchen")
        redis = start_redis(folder)
        started.append(redis)
        model = model_server(folder)
        started.append(model.start())

        environment = suite_environment(
            folder=folder,
            database_url=database_url,
            broker_url=f"redis://127.0.0.1:{redis.port}/0",
            model_port=model.port or 0,
        )
        upgrade_database(folder, environment)
        job_worker = worker(folder, environment)
        started.append(job_worker.start())
        gateways = [gateway(folder, environment, f"gateway-{index}") for index in range(gateway_count)]
        started.extend(process.start() for process in gateways)

        model.wait_for_http("/v1/models", timeout=180)
        job_worker.wait_for_log("worker ready on queue", timeout=180)
        for process in gateways:
            process.wait_for_http("/readyz", timeout=180)
    except BaseException:
        stop_all(started)
        postgres.remove()
        raise

    return SuiteStack(
        folder=folder,
        environment=environment,
        postgres=postgres,
        redis=redis,
        model=model,
        worker=job_worker,
        gateways=gateways,
    )
