"""Extract a category's fields from a document: chunk, ask the model, ground, convert, merge."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from services.core.i18n import Language
from services.core.prompts import render_prompt
from services.documents import Document, chunk_document
from services.knowledge.categories import Category
from services.knowledge.followup import ask_followups
from services.knowledge.grounding import SourceText
from services.knowledge.injection import instruction_spans
from services.knowledge.merge import merge_candidates
from services.knowledge.options import ExtractionOptions
from services.knowledge.proposals import ProposalJudge
from services.knowledge.quantity import label_pieces
from services.knowledge.results import ExtractionResult, FieldCandidate
from services.knowledge.schema import answers_of, build_output_model
from services.knowledge.separate import separate_text_fields
from services.model.client import ModelClient

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[float, str], None]

_BRACKETED = re.compile(r"（[^）]*）|\([^)]*\)")

_TYPE_NAMES: dict[Language, dict[str, str]] = {
    "zh": {
        "string": "文本",
        "number": "数字",
        "integer": "整数",
        "boolean": "是/否",
        "date": "日期",
        "list[string]": "文本列表",
        "list[number]": "数字列表",
        "list[integer]": "整数列表",
        "list[date]": "日期列表",
    },
    "en": {},
}


def document_chunks(document: Document, options: ExtractionOptions) -> list[tuple[int, int]]:
    """Return the `(start, end)` spans sent to the model: the whole text, or passages by section with overlap."""
    if len(document.text) <= options.chunk_max_chars:
        return [(0, len(document.text))]
    passages = chunk_document(document, max_chars=options.chunk_max_chars, overlap_chars=options.chunk_overlap_chars)
    return [(passage.start, passage.end) for passage in passages]


def extract_knowledge(
    *,
    model: ModelClient,
    category: Category,
    document: Document,
    options: ExtractionOptions,
    language: Language = "zh",
    progress: ProgressCallback | None = None,
) -> ExtractionResult:
    """Fill `category` from `document`; every accepted value carries its span in `document.text`."""
    source = SourceText(document.text)
    chunks = document_chunks(document, options)
    suspicious = instruction_spans(document.text)
    warnings = [
        f"instruction-like text at {start}-{end} is treated as data: {document.text[start:end][:60]!r}"
        for start, end in suspicious
    ]
    if suspicious:
        logger.warning("document %s contains %d instruction-like sentences", document.id, len(suspicious))
    logger.info(
        "extracting category %s from document %s (%d chars, %d chunks)",
        category.name,
        document.id,
        len(document.text),
        len(chunks),
    )

    output_type = build_output_model(category)
    system = render_prompt("knowledge", "extract_system", language, category=category.name)
    proposals: dict[str, list[FieldCandidate]] = {field.name: [] for field in category.fields}
    judge = ProposalJudge(
        source=source, suspicious=suspicious, fuzzy_threshold=options.fuzzy_threshold, pieces=label_pieces(category)
    )

    lines = field_lines(category, language)
    for index, (start, end) in enumerate(chunks):
        prompt = render_prompt("knowledge", "extract", language, text=document.text[start:end], fields=lines)
        output = model.structured(output_type, prompt, system=system, language=language, max_tokens=options.max_tokens)
        for name, (quote, raw) in answers_of(output).items():
            field = category.field(name)
            assert field is not None
            proposals[name].append(judge(field, quote, raw, chunk=index, window=(start, end)))
        if progress is not None:
            # Follow-up questions take the last fifth of the progress bar.
            share = (index + 1) / len(chunks) * (0.8 if options.followup_questions else 1.0)
            progress(share, f"chunk {index + 1} of {len(chunks)}")

    if options.followup_questions:
        questions = ask_followups(
            model=model,
            category=category,
            chunks=chunks,
            chunk_texts=[document.text[start:end] for start, end in chunks],
            proposals=proposals,
            judge=judge,
            system=system,
            lines=lines,
            options=options,
            language=language,
        )
        if progress is not None:
            progress(1.0, f"{questions} follow-up questions")

    merged = [
        merge_candidates(field, proposals[field.name], label=field.label.get(language)) for field in category.fields
    ]
    fields = separate_text_fields(category, merged, source)
    logger.info(
        "extracted category %s from document %s: %d grounded, %d conflicts",
        category.name,
        document.id,
        sum(item.status == "grounded" for item in fields),
        sum(item.conflict for item in fields),
    )
    return ExtractionResult(
        category=category.name,
        document_id=document.id,
        filename=document.filename,
        chunks=len(chunks),
        fields=fields,
        warnings=warnings,
        model=model.model_name,
    )


def label_core(label: str) -> str:
    """Drop a bracketed unit from a label ("宽带速率（Mbps）" -> "宽带速率").

    The embedded model quoted such labels from the prompt as if they were evidence.
    """
    return _BRACKETED.sub("", label).strip() or label


def field_lines(category: Category, language: Language) -> list[dict[str, Any]]:
    # NOTE: the category's examples are not sent: the 1.5B embedded model copied
    # them into its answers instead of reading the document.
    lines: list[dict[str, Any]] = []
    for field in category.fields:
        lines.append(
            {
                "name": field.name,
                "label": label_core(field.label.get(language)),
                "type": _TYPE_NAMES[language].get(field.type, field.type),
                "unit": field.unit,
                "max_chars": field.max_chars,
                "description": field.description.get(language) if field.description else "",
            }
        )
    return lines
