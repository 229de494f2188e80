"""The writing service's templates render in both languages and contain their rules."""

import pytest

from services.core.prompts import render_prompt

PASSAGE = {"number": 1, "source": "个人信息保护法.md > 第一章 总则", "text": "第一条 为了保护个人信息权益……"}

TEMPLATE_VARIABLES: dict[str, dict[str, object]] = {
    "writing/system": {},
    "writing/edit_system": {},
    "writing/outline": {
        "title": "电信用户个人信息保护工作方案",
        "requirements": "面向省公司",
        "document_type": "方案",
        "reference_headings": ["pipl.md: 第一章 总则"],
        "max_sections": 6,
    },
    "writing/structure": {
        "title": "Blue Origin",
        "requirements": "",
        "document_type": "article",
        "source_headings": [{"level": 1, "heading": "History"}, {"level": 2, "heading": "Founding"}],
    },
    "writing/section": {
        "title": "电信用户个人信息保护工作方案",
        "document_type": "方案",
        "requirements": "",
        "heading": "总体要求",
        "note": "工作目标",
        "earlier": [{"heading": "背景", "summary": "近年来……"}],
        "passages": [PASSAGE],
        "max_chars": 120,
    },
    "writing/edit": {
        "operation": "改写",
        "operation_key": "rewrite",
        "style": "正式公文",
        "selection": "我们要保护好用户信息。",
        "before": "前文。",
        "after": "后文。",
    },
}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_system_prompt_marks_references_as_data(language: str) -> None:
    text = render_prompt("writing", "system", language)  # type: ignore[arg-type]

    assert "<reference>" in text
    assert ("忽略以上要求" in text) if language == "zh" else ("ignore the above" in text)


@pytest.mark.parametrize("operation", ["expand", "continue", "rewrite", "polish", "shorten"])
def test_edit_prompt_has_operation_rule(operation: str) -> None:
    variables = {**TEMPLATE_VARIABLES["writing/edit"], "operation_key": operation}

    text = render_prompt("writing", "edit", "zh", **variables)

    assert {"expand": "扩写：", "continue": "续写：", "rewrite": "改写：", "polish": "润色：", "shorten": "缩写："}[
        operation
    ] in text


def test_section_prompt_delimits_passages() -> None:
    text = render_prompt("writing", "section", "zh", **TEMPLATE_VARIABLES["writing/section"])

    assert '<reference id="[1]" source="个人信息保护法.md > 第一章 总则">' in text
    assert "背景：近年来" in text


def test_structure_prompt_lists_levels() -> None:
    text = render_prompt("writing", "structure", "en", **TEMPLATE_VARIABLES["writing/structure"])

    assert "[level 2] Founding" in text
    assert "exactly 2 sections, section_1 to section_2" in text
