"""Stored outlines and documents on SQLite and PostgreSQL."""

import pytest

from services.core.db import Database
from services.core.errors import InvalidInputError, NotFoundError
from services.writing.outline import iter_sections
from services.writing.schemas import Citation, Draft, DraftSection, Outline, OutlineSection, OutlineUpdate
from tests.writing.conftest import PIPL_PATH, load


def stored_outline(store):  # type: ignore[no-untyped-def]
    outline = Outline(
        title="电信用户个人信息保护工作方案",
        document_type="plan",
        sections=[OutlineSection(id="1", heading="总体要求", note="目标", passage_ids=["x#p1"])],
    )
    return store.create_outline(outline, [load(PIPL_PATH)[0].reference], owner="key1")


@pytest.fixture
def store(database: Database):  # type: ignore[no-untyped-def]
    from services.writing.store import WritingStore

    return WritingStore(database)


def test_create_outline_round_trip(store) -> None:  # type: ignore[no-untyped-def]
    created = stored_outline(store)

    outline, references, version = store.get_outline(created.id, owner="key1")

    assert outline.sections[0].heading == "总体要求"
    assert outline.sections[0].passage_ids == ["x#p1"]
    assert references[0].filename == PIPL_PATH.name
    assert len(references[0].passages) > 10
    assert version == 1


def test_get_outline_other_owner_hidden(store) -> None:  # type: ignore[no-untyped-def]
    created = stored_outline(store)

    with pytest.raises(NotFoundError):
        store.get_outline(created.id, owner="key2")


def test_update_outline_replaces_sections(store) -> None:  # type: ignore[no-untyped-def]
    created = stored_outline(store)
    update = OutlineUpdate(
        title="新标题",
        sections=[
            OutlineSection(heading="背景", children=[OutlineSection(heading="现状")]),
            OutlineSection(heading="任务"),
        ],
    )

    store.update_outline(created.id, update, owner="key1")
    outline, _references, version = store.get_outline(created.id, owner=None)

    assert outline.title == "新标题"
    assert [section.id for section in iter_sections(outline.sections)] == ["1", "1.1", "2"]
    assert outline.sections[0].children[0].level == 2
    assert version == 2


def test_update_outline_empty_keeps_stored(store) -> None:  # type: ignore[no-untyped-def]
    created = stored_outline(store)

    with pytest.raises(InvalidInputError) as caught:
        store.update_outline(created.id, OutlineUpdate(sections=[]), owner="key1")
    outline, _references, version = store.get_outline(created.id, owner="key1")

    assert caught.value.code == "writing.outline_empty"
    assert outline.sections[0].heading == "总体要求"
    assert version == 1


def test_save_draft_round_trip(store) -> None:  # type: ignore[no-untyped-def]
    created = stored_outline(store)
    draft = Draft(
        outline_id=created.id,
        title="t",
        sections=[DraftSection(section_id="1", heading="总体要求", level=1, text="正文。")],
        citations=[],
    )

    saved = store.save_draft(draft, outline_version=1, owner="key1")

    assert store.get_document(saved.id, owner="key1").sections[0].text == "正文。"


def test_get_document_missing(store) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFoundError) as caught:
        store.get_document("nope", owner=None)

    assert caught.value.code == "writing.document_not_found"


def cited_draft(outline_id: str | None, passage_id: str) -> Draft:
    return Draft(
        outline_id=outline_id,
        title="t",
        sections=[DraftSection(section_id="1", heading="总体要求", level=1, text="正文[1]。", citations=[1])],
        citations=[Citation(number=1, passage_id=passage_id, filename=PIPL_PATH.name, excerpt="摘录")],
    )


def test_cited_passage_whole_text(store) -> None:  # type: ignore[no-untyped-def]
    created = stored_outline(store)
    _outline, references, _version = store.get_outline(created.id, owner="key1")
    passage = references[0].passages[3]
    saved = store.save_draft(cited_draft(created.id, passage.id), outline_version=1, owner="key1")

    cited = store.get_cited_passage(saved.id, 1, owner="key1")

    assert cited.text == passage.text
    assert (cited.start, cited.end) == (passage.start, passage.end)
    assert cited.heading_path == passage.heading_path
    assert cited.filename == PIPL_PATH.name
    assert cited.document_id == references[0].document_id


def test_cited_passage_other_owner_hidden(store) -> None:  # type: ignore[no-untyped-def]
    created = stored_outline(store)
    _outline, references, _version = store.get_outline(created.id, owner="key1")
    saved = store.save_draft(cited_draft(created.id, references[0].passages[0].id), outline_version=1, owner="key1")

    with pytest.raises(NotFoundError) as caught:
        store.get_cited_passage(saved.id, 1, owner="key2")

    assert caught.value.code == "writing.document_not_found"


def test_cited_passage_without_outline_missing(store) -> None:  # type: ignore[no-untyped-def]
    saved = store.save_draft(cited_draft(None, "doc#p0"), outline_version=1, owner=None)

    with pytest.raises(NotFoundError) as caught:
        store.get_cited_passage(saved.id, 1, owner=None)

    assert caught.value.code == "writing.citation_passage_missing"
