"""Citation markers: valid ones are kept and normalised, others removed and logged."""

import logging

import pytest

from services.writing.citations import check_citations, renumber


@pytest.mark.parametrize(
    ("text", "expected", "used", "removed"),
    [
        ("依法处理[1]。", "依法处理[1]。", [1], []),
        ("依法处理[9]。", "依法处理。", [], ["[9]"]),
        ("依法处理【2】。", "依法处理[2]。", [2], []),
        ("依法处理[1, 9]。", "依法处理[1]。", [1], ["[1, 9]"]),
        ("依法处理[1，2]和[2]。", "依法处理[1][2]和[2]。", [1, 2], []),
        ("Data is protected [^2].", "Data is protected [2].", [2], []),
        ("Data is protected [7].", "Data is protected.", [], ["[7]"]),
        ("无引用。", "无引用。", [], []),
    ],
)
def test_check_citations_cases(text: str, expected: str, used: list[int], removed: list[str]) -> None:
    checked = check_citations(text, {1, 2})

    assert checked.text == expected
    assert checked.used == used
    assert checked.removed == removed


def test_check_citations_logs_removed(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="services.writing.citations"):
        check_citations("见[5]。", {1}, context="draft d1 section 2")

    assert "draft d1 section 2" in caplog.text
    assert "[5]" in caplog.text


def test_renumber_maps_markers() -> None:
    assert renumber("甲[3]乙[1][3]", {3: 1, 1: 2}) == "甲[1]乙[2][1]"
