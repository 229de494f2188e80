"""The meetings templates render in both languages."""

from services.core.prompts import render_prompt

TEMPLATE_VARIABLES: dict[str, dict[str, object]] = {
    "meetings/system": {},
    "meetings/chunk": {
        "part": 1,
        "parts": 2,
        "span": "00:00:00–00:10:00",
        "lines": "[1] 00:00:05 王经理：开会。",
        "first_line": 1,
        "last_line": 1,
    },
    "meetings/merge": {"parts": 2, "summaries": ["第一段", "第二段"]},
}


def test_merge_lists_every_summary() -> None:
    text = render_prompt("meetings", "merge", "en", parts=2, summaries=["alpha", "beta"])

    assert "Part 1: alpha" in text
    assert "Part 2: beta" in text
