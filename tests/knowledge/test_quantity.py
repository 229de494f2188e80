"""A number given with a prompt-echo quote is grounded by its value, unit and nearby label."""

from __future__ import annotations

import pytest

from services.knowledge.categories import Category
from services.knowledge.grounding import SourceText
from services.knowledge.quantity import label_pieces, locate_quantity
from tests.knowledge.conftest import DATA


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("monthly_fee_yuan", 199, "199 元"),
        ("national_data_gb", 60, "60GB"),
        ("voice_minutes", 1000, "1000 分钟"),
        ("broadband_mbps", 1000, "1000M"),
        ("contract_months", 24, "24 个月"),
        ("targeted_data_gb", 60, None),
        ("monthly_fee_yuan", 0, None),
        ("voice_minutes", "很多", None),
    ],
)
def test_locate_quantity_plan_1(tariff: Category, name: str, raw: object, expected: str | None) -> None:
    source = SourceText((DATA / "plan_1.md").read_text(encoding="utf-8"))
    field = tariff.field(name)
    assert field is not None

    evidence = locate_quantity(field, source, raw, (0, len(source.text)), label_pieces(tariff)[name])

    assert (evidence.text if evidence else None) == expected
    if evidence is not None:
        assert source.text[evidence.start : evidence.end] == evidence.text


def test_label_pieces_drop_shared(tariff: Category) -> None:
    pieces = label_pieces(tariff)

    assert "流量" not in pieces["targeted_data_gb"]
    assert "定向" in pieces["targeted_data_gb"]
