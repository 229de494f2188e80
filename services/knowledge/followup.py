"""Ask the model again about single fields that the one-shot extraction left unsupported or unstated.

A small model answering every field in one reply often copies a field's label
as its quote, or leaves a field out that the text states. A follow-up question
names one field and, when the first answer failed, says which quote failed and
why. Its answer goes through the same grounding as the first one, and a still
unsupported answer is sent back once more as a `ModelRetry`.

Every follow-up on one chunk uses the same system prompt, output schema and
document prefix, so a backend with prompt caching (llama.cpp) reads the
document once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from services.core.errors import UpstreamError
from services.core.i18n import Language
from services.core.prompts import render_prompt
from services.knowledge.categories import Category, CategoryField
from services.knowledge.grounding import SourceText, locate
from services.knowledge.injection import instruction_spans
from services.knowledge.options import ExtractionOptions
from services.knowledge.proposals import ProposalJudge
from services.knowledge.quantity import mention_pieces
from services.knowledge.results import FieldCandidate
from services.knowledge.schema import CompactModel
from services.knowledge.support import states_fact
from services.knowledge.textnorm import normalise
from services.model.client import ModelClient
from services.model.errors import ModelRetry, StructuredOutputError

logger = logging.getLogger(__name__)

_SENTENCE = re.compile(r"[^。；;！？\n]+")

# Statuses of a first answer that earn a follow-up question.
UNSUPPORTED = frozenset({"ungrounded", "invalid"})
# Statuses a follow-up answer may end with; any other is sent back to the model.
SETTLED = frozenset({"grounded", "empty", "not_stated", "rejected"})

Judge = Callable[[str | None, Any], FieldCandidate]


class FieldAnswer(CompactModel):
    """One field's answer; the value is text and is converted to the field's type like any other value."""

    quote: str | None
    value: str | None


def ask_followups(
    *,
    model: ModelClient,
    category: Category,
    chunks: list[tuple[int, int]],
    chunk_texts: list[str],
    proposals: dict[str, list[FieldCandidate]],
    judge: ProposalJudge,
    system: str,
    lines: list[dict[str, Any]],
    options: ExtractionOptions,
    language: Language,
) -> int:
    """Ask once more about each field that has no supported value; return the number of questions asked.

    Answers are appended to `proposals`, so the first answers stay visible to a reviewer.
    """
    folded_texts = [normalise(text).text for text in chunk_texts]
    weights = hint_weights(category)
    questions = 0
    for field, line in zip(category.fields, lines, strict=True):
        candidates = proposals[field.name]
        if any(item.status not in UNSUPPORTED | {"not_stated"} for item in candidates):
            continue
        index = followup_chunk(candidates, folded_texts, mention_pieces(field))
        if index is None:
            continue
        if questions >= options.followup_max_questions:
            logger.warning("follow-up questions stopped at the limit of %d", options.followup_max_questions)
            break

        questions += 1
        first = next((item for item in candidates if item.chunk == index and item.status in UNSUPPORTED), None)
        try:
            answer = ask_field(
                model=model,
                field=field,
                field_line=line,
                text=chunk_texts[index],
                system=system,
                first=first,
                judge=partial(judge, field, chunk=index, window=chunks[index]),
                source=judge.source,
                language=language,
                max_tokens=options.followup_max_tokens,
                retries=options.followup_retries,
                hints=hint_sentences(chunk_texts[index], weights[field.name]),
            )
        except UpstreamError as exc:
            # The first answers are complete on their own, so a failing model ends the follow-ups only.
            logger.warning("follow-up on field %s failed, no more follow-ups: %s", field.name, exc)
            break
        if answer is not None:
            candidates.append(answer)
    return questions


def followup_chunk(candidates: list[FieldCandidate], folded_texts: list[str], pieces: set[str]) -> int | None:
    """Pick the chunk (by its normalised text) to ask about a field in: the one that mentions it most, or None.

    A field counts as mentioned by a two-character piece of its label, so a
    plan without broadband costs no question about broadband speed. When the
    first answer in such a chunk was unsupported, that chunk wins.
    """
    # NOTE: a text that names the field only in other words (语音 for 通话, 宽频 for 宽带)
    # does not count as mentioning it, so that field gets no follow-up question.
    mentions = [sum(piece in text for piece in pieces) for text in folded_texts]
    if not any(mentions):
        return None
    unsupported = [item.chunk for item in candidates if item.status in UNSUPPORTED and mentions[item.chunk]]
    if unsupported:
        return unsupported[0]
    return max(range(len(folded_texts)), key=lambda index: (mentions[index], -index))


def ask_field(
    *,
    model: ModelClient,
    field: CategoryField,
    field_line: dict[str, Any],
    text: str,
    system: str,
    first: FieldCandidate | None,
    source: SourceText,
    judge: Judge,
    language: Language,
    max_tokens: int,
    retries: int,
    hints: list[str],
) -> FieldCandidate | None:
    """Ask about one field alone; return the judged answer, or None when the model gave no usable reply."""
    problem = describe_problem(first, source, language, field) if first is not None else None
    prompt = render_prompt(
        "knowledge", "extract_field", language, text=text, field=field_line, problem=problem, hints=hints
    )
    latest: list[FieldCandidate] = []

    def validate(answer: FieldAnswer) -> None:
        candidate = judge(answer.quote, answer.value)
        latest.append(candidate)
        if candidate.status not in SETTLED:
            raise ModelRetry(describe_problem(candidate, source, language, field))

    try:
        model.structured(
            FieldAnswer,
            prompt,
            system=system,
            language=language,
            max_tokens=max_tokens,
            max_retries=retries,
            validate=validate,
        )
    except StructuredOutputError as exc:
        logger.info("follow-up on field %s found no supported answer: %s", field_line["name"], exc)
    if not latest:
        return None
    logger.info("follow-up on field %s: %s", field_line["name"], latest[-1].status)
    return latest[-1]


def hint_weights(category: Category) -> dict[str, dict[str, float]]:
    """Weigh each two-character piece of a field's label and description by 1 / the number of fields that have it."""
    own: dict[str, set[str]] = {}
    for field in category.fields:
        words = [field.label.zh] + ([field.description.zh] if field.description else [])
        own[field.name] = {word[index : index + 2] for word in words for index in range(len(word) - 1)}
    counts: dict[str, int] = {}
    for pieces in own.values():
        for piece in pieces:
            counts[piece] = counts.get(piece, 0) + 1
    return {name: {piece: 1 / counts[piece] for piece in pieces} for name, pieces in own.items()}


def hint_sentences(text: str, weights: dict[str, float], limit: int = 3) -> list[str]:
    """Return up to `limit` sentences of `text` with the highest weight of the field's pieces, in text order.

    Sentences that read like instructions are left out, because hints sit outside the document block.
    """
    scored: list[tuple[float, int, str]] = []
    for position, sentence in enumerate(_SENTENCE.findall(text)):
        sentence = sentence.strip()
        score = sum(weight for piece, weight in weights.items() if piece in sentence)
        if score > 0 and not instruction_spans(sentence):
            scored.append((score, position, sentence))
    best = sorted(scored, key=lambda item: (-item[0], item[1]))[:limit]
    return [sentence for _, _, sentence in sorted(best, key=lambda item: item[1])]


def describe_problem(candidate: FieldCandidate, source: SourceText, language: Language, field: CategoryField) -> str:
    """Tell the model, in the prompt's language, what was wrong with an unsupported answer."""
    located = locate(source, candidate.quote) if candidate.quote is not None else None
    value = candidate.raw
    if candidate.status == "invalid" and field.max_chars is not None and candidate.evidence:
        # Text fields convert any text, so an invalid one with evidence is a sentence given for a name.
        kind = "value_too_long"
        value = candidate.raw if isinstance(candidate.raw, str) else candidate.evidence[0].text
    elif candidate.status == "invalid" and candidate.raw is None:
        kind = "no_value_in_quote"
    elif candidate.status == "invalid":
        kind = "value_not_convertible"
    elif candidate.quote is None:
        kind = "no_quote"
    elif located is None:
        kind = "quote_not_found"
    elif field.type == "boolean" and not states_fact(located.text):
        kind = "bare_answer"
    else:
        kind = "value_not_in_quote"
    return render_prompt(
        "knowledge",
        "extract_problem",
        language,
        kind=kind,
        quote=candidate.quote or "",
        value=value,
        max_chars=field.max_chars,
    )
