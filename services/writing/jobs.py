"""The `writing.draft` job: draft a stored outline section by section, reporting progress per section."""

from __future__ import annotations

import logging
from typing import Any

from services.core.jobs import JobContext, job_handler
from services.core.settings import Settings
from services.writing.options import WritingOptions
from services.writing.service import stream_stored_draft
from services.writing.store import WritingStore

logger = logging.getLogger(__name__)

DRAFT_JOB = "writing.draft"


@job_handler(DRAFT_JOB)
def run_draft_job(context: JobContext, params: dict[str, Any]) -> dict[str, Any]:
    """Params: `outline_id`, `owner` (None for an admin key) and `options` (WritingOptions overrides)."""
    settings: Settings = context.resources["settings"]
    store = WritingStore(context.resources["database"])
    options = WritingOptions.from_settings(settings, params.get("options") or {})
    context.report(0.0, "drafting started")

    result: dict[str, Any] = {}
    for event in stream_stored_draft(
        context.resources["model"],
        settings=settings,
        store=store,
        outline_id=params["outline_id"],
        options=options,
        owner=params.get("owner"),
    ):
        if event.event == "section_done":
            done = event.data["index"] + 1
            context.report(done / event.data["total"], f"section {done}/{event.data['total']}: {event.data['heading']}")
        elif event.event == "done":
            result = {
                "document_id": event.data["document_id"],
                "outline_id": event.data["outline_id"],
                "outline_version": event.data["outline_version"],
                "sections": len(event.data["sections"]),
                "citations": len(event.data["citations"]),
                "completion_tokens": event.data["completion_tokens"],
                "wall_seconds": event.data["wall_seconds"],
            }
    logger.info("draft job %s wrote document %s", context.job_id, result.get("document_id"))
    return result
