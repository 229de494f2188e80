"""Edit operations on a selected passage: expand, continue, rewrite, polish, shorten."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from services.core.errors import InvalidInputError
from services.core.prompts import render_prompt
from services.model.client import ModelClient
from services.writing.options import EditOptions
from services.writing.schemas import (
    EDIT_OPERATION_LABELS,
    EDIT_OPERATIONS,
    EditOperation,
    EditRequest,
    EditResult,
    Language,
)

logger = logging.getLogger(__name__)

# Labels a small model puts before its answer ("改写后：", "Polished text:").
_LEADING_LABEL = re.compile(r"^\s*(?:[^\n：:]{0,12}(?:后|结果|文本|文字|text|version)\s*[：:])\s*", re.I)


@dataclass(frozen=True)
class EditEvent:
    """`delta` with a piece of new text, or `done` with the `EditResult`."""

    event: str
    data: dict[str, Any]


def parse_operation(value: str) -> EditOperation:
    """Return `value` as an edit operation, or raise a 422 error that lists the accepted ones."""
    if value not in EDIT_OPERATIONS:
        raise InvalidInputError("writing.unknown_operation", operation=value, accepted=", ".join(EDIT_OPERATIONS))
    return value  # type: ignore[return-value]


def check_edit_request(operation: EditOperation, request: EditRequest, options: EditOptions) -> None:
    if not request.selection.strip():
        labels = EDIT_OPERATION_LABELS[operation]
        raise InvalidInputError("writing.empty_selection", operation_zh=labels["zh"], operation_en=labels["en"])
    if len(request.selection) > options.max_selection_chars:
        raise InvalidInputError(
            "writing.selection_too_long", length=len(request.selection), limit=options.max_selection_chars
        )


def stream_edit(
    model: ModelClient,
    *,
    operation: EditOperation,
    request: EditRequest,
    language: Language,
    options: EditOptions,
) -> Iterator[EditEvent]:
    """Stream the new text piece by piece, then a `done` event with the replacement for the selection."""
    language = request.language or language
    check_edit_request(operation, request, options)
    before = request.before[-options.context_chars :] if options.context_chars else ""
    after = request.after[: options.context_chars] if options.context_chars else ""
    prompt = render_prompt(
        "writing",
        "edit",
        language,
        operation=EDIT_OPERATION_LABELS[operation][language],
        operation_key=operation,
        style=request.style.strip(),
        selection=request.selection,
        before=before,
        after=after,
    )
    logger.info("edit %s started: %d selected characters", operation, len(request.selection))

    stream = model.stream(
        prompt,
        system=render_prompt("writing", "edit_system", language),
        max_tokens=options.max_tokens,
        temperature=options.temperature,
    )
    pieces: list[str] = []
    for piece in stream:
        pieces.append(piece)
        yield EditEvent("delta", {"text": piece})

    added = clean_edit_text("".join(pieces))
    replacement = f"{request.selection}{added}" if operation == "continue" else added
    result = EditResult(operation=operation, original=request.selection, replacement=replacement, added=added)
    logger.info("edit %s finished: %d characters generated", operation, len(added))
    yield EditEvent("done", result.model_dump())


def run_edit(model: ModelClient, **kwargs: Any) -> EditResult:
    """Run `stream_edit` to its end and return the result."""
    for event in stream_edit(model, **kwargs):
        if event.event == "done":
            return EditResult.model_validate(event.data)
    raise RuntimeError("stream_edit ended without a done event")


def clean_edit_text(text: str) -> str:
    """Strip fences, tags, a leading label and wrapping quotes that models add around their answer."""
    text = text.strip()
    text = re.sub(r"^```\w*\n?|\n?```$", "", text).strip()
    text = re.sub(r"</?(selection|context)>", "", text).strip()
    text = _LEADING_LABEL.sub("", text, count=1)
    if len(text) >= 2 and text[0] + text[-1] in {'""', "“”", "「」", "''"}:
        text = text[1:-1]
    return text.strip()
