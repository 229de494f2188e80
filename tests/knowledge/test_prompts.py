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
                "description": "主卡每月费用",
            }
        ],
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
