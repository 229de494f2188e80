"""End to end with the real embedded model: a cited Chinese draft, an edit, a structure imitation."""

import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from services.model.client import ModelClient
from services.writing.draft import write_draft
from services.writing.edit import stream_edit
from services.writing.export import to_docx
from services.writing.options import EditOptions, ExportOptions, WritingOptions
from services.writing.outline import generate_outline, iter_sections, number_sections, source_headings
from services.writing.schemas import EditRequest, Outline, OutlineSection
from tests.writing.conftest import OCEANGATE_PATH, PIPL_PATH, load

pytestmark = pytest.mark.real_model

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_real_draft_citations_resolve(embedded_model: ModelClient) -> None:
    references = [item.reference for item in load(PIPL_PATH)]
    sections = [OutlineSection(heading="个人信息处理的告知和同意", note="处理个人信息前应当告知并取得个人同意")]
    number_sections(sections)
    outline = Outline(id="o1", title="电信用户个人信息保护工作方案", document_type="plan", sections=sections)
    options = WritingOptions(passages_per_section=3, section_max_tokens=120, passage_quote_chars=300)

    draft = write_draft(embedded_model, outline=outline, references=references, options=options)

    text = draft.sections[0].text
    passage_ids = {passage.id for reference in references for passage in reference.passages}
    markers = {int(number) for number in re.findall(r"\[(\d+)\]", text)}
    assert len(CJK.findall(text)) > len(text) / 3
    assert markers <= {citation.number for citation in draft.citations}
    assert all(citation.passage_id in passage_ids for citation in draft.citations)
    document = docx.Document(io.BytesIO(to_docx(draft, ExportOptions(layout="official"))))
    assert all(run._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for run in p.runs)


def test_real_edit_polish_streams(embedded_model: ModelClient) -> None:
    request = EditRequest(
        selection="我们公司要把用户的个人信息保护好，不能随便给别人看。", before="为落实个人信息保护法，"
    )

    events = list(
        stream_edit(
            embedded_model, operation="polish", request=request, language="zh", options=EditOptions(max_tokens=80)
        )
    )

    deltas = [event for event in events if event.event == "delta"]
    replacement = events[-1].data["replacement"]
    assert len(deltas) > 1
    assert events[-1].event == "done"
    assert len(CJK.findall(replacement)) >= 5


def test_real_structure_imitation(embedded_model: ModelClient) -> None:
    references = load(OCEANGATE_PATH, structure=OCEANGATE_PATH)
    options = WritingOptions(max_sections=4, outline_max_tokens=300)

    outline = generate_outline(
        embedded_model,
        title="Blue Origin",
        requirements="",
        document_type="article",
        language="en",
        references=references,
        options=options,
    )

    source = source_headings(references[0].document, 4)
    produced = list(iter_sections(outline.sections))
    assert [section.level for section in produced] == [item.level for item in source]
    assert all(section.heading for section in produced)
