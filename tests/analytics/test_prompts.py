"""The analytics prompt templates render in both languages."""

from __future__ import annotations

import pytest

from services.core.prompts import render_prompt

TEMPLATE_VARIABLES: dict[str, dict[str, object]] = {
    "analytics/sql": {
        "dialect": "sqlite",
        "schema": "CREATE TABLE orders (\n  id INTEGER PRIMARY KEY\n);",
        "terms": [{"term": "ARPU", "meaning": "每用户平均收入", "sql_fragment": "SUM(revenue) / SUM(subscribers)"}],
        "examples": [{"question": "订单数", "sql": "SELECT COUNT(*) FROM orders"}],
        "history": [{"question": "各地区订单数", "sql": "SELECT region, COUNT(*) FROM orders GROUP BY region"}],
        "question": "只看华东",
    },
    "analytics/sql_fix": {"error": "Column 'price' could not be resolved"},
    "analytics/narrative": {"question": "各地区收入", "facts": ["收入 合计 1,000。", "华东 占 40.0%。"]},
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_sql_prompt_contains_context(language: str) -> None:
    text = render_prompt("analytics", "sql", language, **TEMPLATE_VARIABLES["analytics/sql"])  # type: ignore[arg-type]

    assert "CREATE TABLE orders" in text
    assert "ARPU" in text
    assert "SELECT COUNT(*) FROM orders" in text
    assert "SELECT region, COUNT(*) FROM orders GROUP BY region" in text
    assert text.rstrip().endswith("只看华东")
    assert "strftime" in text


@pytest.mark.parametrize("dialect", ["sqlite", "duckdb", "postgresql", "mysql"])
def test_sql_prompt_names_dialect(dialect: str) -> None:
    variables = {**TEMPLATE_VARIABLES["analytics/sql"], "dialect": dialect, "terms": [], "examples": [], "history": []}

    text = render_prompt("analytics", "sql", "zh", **variables)  # type: ignore[arg-type]

    assert text.startswith(f"你是 {dialect} SQL 专家")
    assert "业务术语" not in text
