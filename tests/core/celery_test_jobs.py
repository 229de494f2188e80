"""Job handlers that the Celery worker under test imports (through XINGCHEN_JOB_MODULES)."""

import time
from typing import Any

from services.core.errors import InvalidInputError
from services.core.jobs import JobContext, job_handler


@job_handler("test.celery_square")
def square(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    context.report(0.5, "计算中")
    return {"square": params["value"] ** 2, "model": context.resources["model"].backend_name}


@job_handler("test.celery_invalid")
def invalid(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    raise InvalidInputError("invalid_input", reason="bad value")


@job_handler("test.celery_slow")
def slow(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    for step in range(100):
        context.report(step / 100, f"step {step}")
        time.sleep(0.05)
    return {}
