"""Check that an evidence span supports a value, and read a value from evidence when the model gave none."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import Any

from services.knowledge.categories import CategoryField
from services.knowledge.textnorm import compact, normalise
from services.knowledge.values import ValueNotConvertible, convert_scalar, split_list, unit_factor, unit_matches

_NUMBER_WITH_REST = re.compile(r"-?\d+(?:\.\d+)?")
_NEGATION = ("不可", "不能", "不支持", "无法", "没有", "不含", "不提供", "无", "不")
# Whole excerpts that state a list is empty.
_NONE_WORDS = ("无", "没有", "暂无", "不提供", "不含", "none", "")
_CONJUNCTION = re.compile(r"(?<=[^\s])[与和及](?=[^\s])")
# A short label before a colon at the start of an excerpt ("办理条件：...").
_LABEL_PREFIX = re.compile(r"^[^：:，,。]{1,8}[：:]\s*")
# Punctuation that ends a clause: a value containing it is a sentence, not a name or number.
_CLAUSE_MARKS = re.compile(r"[，,。！？!?；;：:]")
# Bare yes or no replies ("是的", "对的"): a boolean needs the words that state the fact. Single
# characters are rejected by length.
_BARE_ANSWERS = frozenset("是的 对的 不是 不对 好的 可以 没有 不要 不用 需要 行的 yes no ok true false".split())
_MIN_FACT_CHARS = 2


def quantities(text: str, unit: str | None, *, with_unit: bool = False) -> list[float]:
    """Return every number in `text` converted to `unit` by the unit written after it.

    With `with_unit`, a field with a unit keeps only numbers written with a
    unit of its kind, so "光宽带一条" has no speed and "1000M 光宽带" has 1000.
    """
    folded = normalise(text, numerals=True).text
    values: list[float] = []
    for match in _NUMBER_WITH_REST.finditer(folded):
        if with_unit and unit and not unit_matches(folded[match.start() : match.end() + 8], unit):
            continue
        values.append(float(match.group()) * unit_factor(folded[match.end() :], unit))
    return values


def supports(field: CategoryField, value: Any, evidence: str) -> bool:
    """Whether `evidence` states `value` (numbers must appear, texts must mostly overlap)."""
    if value is None:
        return True
    if field.item_type in {"number", "integer"}:
        items = value if isinstance(value, list) else [value]
        return all(_supports_number(field, float(item), evidence) for item in items)
    if field.item_type == "boolean":
        return states_fact(evidence)
    if field.item_type == "date":
        digits = re.findall(r"\d+", normalise(evidence).text)
        parts = [str(int(part)) for part in str(value).strip("-").split("-") if part]
        return all(part in digits for part in parts[-2:])

    items = value if isinstance(value, list) else [value]
    return all(text_overlap(str(item), evidence) >= 0.6 for item in items)


def states_fact(evidence: str) -> bool:
    """Check that `evidence` states the fact ("帮我加急处理", "不着急") rather than a bare yes or no ("是", "对的")."""
    folded = compact(evidence).lower()
    return len(folded) >= _MIN_FACT_CHARS and folded not in _BARE_ANSWERS


def entity_problem(field: CategoryField, value: Any) -> str | None:
    """Return why a text value of a field with `max_chars` is a sentence rather than the item it names, or None."""
    if field.max_chars is None or not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) > field.max_chars:
        return f"value {text!r} is longer than {field.max_chars} characters; give the {field.name} alone"
    if _CLAUSE_MARKS.search(text):
        return f"value {text!r} is a sentence; give the {field.name} alone"
    return None


def _supports_number(field: CategoryField, value: float, evidence: str) -> bool:
    if any(abs(found - value) < 1e-6 for found in quantities(evidence, field.unit)):
        return True
    return value == 0 and any(word in evidence for word in _NEGATION)


def text_overlap(value: str, evidence: str) -> float:
    """Share of the value's characters (folded, without punctuation) that appear in order in the evidence."""
    folded_value = compact(value)
    if not folded_value:
        return 1.0
    matcher = SequenceMatcher(None, folded_value, compact(evidence), autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched / len(folded_value)


def value_from_evidence(field: CategoryField, evidence: str) -> Any:
    """Read the field's value from an evidence span, for a model that quoted but left `value` empty."""
    body = _LABEL_PREFIX.sub("", evidence.strip()).strip(" 。；;")
    if field.is_list:
        if body in _NONE_WORDS:
            return []
        # A quoted sentence joins its last items with a conjunction ("营业厅App与校园营业点").
        items = [part for item in split_list(body) for part in _CONJUNCTION.split(item) if part.strip()]
        return [convert_scalar(field.item_type, field.unit, item.strip()) for item in items]
    if field.type in {"number", "integer"}:
        found = quantities(body, field.unit, with_unit=True)
        if not found:
            if any(word in body for word in _NEGATION):
                return 0
            raise ValueNotConvertible(f"no number in {evidence!r}")
        return convert_scalar(field.type, None, found[0])
    return convert_scalar(field.type, field.unit, body)
