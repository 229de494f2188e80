"""Normalise values read from text to a field's type: numbers with units, booleans, dates, lists.

`"三十GB"` becomes `30` for a field in GB, `"1000M"` becomes `1000` for a field
in Mbps and `"1G"` becomes `1000`, `"１９９元"` becomes `199`. A value that
cannot be converted raises `ValueNotConvertible` with the reason.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from services.knowledge.categories import CategoryField
from services.knowledge.textnorm import CHINESE_NUMERAL_RUN, chinese_numeral_value, fold_width


class ValueNotConvertible(ValueError):
    """A text value cannot be converted to the field's type."""


# Factors to a base unit, per dimension; keys are lowercase unit spellings.
_UNITS: dict[str, dict[str, float]] = {
    "data": {"tb": 1024.0, "t": 1024.0, "gb": 1.0, "g": 1.0, "mb": 1 / 1024, "kb": 1 / 1024 / 1024},
    "speed": {"gbps": 1000.0, "g": 1000.0, "千兆": 1000.0, "mbps": 1.0, "m": 1.0, "兆": 1.0, "百兆": 100.0},
    "money": {"万元": 10000.0, "元": 1.0, "块": 1.0, "角": 0.1, "分": 0.01},
    "duration": {"小时": 60.0, "分钟": 1.0, "分": 1.0, "min": 1.0},
    "months": {"年": 12.0, "个月": 1.0, "月": 1.0},
}
# The dimension and base-unit factor of each unit a field may declare.
_FIELD_UNITS: dict[str, tuple[str, float]] = {
    "gb": ("data", 1.0),
    "mb": ("data", 1 / 1024),
    "mbps": ("speed", 1.0),
    "元": ("money", 1.0),
    "分钟": ("duration", 1.0),
    "月": ("months", 1.0),
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_NEGATIVE_WORDS = ("不可", "不能", "不支持", "无法", "没有", "不含", "不提供", "无", "不")
_TRUE_WORDS = ("是", "有", "支持", "可以", "可", "提供", "包含", "含", "需要", "要", "加急", "true", "yes", "y", "1")
_FALSE_WORDS = ("否", "无", "不", "没有", "false", "no", "n", "0")
_FALSE_PREFIXES = ("不", "无", "没", "否", "非", "false", "no ")
_DATE_PATTERNS = (
    re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月/-]\s*(\d{1,2})\s*[日号]?")


def convert_value(field: CategoryField, raw: Any) -> Any:
    """Convert `raw` (text or list of texts from the model) to the field's type.

    None stays None (not stated). An empty text stays "" for string fields and
    an empty list stays [] (stated as empty).
    """
    if raw is None:
        return None
    if field.is_list:
        items = raw if isinstance(raw, list) else split_list(str(raw))
        converted = [convert_scalar(field.item_type, field.unit, item) for item in items if str(item).strip()]
        return converted
    if isinstance(raw, list):
        raw = "、".join(str(item) for item in raw)
    return convert_scalar(field.type, field.unit, raw)


def split_list(text: str) -> list[str]:
    parts = re.split(r"[、，,；;\n]|或者|或", text)
    return [part.strip(" 。.") for part in parts if part.strip(" 。.")]


def convert_scalar(kind: str, unit: str | None, raw: Any) -> Any:
    if isinstance(raw, bool):
        return _convert_bool(str(raw).lower()) if kind == "boolean" else raw
    if isinstance(raw, int | float) and kind in {"number", "integer"}:
        return _as_kind(float(raw), kind, str(raw))

    text = fold_width(str(raw)).strip()
    if kind == "string":
        return text
    if not text:
        return ""
    if kind == "boolean":
        return _convert_bool(text.lower())
    if kind == "date":
        return _convert_date(text)
    return _as_kind(parse_quantity(text, unit), kind, text)


def _as_kind(number: float, kind: str, text: str) -> int | float:
    if kind == "integer":
        if abs(number - round(number)) > 1e-9:
            raise ValueNotConvertible(f"{text!r} is not a whole number")
        return int(round(number))
    return int(number) if number.is_integer() else round(number, 6)


def parse_quantity(text: str, unit: str | None) -> float:
    """Read the first number in `text` and convert it to `unit` when a unit follows it."""
    text = text.replace(",", "").replace("，", "") if re.search(r"\d[,，]\d{3}", text) else text
    compact = text.replace(" ", "")

    if unit and unit.lower() == "mbps" and "千兆" in compact and not _NUMBER.search(compact):
        return 1000.0
    number, rest = _first_number(compact)
    if number is None:
        if any(word in compact for word in _NEGATIVE_WORDS):
            return 0.0
        raise ValueNotConvertible(f"no number in {text!r}")
    return number * unit_factor(rest, unit)


def _first_number(text: str) -> tuple[float | None, str]:
    """Return the first number (Arabic or Chinese) in `text` and the text after it."""
    arabic = _NUMBER.search(text)
    chinese = next(
        (match for match in CHINESE_NUMERAL_RUN.finditer(text) if chinese_numeral_value(match.group()) is not None),
        None,
    )
    if arabic and (chinese is None or arabic.start() <= chinese.start()):
        return float(arabic.group()), text[arabic.end() :]
    if chinese is not None:
        value = chinese_numeral_value(chinese.group())
        assert value is not None
        return float(value), text[chinese.end() :]
    return None, text


def unit_factor(rest: str, unit: str | None) -> float:
    """Factor from the unit written after a number to the field's unit (1 when unknown)."""
    if not unit or unit.lower() not in _FIELD_UNITS:
        return 1.0
    dimension, field_factor = _FIELD_UNITS[unit.lower()]
    written = rest.lower()
    for spelling, factor in sorted(_UNITS[dimension].items(), key=lambda item: -len(item[0])):
        if written.startswith(spelling):
            return factor / field_factor
    return 1.0


def unit_matches(written: str, unit: str | None) -> bool:
    """Check that the text after a number starts with a spelling of `unit` or of a unit it converts from."""
    rest = re.sub(r"^[\d.\s]+", "", written).lower()
    if not unit or not rest:
        return False
    if unit.lower() not in _FIELD_UNITS:
        return rest.startswith(unit.lower())
    dimension, _ = _FIELD_UNITS[unit.lower()]
    return any(rest.startswith(spelling) for spelling in _UNITS[dimension])


def _convert_bool(text: str) -> bool:
    if text in _FALSE_WORDS or text.startswith(_FALSE_PREFIXES):
        return False
    if text in _TRUE_WORDS or text.startswith(_TRUE_WORDS):
        return True
    raise ValueNotConvertible(f"{text!r} is not yes or no")


def _convert_date(text: str) -> str:
    digits = _numerals_to_digits(text)
    for pattern in _DATE_PATTERNS:
        match = pattern.search(digits)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day).isoformat()
            except ValueError as exc:
                raise ValueNotConvertible(f"{text!r} is not a valid date: {exc}") from exc
    month_day = _MONTH_DAY.search(digits)
    if month_day:
        # ISO 8601 writes a date without a year as --MM-DD.
        month, day = (int(part) for part in month_day.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"--{month:02d}-{day:02d}"
    raise ValueNotConvertible(f"{text!r} has no date (month and day)")


def _numerals_to_digits(text: str) -> str:
    """Write Chinese numerals as digits; a year such as 二〇二六 is read digit by digit."""

    def replace(match: re.Match[str]) -> str:
        run = match.group()
        if len(run) == 4 and all(char in "零〇一二三四五六七八九" for char in run):
            return "".join(str("〇一二三四五六七八九".index(char) if char != "零" else 0) for char in run)
        return chinese_numeral_value(run) or run

    return CHINESE_NUMERAL_RUN.sub(replace, text)
