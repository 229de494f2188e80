"""Helpers for the knowledge tests: canned model replies and the test documents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from services.knowledge.categories import Category, builtin_categories

DATA = Path(__file__).resolve().parent.parent / "data" / "knowledge"


def reply_for(category: Category, **answers: tuple[str | None, Any]) -> str:
    """A JSON reply of the extraction schema: every field null except `answers` (name -> (quote, value))."""
    body = {field.name: {"quote": None, "value": None} for field in category.fields}
    for name, (quote, value) in answers.items():
        body[name] = {"quote": quote, "value": value}
    return json.dumps(body, ensure_ascii=False)


@pytest.fixture
def tariff() -> Category:
    return builtin_categories()["资费套餐"]


@pytest.fixture
def plan_1_text() -> str:
    return (DATA / "plan_1.md").read_text(encoding="utf-8")
