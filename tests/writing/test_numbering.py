"""Heading numbers: stripping model-written numbers and the official 一、（一）1.（1） scheme."""

import pytest

from services.writing.numbering import official_number, strip_heading_number


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("一、总体要求", "总体要求"),
        ("（二）主要任务", "主要任务"),
        ("(3) 保障措施", "保障措施"),
        ("1. 背景", "背景"),
        ("2.1 Founding", "Founding"),
        ("3、工作步骤", "工作步骤"),
        ("第一章 总则", "总则"),
        ("第二部分 工作任务", "工作任务"),
        ("第7部分", "第7部分"),
        ("IV. Results", "Results"),
        ("总则", "总则"),
        ("2023: Implosion of Titan", "2023: Implosion of Titan"),
        ("一、", "一、"),
    ],
)
def test_strip_heading_number_cases(heading: str, expected: str) -> None:
    assert strip_heading_number(heading) == expected


@pytest.mark.parametrize(
    ("level", "position", "expected"),
    [(1, 1, "一、"), (1, 12, "十二、"), (2, 3, "（三）"), (3, 2, "2."), (4, 5, "（5）"), (5, 1, "（1）")],
)
def test_official_number_levels(level: int, position: int, expected: str) -> None:
    assert official_number(level, position) == expected
