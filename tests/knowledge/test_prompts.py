"""The knowledge templates render in both languages."""

import pytest

from services.core.prompts import render_prompt

# Variables for each template, keyed by `<service>/<task>`; both languages share them.
TEMPLATE_VARIABLES: dict[str, dict[str, object]] = {
    "knowledge/extract_system": {"category": "资费套餐"},
    "knowledge/extract": {
        "text": "月租 29 元。",
        "fields": [
            {
                "name": "monthly_fee_yuan",
                "label": "月功能费（元）",
                "type": "数字",
                "unit": "元",
                "max_chars": None,
                "description": "主卡每月费用",
            },
            {
                "name": "customer_name",
                "label": "客户称呼",
                "type": "文本",
                "unit": None,
                "max_chars": 8,
                "description": "客户的姓名或称呼本身",
            },
        ],
    },
    "knowledge/extract_field": {
        "text": "月租 29 元。国内通话超出部分 0.1 元/分钟。",
        "field": {
            "name": "voice_overage",
            "label": "超出后通话资费",
            "type": "文本",
            "unit": None,
            "max_chars": None,
            "description": "",
        },
        "hints": ["国内通话超出部分 0.1 元/分钟"],
        "problem": "上一次的 quote「超出后通话资费」不是原文中的文字。",
    },
    "knowledge/extract_problem": {
        "kind": "quote_not_found",
        "quote": "超出后通话资费",
        "value": None,
        "max_chars": None,
    },
    "knowledge/answer": {"question": "月租多少？", "sources": [{"number": 1, "text": "月租 29 元。"}]},
    "knowledge/baseline": {
        "text": "月租 29 元。",
        "fields": [{"name": "monthly_fee_yuan", "label": "月功能费（元）", "type": "number"}],
    },
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_extract_template_fences_document(language: str) -> None:
    text = render_prompt("knowledge", "extract", language, **TEMPLATE_VARIABLES["knowledge/extract"])  # type: ignore[arg-type]

    assert text.index("<document>") < text.index("月租 29 元。") < text.index("</document>")
    assert "monthly_fee_yuan" in text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_extract_field_template_puts_document_first(language: str) -> None:
    text = render_prompt("knowledge", "extract_field", language, **TEMPLATE_VARIABLES["knowledge/extract_field"])  # type: ignore[arg-type]

    assert text.startswith("<document>")
    assert text.index("</document>") < text.index("voice_overage")
    assert "国内通话超出部分 0.1 元/分钟" in text.split("</document>")[1]


@pytest.mark.parametrize("kind", ["no_quote", "quote_not_found", "no_value_in_quote", "value_not_in_quote", "other"])
def test_extract_problem_names_quote(kind: str) -> None:
    text = render_prompt("knowledge", "extract_problem", "zh", kind=kind, quote="月租 99 元", value="99")

    assert text
    if kind in {"quote_not_found", "no_value_in_quote", "value_not_in_quote"}:
        assert "月租 99 元" in text


@pytest.mark.parametrize("language", ["zh", "en"])
def test_extract_template_states_length_limit(language: str) -> None:
    text = render_prompt("knowledge", "extract", language, **TEMPLATE_VARIABLES["knowledge/extract"])  # type: ignore[arg-type]

    line = next(line for line in text.splitlines() if "customer_name" in line)
    fee = next(line for line in text.splitlines() if "monthly_fee_yuan" in line)
    assert "8" in line
    assert "8" not in fee


@pytest.mark.parametrize("language", ["zh", "en"])
def test_extract_problem_too_long_and_bare_answer(language: str) -> None:
    too_long = render_prompt(
        "knowledge", "extract_problem", language, kind="value_too_long", quote="", value="您好，我是张先生", max_chars=8
    )
    bare = render_prompt("knowledge", "extract_problem", language, kind="bare_answer", quote="是", value=True)

    assert "您好，我是张先生" in too_long
    assert "8" in too_long
    assert "「是」" in bare or '"是"' in bare
