"""Outline generation: from a title and references, or by imitating a reference's heading structure."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, Field, create_model

from services.core.errors import InvalidInputError
from services.core.prompts import render_prompt
from services.documents import Document, HeadingNode
from services.model.client import ModelClient
from services.model.errors import ModelRetry
from services.writing.numbering import strip_heading_number
from services.writing.options import WritingOptions
from services.writing.references import LoadedReference
from services.writing.retrieval import HybridRetriever
from services.writing.schemas import DOCUMENT_TYPE_LABELS, DocumentType, Language, Outline, OutlineSection

logger = logging.getLogger(__name__)

# Headings of the references shown to the model when it plans an outline without a structure model.
MAX_REFERENCE_HEADINGS = 20
# Passages assigned to each outline section.
PASSAGES_PER_OUTLINE_SECTION = 3


class PlannedSection(BaseModel):
    """One section as the model plans it.

    The prompt requests levels 1 and 2 only. With `le=2` in the schema, the
    embedded model (llama-cpp-python's JSON-schema response format) still
    returned level 3 on all three attempts in one run, so any level above 1 is
    accepted and nested as level 2 by `build_tree`.
    """

    level: int = Field(ge=1, le=9)
    heading: str = Field(min_length=1, max_length=80)
    note: str = Field(default="", max_length=200)


class OutlinePlan(BaseModel):
    sections: list[PlannedSection] = Field(min_length=1)


class SourceHeading(BaseModel):
    """A heading of the structure model, with its level counted from 1."""

    level: int
    heading: str


def generate_outline(
    model: ModelClient,
    *,
    title: str,
    requirements: str,
    document_type: DocumentType,
    language: Language,
    references: list[LoadedReference],
    options: WritingOptions,
    embeddings: Embeddings | None = None,
) -> Outline:
    """Plan an outline; with a structure model, map the new topic onto that reference's headings."""
    title = title.strip()
    if not title:
        raise InvalidInputError("writing.empty_title")

    structure = next((loaded for loaded in references if loaded.reference.structure_model), None)
    type_label = DOCUMENT_TYPE_LABELS[document_type][language]
    if structure is not None:
        headings = source_headings(structure.document, options.max_sections)
        if not headings:
            raise InvalidInputError("writing.structure_model_no_headings", filename=structure.document.filename)
        logger.info("outline for %r imitates %s (%d headings)", title, structure.document.filename, len(headings))
        plan = _map_structure(model, title, requirements, type_label, language, headings, options)
    else:
        logger.info("outline for %r planned from %d references", title, len(references))
        plan = _plan_outline(model, title, requirements, type_label, language, references, options)

    sections = build_tree(plan.sections)
    retriever = HybridRetriever(
        [passage for loaded in references for passage in loaded.reference.passages],
        embeddings=embeddings,
        rrf_k=options.rrf_k,
    )
    assign_passages(sections, retriever, title=title)
    return Outline(
        title=title,
        document_type=document_type,
        language=language,
        requirements=requirements,
        structure_source=structure.document.filename if structure else None,
        sections=sections,
    )


def _plan_outline(
    model: ModelClient,
    title: str,
    requirements: str,
    type_label: str,
    language: Language,
    references: list[LoadedReference],
    options: WritingOptions,
) -> OutlinePlan:
    reference_headings = [
        f"{loaded.document.filename}: {node.title}"
        for loaded in references
        for node in _walk(loaded.document.headings())
    ][:MAX_REFERENCE_HEADINGS]
    prompt = render_prompt(
        "writing",
        "outline",
        language,
        title=title,
        requirements=requirements,
        document_type=type_label,
        reference_headings=reference_headings,
        max_sections=options.max_sections,
    )

    def check(plan: OutlinePlan) -> None:
        if plan.sections[0].level != 1:
            raise ModelRetry("the first section must have level 1")

    plan = model.structured(
        OutlinePlan, prompt, language=language, max_tokens=options.outline_max_tokens, validate=check
    )
    # Small models often list more sections than requested, and asking again
    # rarely helps, so the extra sections are cut and the caller may edit the outline.
    if len(plan.sections) > options.max_sections:
        logger.info(
            "outline for %r had %d sections; kept the first %d", title, len(plan.sections), options.max_sections
        )
        plan.sections = plan.sections[: options.max_sections]
    return plan


def _map_structure(
    model: ModelClient,
    title: str,
    requirements: str,
    type_label: str,
    language: Language,
    headings: list[SourceHeading],
    options: WritingOptions,
) -> OutlinePlan:
    prompt = render_prompt(
        "writing",
        "structure",
        language,
        title=title,
        requirements=requirements,
        document_type=type_label,
        source_headings=headings,
    )

    reply = model.structured(
        mapped_outline_type(len(headings)), prompt, language=language, max_tokens=options.outline_max_tokens
    )
    # The levels come from the model document; the reply carries only headings and notes.
    mapped = [getattr(reply, f"section_{index}") for index in range(1, len(headings) + 1)]
    return OutlinePlan(
        sections=[
            PlannedSection(level=source.level, heading=item.heading, note=item.note)
            for item, source in zip(mapped, headings, strict=True)
        ]
    )


class MappedHeading(BaseModel):
    """The new heading for one heading of the structure model."""

    heading: str = Field(min_length=1, max_length=80)
    note: str = Field(default="", max_length=200)


def mapped_outline_type(count: int) -> type[BaseModel]:
    """Build a reply type with required fields `section_1` ... `section_<count>`.

    A list could come back with the wrong length, and small models often drop
    or repeat a section. Named required fields make the JSON schema itself fix
    the count, so constrained decoding cannot return too few or too many.
    """
    fields: dict[str, Any] = {f"section_{index}": (MappedHeading, ...) for index in range(1, count + 1)}
    return create_model("MappedOutline", **fields)


def source_headings(document: Document, max_sections: int) -> list[SourceHeading]:
    """Flatten the top two levels of `document`'s heading tree, in order, up to `max_sections`.

    A single top heading with children (a document title, such as "# 中华人民共和国个人信息保护法")
    is skipped so that its children become the top level. Headings named
    References or 参考文献 end the list, because they are no content sections.
    """
    roots = document.headings()
    while len(roots) == 1 and roots[0].children:
        roots = roots[0].children

    flat: list[SourceHeading] = []
    for root in roots:
        if _is_back_matter(root.title):
            break
        flat.append(SourceHeading(level=1, heading=strip_heading_number(root.title)))
        for child in root.children:
            flat.append(SourceHeading(level=2, heading=strip_heading_number(child.title)))
    return flat[:max_sections]


def _is_back_matter(title: str) -> bool:
    return title.strip().lower() in {"references", "see also", "external links", "notes", "参考文献", "附录"}


def _walk(nodes: list[HeadingNode]) -> Iterator[HeadingNode]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def build_tree(planned: list[PlannedSection]) -> list[OutlineSection]:
    """Nest a flat list of leveled sections: a level-2 section goes under the nearest level-1 one before it."""
    roots: list[OutlineSection] = []
    for item in planned:
        section = OutlineSection(heading=strip_heading_number(item.heading), note=item.note.strip(), level=1)
        if item.level > 1 and roots:
            section.level = 2
            roots[-1].children.append(section)
        else:
            roots.append(section)
    number_sections(roots)
    return roots


def number_sections(sections: list[OutlineSection], prefix: str = "", level: int = 1) -> None:
    """Set each section's `id` ("2.1") and `level` from its place in the tree."""
    for position, section in enumerate(sections, start=1):
        section.id = f"{prefix}{position}"
        section.level = min(level, 4)
        number_sections(section.children, f"{section.id}.", level + 1)


def iter_sections(sections: list[OutlineSection]) -> Iterator[OutlineSection]:
    """Yield every section in reading order (a parent before its children)."""
    for section in sections:
        yield section
        yield from iter_sections(section.children)


def assign_passages(sections: list[OutlineSection], retriever: HybridRetriever, *, title: str) -> None:
    """Give each section without assigned passages the best passages for its heading and note."""
    for section in iter_sections(sections):
        if section.passage_ids:
            continue
        query = f"{title} {section.heading} {section.note}"
        hits = retriever.search(query, PASSAGES_PER_OUTLINE_SECTION)
        section.passage_ids = [passage.id for passage in hits]


def check_outline(outline: Outline) -> None:
    """Raise a 422 error when the outline has no section to write."""
    if not outline.sections:
        raise InvalidInputError("writing.outline_empty", outline_id=outline.id or "-")
