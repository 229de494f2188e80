"""Tests of `chunk_document`: offsets, sizes, sections, sentence boundaries and overlap."""

from __future__ import annotations

import pytest

from services.documents import Document, chunk_document, load_document
from services.documents.builder import DocumentBuilder
from tests.documents.sample_files import REGULATION_PATH, build_pdf, sample_files

SIZES = [(200, 0), (300, 60), (800, 100), (5000, 200)]
SENTENCE_ENDS = tuple("。！？；.!?")


@pytest.fixture(scope="module")
def regulation() -> Document:
    return load_document(REGULATION_PATH.read_bytes(), REGULATION_PATH.name)


def build(blocks: list[tuple[str, str, int | None]]) -> Document:
    builder = DocumentBuilder(filename="test.md", max_chars=100_000)
    for kind, text, level in blocks:
        builder.add(kind, text, level=level)  # type: ignore[arg-type]
    return builder.build(document_id="doc", document_format="markdown")


def sections_of(document: Document) -> list[tuple[int, int]]:
    """Return the spans from each run of headings to the next heading after other blocks."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    previous_kind = "heading"
    for block in document.blocks:
        if block.kind == "heading" and previous_kind != "heading" and start is not None:
            spans.append((start, block.start))
            start = None
        if start is None:
            start = block.start
        previous_kind = block.kind
    if start is not None:
        spans.append((start, len(document.text)))
    return spans


@pytest.mark.parametrize(("max_chars", "overlap_chars"), SIZES)
def test_chunk_offsets_and_sizes(regulation: Document, max_chars: int, overlap_chars: int) -> None:
    passages = chunk_document(regulation, max_chars=max_chars, overlap_chars=overlap_chars)

    assert passages
    for passage in passages:
        assert regulation.text[passage.start : passage.end] == passage.text, passage.id
        assert 0 < len(passage.text) <= max_chars, passage.id
        assert passage.text == passage.text.strip(), passage.id
        assert passage.document_id == regulation.id


@pytest.mark.parametrize(("max_chars", "overlap_chars"), SIZES)
def test_chunk_ids_sequential_and_unique(regulation: Document, max_chars: int, overlap_chars: int) -> None:
    passages = chunk_document(regulation, max_chars=max_chars, overlap_chars=overlap_chars)

    assert [passage.id for passage in passages] == [f"{regulation.id}#p{index}" for index in range(len(passages))]


@pytest.mark.parametrize(("max_chars", "overlap_chars"), SIZES)
def test_chunk_covers_every_block(regulation: Document, max_chars: int, overlap_chars: int) -> None:
    passages = chunk_document(regulation, max_chars=max_chars, overlap_chars=overlap_chars)

    covered = [False] * len(regulation.text)
    for passage in passages:
        for offset in range(passage.start, passage.end):
            covered[offset] = True

    for block in regulation.blocks:
        missing = [
            offset
            for offset in range(block.start, block.end)
            if not covered[offset] and not regulation.text[offset].isspace()
        ]
        assert not missing, f"block at {block.start} is not fully covered"


@pytest.mark.parametrize(("max_chars", "overlap_chars"), SIZES)
def test_chunk_stays_inside_sections(regulation: Document, max_chars: int, overlap_chars: int) -> None:
    passages = chunk_document(regulation, max_chars=max_chars, overlap_chars=overlap_chars)
    sections = sections_of(regulation)

    for passage in passages:
        inside = [start <= passage.start and passage.end <= end for start, end in sections]
        assert any(inside), f"{passage.id} crosses a section boundary"


@pytest.mark.parametrize(("max_chars", "overlap_chars"), SIZES)
def test_chunk_overlap_within_limit(regulation: Document, max_chars: int, overlap_chars: int) -> None:
    passages = chunk_document(regulation, max_chars=max_chars, overlap_chars=overlap_chars)

    for previous, current in zip(passages, passages[1:], strict=False):
        overlap = max(0, previous.end - current.start)
        assert overlap <= overlap_chars, current.id
        assert current.end > previous.end, f"{current.id} adds no new text"


def test_chunk_overlap_repeats_sentences(regulation: Document) -> None:
    passages = chunk_document(regulation, max_chars=300, overlap_chars=80)

    overlapping = [
        (previous, current)
        for previous, current in zip(passages, passages[1:], strict=False)
        if current.start < previous.end
    ]

    assert overlapping, "no passage repeats the end of the previous one"
    for previous, current in overlapping:
        repeated = regulation.text[current.start : previous.end]
        assert previous.text.endswith(repeated)


def test_chunk_ends_at_sentence_or_block(regulation: Document) -> None:
    block_ends = {block.end for block in regulation.blocks}

    passages = chunk_document(regulation, max_chars=250, overlap_chars=50)

    for passage in passages:
        ends_sentence = passage.text.endswith(SENTENCE_ENDS)
        assert ends_sentence or passage.end in block_ends, passage.id


def test_chunk_heading_path_of_section(regulation: Document) -> None:
    passages = chunk_document(regulation, max_chars=800, overlap_chars=100)

    (first_article,) = [passage for passage in passages if "第七条 国家对电信业务" in passage.text]

    assert first_article.heading_path == [
        "中华人民共和国电信条例",
        "第二章 电信市场",
        "第一节 电信业务许可",
    ]
    assert first_article.text.startswith("第二章 电信市场\n\n第一节 电信业务许可\n\n第七条")


def test_chunk_small_section_is_one_passage() -> None:
    document = build(
        [
            ("heading", "第一章 总则", 1),
            ("paragraph", "第一条 短条文。", None),
            ("heading", "第二章 附则", 1),
            ("paragraph", "第二条 另一条。", None),
        ]
    )

    passages = chunk_document(document, max_chars=500, overlap_chars=50)

    assert [passage.text for passage in passages] == [
        "第一章 总则\n\n第一条 短条文。",
        "第二章 附则\n\n第二条 另一条。",
    ]
    assert [passage.heading_path for passage in passages] == [["第一章 总则"], ["第二章 附则"]]


def test_chunk_splits_chinese_sentences() -> None:
    sentence = "电信业务经营者应当按照规定提供服务" * 2 + "。"  # 35 characters
    document = build([("paragraph", sentence * 6, None)])

    passages = chunk_document(document, max_chars=80, overlap_chars=0)

    assert [len(passage.text) for passage in passages] == [70, 70, 70]
    assert all(passage.text.endswith("。") for passage in passages)


def test_chunk_splits_english_sentences() -> None:
    text = "Operators must keep records. Users may complain! Is billing correct? Yes."
    document = build([("paragraph", text, None)])

    passages = chunk_document(document, max_chars=30, overlap_chars=0)

    assert [passage.text for passage in passages] == [
        "Operators must keep records.",
        "Users may complain!",
        "Is billing correct? Yes.",
    ]


def test_chunk_keeps_decimal_numbers_whole() -> None:
    document = build([("paragraph", "Speed is 2.5 Gbps. Latency is 1.2 ms.", None)])

    passages = chunk_document(document, max_chars=20, overlap_chars=0)

    assert [passage.text for passage in passages] == ["Speed is 2.5 Gbps.", "Latency is 1.2 ms."]


def test_chunk_cuts_sentence_longer_than_limit() -> None:
    long_sentence = "，".join(["电信网络安全"] * 40) + "。"
    document = build([("paragraph", long_sentence, None)])

    passages = chunk_document(document, max_chars=50, overlap_chars=0)

    assert len(passages) > 1
    assert all(len(passage.text) <= 50 for passage in passages)
    assert all(passage.text.startswith("电信") for passage in passages)
    assert "".join(passage.text for passage in passages) == long_sentence


def test_chunk_cuts_text_without_breaks() -> None:
    document = build([("paragraph", "x" * 105, None)])

    passages = chunk_document(document, max_chars=50, overlap_chars=10)

    assert [len(passage.text) for passage in passages] == [50, 50, 5]


def test_chunk_prefers_paragraph_end() -> None:
    document = build(
        [
            ("paragraph", "第一段第一句。第一段第二句。", None),
            ("paragraph", "第二段第一句。第二段第二句。第二段第三句。", None),
        ]
    )

    # The first paragraph (14 characters) and the next sentence would fit in 26
    # characters, but ending at the paragraph keeps the passage over half full.
    passages = chunk_document(document, max_chars=26, overlap_chars=0)

    assert passages[0].text == "第一段第一句。第一段第二句。"
    assert passages[1].text.startswith("第二段第一句。")


def test_chunk_pdf_passage_pages() -> None:
    pages = [[f"第{n}句话写在第{page}页上。" for n in range(1, 6)] for page in range(1, 4)]
    document = load_document(build_pdf(pages), "pages.pdf")

    passages = chunk_document(document, max_chars=60, overlap_chars=0)

    assert passages[0].page == 1
    assert {passage.page for passage in passages} == {1, 2, 3}
    for passage in passages:
        first_sentence = passage.text.split("。")[0]
        assert f"第{passage.page}页" in first_sentence, passage.id


@pytest.mark.parametrize("filename", list(sample_files()))
def test_chunk_every_format(filename: str) -> None:
    document = load_document(sample_files()[filename], filename)

    passages = chunk_document(document, max_chars=40, overlap_chars=10)

    assert passages
    for passage in passages:
        assert document.text[passage.start : passage.end] == passage.text
        assert len(passage.text) <= 40


def test_chunk_heading_only_document() -> None:
    document = build([("heading", "只有标题", 1)])

    passages = chunk_document(document)

    assert [passage.text for passage in passages] == ["只有标题"]
    assert passages[0].heading_path == ["只有标题"]


@pytest.mark.parametrize(
    ("max_chars", "overlap_chars"),
    [(0, 0), (100, 100), (100, -1), (100, 150)],
)
def test_chunk_rejects_invalid_sizes(max_chars: int, overlap_chars: int) -> None:
    document = build([("paragraph", "text", None)])

    with pytest.raises(ValueError):
        chunk_document(document, max_chars=max_chars, overlap_chars=overlap_chars)
