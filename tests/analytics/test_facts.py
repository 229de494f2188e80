"""Facts computed with pandas: totals, extremes, shares, growth, outliers."""

from __future__ import annotations

import pandas
import pytest

from services.analytics.facts import compute_facts, format_number


def _by_kind(facts, kind):  # type: ignore[no-untyped-def]
    return [fact for fact in facts if fact.kind == kind]


def test_facts_for_category_result() -> None:
    frame = pandas.DataFrame({"地区": ["华东", "华北", "华南", "西北"], "收入": [400.0, 300.0, 200.0, 100.0]})

    facts = compute_facts(frame)

    assert _by_kind(facts, "total")[0].values == [1000.0]
    assert _by_kind(facts, "max")[0].text == "收入 最高的是 华东，为 400。"
    assert _by_kind(facts, "min")[0].values == [100.0]
    assert _by_kind(facts, "share")[0].values == pytest.approx([40.0])
    assert _by_kind(facts, "top")[0].values[0] == pytest.approx(90.0)


def test_facts_growth_month_and_year() -> None:
    months = pandas.date_range("2024-01-01", periods=13, freq="MS")
    frame = pandas.DataFrame({"month": months, "revenue": [100.0 + index for index in range(12)] + [150.0]})

    facts = compute_facts(frame, language="en")

    mom = _by_kind(facts, "mom")[0]
    yoy = _by_kind(facts, "yoy")[0]
    assert mom.values == pytest.approx([150.0, 111.0, (150 - 111) / 111 * 100])
    assert yoy.values == pytest.approx([50.0, 100.0])
    assert "2025-01" in mom.text


def test_facts_growth_sums_categories_per_month() -> None:
    frame = pandas.DataFrame(
        {
            "month": pandas.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01", "2024-02-01"]),
            "region": ["a", "b", "a", "b"],
            "revenue": [10.0, 10.0, 15.0, 15.0],
        }
    )

    mom = _by_kind(compute_facts(frame), "mom")[0]

    assert mom.values[:2] == [30.0, 20.0]


def test_facts_find_outlier() -> None:
    frame = pandas.DataFrame({"地区": [f"r{index}" for index in range(10)], "投诉": [10.0] * 9 + [100.0]})

    outliers = _by_kind(compute_facts(frame), "outlier")

    assert [fact.values for fact in outliers] == [[100.0]]


def test_facts_empty_result() -> None:
    facts = compute_facts(pandas.DataFrame({"a": []}))

    assert [fact.text for fact in facts] == ["查询没有返回数据。"]


def test_facts_single_value() -> None:
    facts = compute_facts(pandas.DataFrame({"count": [42]}))

    assert [fact.kind for fact in facts] == ["rows", "value"]
    assert facts[1].values == [42.0]


@pytest.mark.parametrize(
    ("value", "text"), [(1234567.891, "1,234,568"), (12.345, "12.35"), (5.0, "5"), (-3.5, "-3.50")]
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text
