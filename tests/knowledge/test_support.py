"""Reading numbers from evidence: a field with a unit only takes numbers written with a unit of its kind."""

from __future__ import annotations

import pytest

from services.knowledge.categories import Category
from services.knowledge.support import quantities, value_from_evidence
from services.knowledge.values import ValueNotConvertible


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("赠送 1000M 光宽带一条", "Mbps", [1000.0]),
        ("光宽带一条及智能组网服务", "Mbps", []),
        ("千兆宽带一条", "Mbps", [1000.0]),
        ("可加办 2 张副卡，每张 10 元", "张", [2.0]),
        ("签约期 12 个月，每月 399 元", "月", [12.0]),
    ],
)
def test_quantities_with_unit(text: str, unit: str, expected: list[float]) -> None:
    assert quantities(text, unit, with_unit=True) == expected


def test_quantities_without_unit_keep_every_number() -> None:
    assert quantities("光宽带一条", "Mbps") == [1.0]


def test_value_from_evidence_needs_unit(tariff: Category) -> None:
    field = tariff.field("broadband_mbps")
    assert field is not None

    assert value_from_evidence(field, "赠送 500M 企业宽带一条") == 500
    with pytest.raises(ValueNotConvertible):
        value_from_evidence(field, "光宽带一条及智能组网服务")
