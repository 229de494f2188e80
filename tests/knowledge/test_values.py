"""Values read from text are converted to the field's type."""

from __future__ import annotations

from typing import Any

import pytest

from services.knowledge.categories import CategoryField, LocalText
from services.knowledge.values import ValueNotConvertible, convert_value, parse_quantity


def make_field(kind: str, unit: str | None = None) -> CategoryField:
    return CategoryField(name="f", label=LocalText(zh="字段"), type=kind, unit=unit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "unit", "raw", "expected"),
    [
        ("number", "GB", "三十GB", 30),
        ("number", "GB", "60GB", 60),
        ("number", "GB", "１５０ ＧＢ", 150),
        ("number", "GB", "500MB", 500 / 1024),
        ("number", "GB", "1TB", 1024),
        ("integer", "Mbps", "1000M", 1000),
        ("integer", "Mbps", "1G 光宽带", 1000),
        ("integer", "Mbps", "千兆宽带", 1000),
        ("number", "元", "１９９元", 199),
        ("number", "元", "月租二十九元", 29),
        ("number", "元", "1,280 元", 1280),
        ("number", "元", "5角", 0.5),
        ("integer", "张", "两张副卡", 2),
        ("integer", "张", "不可加办副卡", 0),
        ("integer", "分钟", "1000 分钟", 1000),
        ("integer", "分钟", "2小时", 120),
        ("integer", "月", "两年", 24),
        ("integer", "月", "24 个月", 24),
        ("number", None, 29.0, 29),
        ("integer", None, 12, 12),
    ],
)
def test_convert_number(kind: str, unit: str | None, raw: Any, expected: float) -> None:
    assert convert_value(make_field(kind, unit), raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("支持", True),
        ("需要加急", True),
        ("true", True),
        ("否", False),
        ("不支持", False),
        ("无", False),
        (False, False),
    ],
)
def test_convert_boolean(raw: Any, expected: bool) -> None:
    assert convert_value(make_field("boolean"), raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026年3月1日", "2026-03-01"),
        ("2026-3-1", "2026-03-01"),
        ("２０２６/０３/０１", "2026-03-01"),
        ("二〇二六年三月一日", "2026-03-01"),
        ("12月6日", "--12-06"),
    ],
)
def test_convert_date(raw: str, expected: str) -> None:
    assert convert_value(make_field("date"), raw) == expected


def test_convert_list_splits_text() -> None:
    assert convert_value(make_field("list[string]"), "营业厅、网上营业厅或客服热线") == [
        "营业厅",
        "网上营业厅",
        "客服热线",
    ]


def test_convert_string_folds_full_width() -> None:
    assert convert_value(make_field("string"), "ＡＰＰ专享１０元") == "APP专享10元"


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [("string", None, None), ("string", "", ""), ("list[string]", [], []), ("list[string]", None, None)],
)
def test_convert_keeps_not_stated_apart_from_empty(kind: str, raw: Any, expected: Any) -> None:
    assert convert_value(make_field(kind), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw"), [("integer", "0.15 元"), ("number", "面议"), ("boolean", "看情况"), ("date", "次日")]
)
def test_convert_invalid_raises(kind: str, raw: str) -> None:
    with pytest.raises(ValueNotConvertible):
        convert_value(make_field(kind), raw)


def test_parse_quantity_reads_first_number() -> None:
    assert parse_quantity("国内通用流量 60GB、通话 1000 分钟", "GB") == 60
