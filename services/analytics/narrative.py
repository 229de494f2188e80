"""The narrative: written by the model from computed facts, then checked number by number.

A sentence that quotes a number found in no fact, nor in the question or the
result's labels, is removed and reported in `unverified`.
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel, Field

from services.analytics.facts import Fact
from services.core.i18n import Language
from services.core.prompts import render_prompt
from services.model.client import ModelClient

logger = logging.getLogger(__name__)

# A number not glued to ASCII letters ("5G" and "Q3" are names), with an optional unit.
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(-?\d[\d,]*(?:\.\d+)?)(?![\d.,]*[A-Za-z_])\s*(%|％|万|亿)?")
_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|(?<=\.)\s+|\n+")


class Narrative(BaseModel):
    text: str = Field(description="Sentences whose every number matches a computed fact.")
    unverified: list[str] = Field(default_factory=list, description="Removed sentences with numbers no fact supports.")
    source: str = Field("model", description="`model`, or `facts` when the model's text was unusable.")


def numbers_in(text: str) -> list[tuple[float, float]]:
    """Numbers in `text` as (value, step): 万 = 1e4 and 亿 = 1e8 are scaled, % stays a percent.

    The step is one unit of the last digit written, so "160万" has step 10,000 and "45.7%" has step 0.1.
    """
    found: list[tuple[float, float]] = []
    for digits, unit in _NUMBER.findall(text):
        cleaned = digits.replace(",", "")
        try:
            value = float(cleaned)
        except ValueError:
            continue
        decimals = len(cleaned.split(".")[1]) if "." in cleaned else 0
        scale = {"万": 1e4, "亿": 1e8}.get(unit, 1.0)
        found.append((value * scale, 10.0 ** (-decimals) * scale))
    return found


def _supported(value: float, step: float, allowed: list[float]) -> bool:
    # A number matches a fact within one step of its last written digit, so rounded
    # and truncated quotes pass; a sign dropped in prose ("下降 5%") passes too.
    for candidate in allowed:
        if abs(candidate - value) <= step or abs(abs(candidate) - abs(value)) <= step:
            return True
    return False


def allowed_numbers(facts: list[Fact], *, question: str, labels: list[str]) -> list[float]:
    allowed = [value for fact in facts for value in fact.values]
    for text in [question, *labels, *(fact.text for fact in facts)]:
        allowed.extend(value for value, _ in numbers_in(text))
    return allowed


def clean_narrative(text: str) -> str:
    """Flatten Markdown the model adds despite the prompt: headings, emphasis, list markers and numbering.

    A trailing fragment without closing punctuation (a reply cut by the token limit) is dropped.
    """
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        stripped = re.sub(r"^(\d+[.、)]|[-*•])\s*", "", stripped)
        lines.append(stripped.replace("**", "").replace("__", ""))
    flat = "".join(lines) if any("\u4e00" <= char <= "\u9fff" for char in text) else " ".join(lines)
    cut = max(flat.rfind(mark) for mark in "。！？.!?")
    return flat[: cut + 1] if cut >= 0 else flat


def verify_numbers(text: str, allowed: list[float]) -> tuple[str, list[str]]:
    """Keep the sentences whose numbers are all in `allowed`; return (kept text, removed sentences)."""
    kept: list[str] = []
    removed: list[str] = []
    for sentence in (part.strip() for part in _SENTENCE_END.split(text)):
        if not sentence:
            continue
        if all(_supported(value, step, allowed) for value, step in numbers_in(sentence)):
            kept.append(sentence)
        else:
            removed.append(sentence)
    joiner = "" if any("\u4e00" <= char <= "\u9fff" for char in "".join(kept)) else " "
    return joiner.join(kept), removed


def write_narrative(
    model: ModelClient,
    *,
    question: str,
    facts: list[Fact],
    labels: list[str],
    language: Language,
    max_tokens: int = 240,
) -> Narrative:
    """Ask the model for a narrative from `facts` and keep only what the facts support."""
    fallback = ("" if language == "zh" else " ").join(fact.text for fact in facts[:6])
    prompt = render_prompt("analytics", "narrative", language, question=question, facts=[fact.text for fact in facts])
    completion = model.generate(prompt, max_tokens=max_tokens, temperature=0.0)
    cleaned = clean_narrative(completion.text)
    text, removed = verify_numbers(cleaned, allowed_numbers(facts, question=question, labels=labels))
    if removed:
        logger.warning("narrative: removed %d sentences with numbers no fact supports", len(removed))
    if not text.strip():
        logger.warning("narrative: the model's text was unusable, the facts are used instead")
        return Narrative(text=fallback, unverified=removed, source="facts")
    return Narrative(text=text, unverified=removed, source="model")
