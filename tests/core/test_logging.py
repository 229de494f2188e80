import json
import logging

import pytest

from services.core.logging import ContextFilter, JsonFormatter, configure_logging, job_id_var, request_id_var


def make_record(message: str) -> logging.LogRecord:
    record = logging.LogRecord("services.test", logging.INFO, __file__, 1, message, None, None)
    ContextFilter().filter(record)
    return record


def test_filter_adds_request_and_job_ids() -> None:
    request_token = request_id_var.set("req-1")
    job_token = job_id_var.set("job-9")
    try:
        record = make_record("hello")
    finally:
        request_id_var.reset(request_token)
        job_id_var.reset(job_token)

    assert record.request_id == "req-1"  # type: ignore[attr-defined]
    assert record.job_id == "job-9"  # type: ignore[attr-defined]


def test_filter_uses_dash_outside_requests() -> None:
    record = make_record("idle")

    assert record.request_id == "-"  # type: ignore[attr-defined]


def test_json_formatter_keeps_chinese_and_ids() -> None:
    token = request_id_var.set("req-2")
    try:
        line = JsonFormatter().format(make_record("任务开始"))
    finally:
        request_id_var.reset(token)

    payload = json.loads(line)
    assert payload["message"] == "任务开始"
    assert payload["request_id"] == "req-2"
    assert payload["logger"] == "services.test"
    assert "任务开始" in line


def test_configure_logging_replaces_own_handler(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    level = root.level
    try:
        configure_logging("INFO", json_format=True)
        configure_logging("INFO", json_format=True)
        own = [handler for handler in root.handlers if getattr(handler, "_xingchen", False)]
        logging.getLogger("services.test").info("once")
    finally:
        for handler in list(root.handlers):
            if getattr(handler, "_xingchen", False):
                root.removeHandler(handler)
        root.setLevel(level)

    assert len(own) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if '"once"' in line]
    assert len(lines) == 1
