"""Outline planning and structure imitation with the fake model."""

import pytest

from services.core.errors import InvalidInputError
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from services.writing.options import WritingOptions
from services.writing.outline import (
    PlannedSection,
    build_tree,
    check_outline,
    generate_outline,
    iter_sections,
    source_headings,
)
from services.writing.schemas import Outline
from tests.writing.conftest import OCEANGATE_PATH, PIPL_PATH, TELECOM_PATH, load, mapped_reply, plan_reply

OPTIONS = WritingOptions(max_sections=8)


def outline_for(model: ModelClient, references, **overrides) -> Outline:  # type: ignore[no-untyped-def]
    arguments = {
        "title": "电信用户个人信息保护工作方案",
        "requirements": "",
        "document_type": "plan",
        "language": "zh",
        "references": references,
        "options": OPTIONS,
    }
    arguments.update(overrides)
    return generate_outline(model, **arguments)  # type: ignore[arg-type]


def test_source_headings_oceangate() -> None:
    document = load(OCEANGATE_PATH)[0].document

    headings = source_headings(document, 20)

    assert [(item.level, item.heading) for item in headings[:3]] == [
        (1, "Background"),
        (1, "History"),
        (2, "2009–2013: Founding and acquisition of Antipodes"),
    ]
    assert "References" not in [item.heading for item in headings]


def test_source_headings_skip_title_root() -> None:
    document = load(TELECOM_PATH)[0].document

    headings = source_headings(document, 3)

    assert headings[0].heading == "总则"
    assert headings[0].level == 1
    assert len(headings) == 3


def test_build_tree_nests_level_two() -> None:
    sections = build_tree(
        [
            PlannedSection(level=1, heading="一、总体要求", note="a"),
            PlannedSection(level=2, heading="（一）工作目标", note="b"),
            PlannedSection(level=1, heading="主要任务", note="c"),
        ]
    )

    assert [section.heading for section in sections] == ["总体要求", "主要任务"]
    assert sections[0].children[0].heading == "工作目标"
    assert sections[0].children[0].id == "1.1"
    assert sections[0].children[0].level == 2


def test_build_tree_orphan_level_two_becomes_top() -> None:
    sections = build_tree(
        [PlannedSection(level=2, heading="背景", note=""), PlannedSection(level=3, heading="现状", note="")]
    )

    assert sections[0].level == 1
    assert sections[0].children[0].level == 2


def test_generate_outline_assigns_passages(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(plan_reply((1, "个人信息处理规则", "告知同意"), (1, "个人信息跨境提供", "出境规则")))

    outline = outline_for(fake_model, load(PIPL_PATH))

    assert [section.heading for section in outline.sections] == ["个人信息处理规则", "个人信息跨境提供"]
    assert all(section.passage_ids for section in outline.sections)
    assert all(passage_id.count("#p") == 1 for passage_id in outline.sections[1].passage_ids)


def test_generate_outline_shows_reference_headings(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(plan_reply((1, "总体要求", "")))

    outline_for(fake_model, load(PIPL_PATH))

    assert "第二章 个人信息处理规则" in fake_chat.calls[0].prompt
    assert "方案一般包括" in fake_chat.calls[0].prompt


def test_generate_outline_cuts_extra_sections(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(plan_reply(*[(1, f"第{index}部分", "") for index in range(10)]))

    outline = outline_for(fake_model, [])

    assert len(fake_chat.calls) == 1
    assert len(outline.sections) == 8
    assert outline.sections[-1].heading == "第7部分"


def test_generate_outline_retries_level_two_first(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(plan_reply((2, "工作目标", "")), plan_reply((1, "总体要求", "")))

    outline = outline_for(fake_model, [])

    assert "the first section must have level 1" in fake_chat.calls[1].prompt
    assert outline.sections[0].heading == "总体要求"


def test_structure_model_maps_headings(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    references = load(OCEANGATE_PATH, structure=OCEANGATE_PATH)
    source = source_headings(references[0].document, 8)
    wrong_count = mapped_reply("Background")
    mapped = mapped_reply(*[item.heading.replace("Titan", "New Shepard") for item in source])
    fake_chat.queue(wrong_count, mapped)

    outline = outline_for(fake_model, references, title="Blue Origin", language="en", document_type="article")

    flat = list(iter_sections(outline.sections))
    assert [section.level for section in flat] == [item.level for item in source]
    assert flat[0].heading == "Background"
    assert outline.structure_source == "OceanGate.md"
    assert "[level 2] 2009–2013: Founding and acquisition of Antipodes" in fake_chat.calls[0].prompt
    assert f"section_{len(source)}: Field required" in fake_chat.calls[1].prompt
    assert flat[-1].heading == source[-1].heading.replace("Titan", "New Shepard")


def test_structure_model_without_headings_rejected(fake_model: ModelClient) -> None:
    from services.writing.references import ReferenceSource, load_references
    from tests.writing.conftest import WRITING_DOCUMENT_OPTIONS

    flat = load_references(
        [ReferenceSource("plain.txt", "只有一段文字，没有标题。".encode(), structure_model=True)],
        options=WRITING_DOCUMENT_OPTIONS,
        max_references=5,
    )

    with pytest.raises(InvalidInputError) as caught:
        outline_for(fake_model, flat)

    assert caught.value.code == "writing.structure_model_no_headings"
    assert "plain.txt" in caught.value.message("en")


def test_generate_outline_empty_title(fake_model: ModelClient) -> None:
    with pytest.raises(InvalidInputError) as caught:
        outline_for(fake_model, [], title="  ")

    assert caught.value.code == "writing.empty_title"


def test_check_outline_empty_sections() -> None:
    with pytest.raises(InvalidInputError) as caught:
        check_outline(Outline(id="o1", title="t", sections=[]))

    assert caught.value.status == 422
    assert "o1" in caught.value.message("zh")


def test_outline_accepts_chinese_type() -> None:
    outline = Outline.model_validate({"title": "t", "document_type": "请示", "sections": []})

    assert outline.document_type == "request"
