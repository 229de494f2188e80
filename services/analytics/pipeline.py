"""The ask pipeline: question -> pruned schema -> SQL -> guarded run -> chart -> facts -> narrative."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select

from services.analytics.catalog import load_catalog
from services.analytics.charts import ChartChoice, chart_spec, choose_chart, split_columns
from services.analytics.connections import StatementHook
from services.analytics.execute import jsonable_rows
from services.analytics.facts import Fact, compute_facts
from services.analytics.generate import (
    HistoryTurn,
    WriteRefused,
    attempts_summary,
    build_sql_messages,
    generate_and_run,
)
from services.analytics.glossary import GlossaryStore
from services.analytics.guard import write_in_question
from services.analytics.models import TurnRecord
from services.analytics.narrative import Narrative, write_narrative
from services.analytics.options import AskOptions
from services.analytics.retrieval import prune_catalog, relevant_terms, similar_examples
from services.analytics.sources import SourceRegistry
from services.core.db import Database
from services.core.errors import InvalidInputError, NotFoundError
from services.core.settings import Settings
from services.model.client import ModelClient

logger = logging.getLogger(__name__)


class Analysis(BaseModel):
    facts: list[Fact]
    narrative: Narrative


class AskResult(BaseModel):
    """Result of one question: the SQL, the rows, the chart and the analysis."""

    turn_id: str
    conversation_id: str
    source: str
    question: str
    sql: str
    tables: list[str]
    columns: list[str]
    rows: list[list[Any]] = Field(description="Rows of the requested page.")
    total_rows: int
    truncated: bool = Field(description="True when the result reached the row limit, so more rows may exist.")
    page: int
    page_size: int
    chart: ChartChoice
    chart_spec: dict[str, Any] | None
    analysis: Analysis | None
    attempts: list[dict[str, Any]] = Field(description="Each model reply's SQL and why it was rejected.")
    data_period: str | None = Field(None, description="First and last date of a time column, when there is one.")
    ran_at: datetime


def ask(
    *,
    question: str,
    source_name: str,
    model: ModelClient,
    settings: Settings,
    database: Database | None,
    options: AskOptions | None = None,
    conversation_id: str | None = None,
    owner: str | None = None,
    page: int = 1,
    page_size: int = 50,
    hook: StatementHook | None = None,
) -> AskResult:
    """Answer `question` on source `source_name` and store the turn for follow-ups, paging and reports."""
    check_question(question)
    options = options or AskOptions()
    conversation_id = conversation_id or uuid.uuid4().hex
    source = SourceRegistry(settings, database).get(source_name)
    timeout = source.effective_timeout(settings)
    row_limit = source.effective_row_limit(settings)
    if options.row_limit:
        row_limit = min(row_limit, options.row_limit)
    logger.info("analytics question on source %s (conversation %s) started", source.name, conversation_id)

    history = _history(database, conversation_id, owner, options.history_turns)
    catalog = load_catalog(source, timeout=timeout)
    store = GlossaryStore(database)
    terms = relevant_terms(store.terms(source.name), question)
    examples = similar_examples(store.examples(source.name), question, limit=options.examples)

    # Earlier questions and matched glossary terms name the columns that a
    # follow-up or a business term needs, so they steer pruning too.
    context_parts = [turn.question for turn in history]
    context_parts += [f"{term.meaning} {term.sql_fragment}" for term in terms]
    pruned = prune_catalog(
        catalog, question, max_tables=options.resolved_max_tables(settings), extra_text=" ".join(context_parts)
    )
    messages = build_sql_messages(
        question=question,
        catalog=pruned,
        dialect=source.dialect,
        terms=terms,
        examples=examples,
        history=history,
        language=options.language,
    )
    answer = generate_and_run(
        model=model,
        source=source,
        full_catalog=catalog,
        messages=messages,
        row_limit=row_limit,
        timeout=timeout,
        max_corrections=options.resolved_corrections(settings),
        language=options.language,
        max_tokens=options.sql_max_tokens,
        hook=hook,
    )
    frame = answer.result.frame

    choice = choose_chart(frame) if options.chart else ChartChoice(kind="none", reason="not requested")
    spec = chart_spec(frame, choice, title=question[:60], font=settings.analytics_font_family)
    analysis: Analysis | None = None
    if options.analyse:
        facts = compute_facts(frame, language=options.language)
        _, categories, _ = split_columns(frame)
        labels = [str(value) for column in categories for value in frame[column].head(200)]
        narrative = write_narrative(
            model,
            question=question,
            facts=facts,
            labels=labels,
            language=options.language,
            max_tokens=options.narrative_max_tokens,
        )
        analysis = Analysis(facts=facts, narrative=narrative)

    rows = jsonable_rows(frame)
    ran_at = datetime.now(UTC)
    turn_id = uuid.uuid4().hex
    if database is not None:
        with database.session() as session:
            session.add(
                TurnRecord(
                    id=turn_id,
                    conversation_id=conversation_id,
                    source=source.name,
                    question=question,
                    sql=answer.query.sql,
                    columns=answer.result.columns,
                    rows=rows,
                    chart={"choice": choice.model_dump(), "spec": spec},
                    analysis=analysis.model_dump() if analysis else None,
                    owner=owner,
                    created_at=ran_at,
                )
            )
    logger.info("analytics question on source %s answered: turn %s, %d rows", source.name, turn_id, len(rows))
    start = (page - 1) * page_size
    return AskResult(
        turn_id=turn_id,
        conversation_id=conversation_id,
        source=source.name,
        question=question,
        sql=answer.query.sql,
        tables=answer.query.tables,
        columns=answer.result.columns,
        rows=rows[start : start + page_size],
        total_rows=len(rows),
        truncated=answer.result.truncated,
        page=page,
        page_size=page_size,
        chart=choice,
        chart_spec=spec,
        analysis=analysis,
        attempts=attempts_summary(answer.attempts),
        data_period=_data_period(frame),
        ran_at=ran_at,
    )


def check_question(question: str) -> None:
    """Reject, before any model call, an empty question and one that quotes a write statement."""
    if not question.strip():
        raise InvalidInputError("analytics.question_empty")
    statement = write_in_question(question)
    if statement is not None:
        logger.warning("analytics question refused: it quotes a %s statement", statement)
        raise WriteRefused("analytics.question_writes", statement=statement)


def _data_period(frame: Any) -> str | None:
    times, _, _ = split_columns(frame)
    if not times:
        return None
    values = frame[times[0]].dropna()
    if values.empty:
        return None
    first, last = values.min(), values.max()
    if hasattr(first, "strftime"):
        return f"{first.strftime('%Y-%m-%d')} – {last.strftime('%Y-%m-%d')}"
    return f"{first} – {last}"


def _history(database: Database | None, conversation_id: str, owner: str | None, limit: int) -> list[HistoryTurn]:
    if database is None or limit == 0:
        return []
    query = (
        select(TurnRecord)
        .where(TurnRecord.conversation_id == conversation_id)
        .order_by(TurnRecord.created_at.desc())
        .limit(limit)
    )
    if owner is not None:
        query = query.where(TurnRecord.owner == owner)
    with database.session() as session:
        records = list(session.scalars(query))
    return [HistoryTurn(question=record.question, sql=record.sql) for record in reversed(records)]


def load_turn(database: Database, turn_id: str, *, owner: str | None = None) -> TurnRecord:
    """Return a stored turn; another key's turn is reported as not found."""
    with database.session() as session:
        record = session.get(TurnRecord, turn_id)
    if record is None or (owner is not None and record.owner not in (None, owner)):
        raise NotFoundError("analytics.turn_not_found", turn_id=turn_id)
    return record
