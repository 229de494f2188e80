"""Answer a customer question from approved knowledge, with citations, or say that none applies.

Whether anything relevant is approved is decided before the model is called:
when the best BM25 score of the approved records' fields and source passages
is below `AnswerOptions.min_score`, the service returns the "no answer"
message and does not ask the model.
"""

from __future__ import annotations

import logging
import re

from pydantic import BaseModel, Field

from services.core.i18n import Language, translate
from services.core.prompts import one_line, render_prompt
from services.documents import Passage, PassageIndex
from services.knowledge.models import RecordRow
from services.knowledge.options import AnswerOptions
from services.knowledge.store import RecordStore
from services.model.client import ModelClient

logger = logging.getLogger(__name__)

_CITATION = re.compile(r"\[(\d{1,2})\]")
_PARAGRAPH = re.compile(r"[^\n]+")


class Citation(BaseModel):
    """A numbered source quoted to the model and cited in the answer."""

    number: int = Field(description="The number the answer cites as `[n]`.")
    record_id: str
    category: str
    filename: str
    passage_id: str
    text: str = Field(
        description="The passage text, equal to the record's `source_text[start:end]` for source passages."
    )
    start: int | None = Field(
        default=None, description="Offset in the record's source text; null for the field summary."
    )
    end: int | None = None
    score: float = Field(description="BM25 score of the passage for the question.")


class AnswerResult(BaseModel):
    question: str
    answered: bool = Field(description="False when no approved knowledge was relevant enough; the model was not asked.")
    answer: str
    citations: list[Citation] = Field(default_factory=list, description="Sources cited in the answer.")
    top_score: float = Field(description="Best BM25 score among approved passages (0 when none matched).")


def record_passages(record: RecordRow) -> list[Passage]:
    """Build the passages of a record: a field summary, then each non-empty line of its source text."""
    labels = {item["name"]: item.get("label", item["name"]) for item in record.extracted}
    summary_lines = [
        f"{labels.get(name, name)}：{'、'.join(map(str, value)) if isinstance(value, list) else value}"
        for name, value in record.values.items()
        if value not in (None, "", [])
    ]
    passages = [
        Passage(
            id=f"{record.id}#fields",
            document_id=record.id,
            text=f"{record.category}\n" + "\n".join(summary_lines),
            start=0,
            end=0,
        )
    ]
    for index, match in enumerate(_PARAGRAPH.finditer(record.source_text)):
        if match.group().strip():
            passages.append(
                Passage(
                    id=f"{record.id}#s{index}",
                    document_id=record.id,
                    text=match.group(),
                    start=match.start(),
                    end=match.end(),
                )
            )
    return passages


def answer_question(
    *,
    model: ModelClient,
    store: RecordStore,
    question: str,
    options: AnswerOptions,
    category: str | None = None,
    language: Language = "zh",
) -> AnswerResult:
    """Retrieve approved records and their passages; answer with `[n]` citations or say nothing applies."""
    records = {record.id: record for record in store.approved(category=category)}
    passages = [passage for record in records.values() for passage in record_passages(record)]
    hits = PassageIndex(passages).search(question, k=options.top_k) if passages else []
    top_score = hits[0].score if hits else 0.0

    if top_score < options.min_score:
        logger.info("no approved knowledge for the question (best score %.2f < %.2f)", top_score, options.min_score)
        return AnswerResult(
            question=question, answered=False, answer=translate("knowledge.no_answer", language), top_score=top_score
        )

    sources: list[Citation] = []
    for number, hit in enumerate(hits, start=1):
        record = records[hit.passage.document_id]
        is_summary = hit.passage.id.endswith("#fields")
        sources.append(
            Citation(
                number=number,
                record_id=record.id,
                category=record.category,
                filename=record.filename,
                passage_id=hit.passage.id,
                text=hit.passage.text,
                start=None if is_summary else hit.passage.start,
                end=None if is_summary else hit.passage.end,
                score=round(hit.score, 3),
            )
        )

    # Sources are numbered "[n]" at the start of a line: each goes on one line, so no text can pose as a source.
    prompt = render_prompt(
        "knowledge",
        "answer",
        language,
        question=one_line(question),
        sources=[{"number": s.number, "text": one_line(s.text)} for s in sources],
    )
    completion = model.generate(prompt, max_tokens=options.max_tokens, temperature=0.0)
    cited = {int(number) for number in _CITATION.findall(completion.text)}
    citations = [source for source in sources if source.number in cited]
    unknown = sorted(cited - {source.number for source in sources})
    if unknown:
        logger.warning("answer cites numbers that are no source: %s; left out of the citations", unknown)
    logger.info("answered from %d sources, %d cited (best score %.2f)", len(sources), len(citations), top_score)
    return AnswerResult(
        question=question, answered=True, answer=completion.text.strip(), citations=citations, top_score=top_score
    )
