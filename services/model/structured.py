"""Pull a JSON value out of a model reply and describe validation errors for a re-ask."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from services.model.errors import REASON_INVALID_JSON, REASON_SCHEMA

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


class NoJsonFound(ValueError):  # noqa: N818
    """The reply contains no JSON object or array."""


def extract_json(reply: str) -> str:
    """Return the first JSON object or array in `reply`.

    Accepts a bare value, a value inside a Markdown fence, or a value with
    prose around it. Raises `NoJsonFound` when there is none.
    """
    candidates = [match.group(1) for match in _FENCE.finditer(reply)]
    candidates.append(reply)
    for candidate in candidates:
        found = _first_balanced(candidate)
        if found is not None:
            return found
    raise NoJsonFound("the reply contains no JSON object")


def _first_balanced(text: str) -> str | None:
    """Find the first `{...}` or `[...]` span whose brackets balance, ignoring brackets in strings."""
    for start, character in enumerate(text):
        if character not in "{[":
            continue
        end = _matching_end(text, start)
        if end is None:
            continue
        span = text[start : end + 1]
        try:
            json.loads(span)
        except json.JSONDecodeError:
            continue
        return span
    return None


def _matching_end(text: str, start: int) -> int | None:
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        character = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
            continue
        if character == '"':
            in_string = True
        elif character in "{[":
            depth += 1
        elif character in "}]":
            depth -= 1
            if depth == 0:
                return index
    return None


def describe_validation_error(error: ValidationError) -> list[str]:
    """Turn pydantic's errors into short lines a model can act on: field path, problem, input."""
    lines = []
    for item in error.errors(include_url=False):
        location = _location(item["loc"])
        value = json.dumps(item.get("input"), ensure_ascii=False, default=str)
        if len(value) > 80:
            value = value[:77] + "..."
        lines.append(f"{location}: {item['msg']} (input: {value})")
    return lines


def validation_reason(error: ValidationError) -> tuple[str, dict[str, Any]]:
    """Return the message code and parameters that describe `error` to a user (no input values)."""
    items = error.errors(include_url=False)
    if any(item["type"] == "json_invalid" for item in items):
        return REASON_INVALID_JSON, {}
    fields = sorted({_location(item["loc"]) for item in items})
    detail = "; ".join(f"{_location(item['loc'])}: {item['msg']}" for item in items)
    return REASON_SCHEMA, {"fields": fields, "detail": detail[:300]}


def _location(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(root)"
