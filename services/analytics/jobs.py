"""The report job: write Markdown, HTML and Word files for a stored answer."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from services.analytics.pipeline import load_turn
from services.analytics.reports import write_reports
from services.core.db import Database
from services.core.jobs import JobContext, job_handler
from services.core.settings import Settings

logger = logging.getLogger(__name__)

REPORT_JOB = "analytics.report"


def reports_folder(settings: Settings, turn_id: str) -> Path:
    return settings.data_dir / "analytics" / "reports" / turn_id


@job_handler(REPORT_JOB)
def run_report_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: `turn_id`, `formats` (md, html, docx), `language`, `owner`."""
    settings: Settings = context.resources["settings"]
    database: Database = context.resources["database"]
    context.report(0.1, "loading the stored answer")
    turn = load_turn(database, params["turn_id"], owner=params.get("owner"))
    context.report(0.3, "rendering the chart and the reports")
    files = write_reports(
        turn,
        folder=reports_folder(settings, turn.id),
        formats=list(params.get("formats") or ["md", "html", "docx"]),
        language=params.get("language", "zh"),
        settings=settings,
    )
    context.report(1.0, "reports written")
    logger.info("job %s wrote reports for turn %s", context.job_id, turn.id)
    return {
        "turn_id": turn.id,
        "files": {name: Path(path).name for name, path in files.items()},
        "downloads": {name: f"/api/v1/analytics/reports/{turn.id}/{name}" for name in files},
    }
