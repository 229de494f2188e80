"""Render pydantic validation errors in the caller's language, without input values.

Each error keeps its field location; the common pydantic error types are
rendered from the message catalogue (codes `validation.<type>`), others fall
back to pydantic's English message. Input values are never shown: they may
hold secrets (settings) or long request bodies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile

from services.core.errors import InvalidInputError, Localised
from services.core.i18n import Language, message_codes, translate

# pydantic error types that share one text.
_ALIASES = {
    "bytes_too_short": "string_too_short",
    "int_parsing": "int_type",
    "int_from_float": "int_type",
    "float_parsing": "float_type",
    "bool_parsing": "bool_type",
    "enum": "literal_error",
    "model_type": "dict_type",
    "model_attributes_type": "dict_type",
}


def describe_validation_item(item: Mapping[str, Any], language: Language) -> str:
    """Return `location: problem` for one pydantic error dict."""
    location = ".".join(str(part) for part in item.get("loc", ()))
    error_type = str(item.get("type", ""))
    code = f"validation.{_ALIASES.get(error_type, error_type)}"
    if code in message_codes():
        context = {name: _context_value(value, language) for name, value in (item.get("ctx") or {}).items()}
        problem = translate(code, language, **context)
    else:
        problem = str(item.get("msg", error_type))
    if not location:
        # An error of the whole object (a model validator); its text names what is wrong.
        return problem
    separator = "：" if language == "zh" else ": "
    return f"{location}{separator}{problem}"


def describe_settings_errors(items: Iterable[Mapping[str, Any]], language: Language) -> list[str]:
    """Describe errors of `Settings`, naming each field by its XINGCHEN_ environment variable."""
    lines = []
    for item in items:
        loc = tuple(item.get("loc", ()))
        if loc:
            loc = (f"XINGCHEN_{str(loc[0]).upper()}", *loc[1:])
        lines.append(describe_validation_item({**item, "loc": loc}, language))
    return lines


def _context_value(value: Any, language: Language) -> str:
    text = str(value)
    if language == "zh":
        # pydantic lists choices as "'a', 'b' or 'c'".
        text = text.replace(" or ", "、").replace(", ", "、")
    return text


def localised_validation_errors(error: ValidationError, prefix: tuple[str, ...] = ()) -> Localised:
    """Describe every error of `error` in both languages, with `prefix` before each field location."""
    items = [{**item, "loc": (*prefix, *item.get("loc", ()))} for item in error.errors()]
    return Localised(
        zh="；".join(describe_validation_item(item, "zh") for item in items),
        en="; ".join(describe_validation_item(item, "en") for item in items),
    )


def parse_json_object(text: str, field: str, *, code: str = "invalid_input", param: str = "reason") -> dict[str, Any]:
    """Parse form field `field` as a JSON object; raises a 422 with message `code`, the problem in its `param`."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Localised(
            zh=f"{field} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）",
            en=f"{field} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        )
        raise InvalidInputError(code, **{param: problem}) from exc
    if not isinstance(value, dict):
        problem = Localised(zh=f"{field} 必须是 JSON 对象", en=f"{field} must be a JSON object")
        raise InvalidInputError(code, **{param: problem})
    return value


def single_upload(form: FormData, field: str) -> UploadFile | None:
    """Return the one file sent in form field `field`, or None; raises 422 when the field contains several parts."""
    parts = form.getlist(field)
    if len(parts) > 1:
        raise InvalidInputError("upload.one_file", field=field, count=len(parts))
    part = parts[0] if parts else None
    return part if isinstance(part, UploadFile) else None
