"""Fixtures of the multi-process tests: one running stack per module, logs shown on failure."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.processes import STARTED
from tests.integration.stack import SuiteStack, start_stack


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Attach the log tail of every running process to a failed test's report."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not report.failed or "tests/integration" not in str(item.path):
        return
    for process in STARTED:
        report.sections.append((f"log of {process.name} ({process.log_path})", process.log_tail(lines=30)))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SuiteStack]:
    """PostgreSQL, Redis, a model server, a Celery worker and two gateways, stopped after the module."""
    folder: Path = tmp_path_factory.mktemp("stack")
    running = start_stack(folder, gateway_count=2)
    try:
        yield running
    finally:
        running.close()
