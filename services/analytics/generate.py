"""Question -> SQL through the model, with the guard and execution errors fed back for correction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from services.analytics.catalog import Catalog, TableInfo
from services.analytics.connections import StatementHook
from services.analytics.execute import QueryFailed, QueryResult, run_query
from services.analytics.extract import extract_sql
from services.analytics.glossary import Example, GlossaryTerm
from services.analytics.guard import GuardedQuery, SqlRejected, SqlWriteRejected, guard_sql
from services.analytics.sources import SQLGLOT_DIALECTS, SourceConfig
from services.core.errors import InvalidInputError, XingchenError
from services.core.i18n import DEFAULT_LANGUAGE, Language, translate
from services.core.prompts import one_line, render_prompt
from services.model.client import ModelClient

logger = logging.getLogger(__name__)

# Longest sample value quoted in the schema text, in characters (after joining it onto one line).
SAMPLE_CHARS = 40


class NoSqlInReply(InvalidInputError):
    """The model replied without any SQL; nothing was executed."""


class WriteRefused(InvalidInputError):
    """Model SQL that would change data: the question requests a write, which no correction makes read-only."""


class GenerationFailed(InvalidInputError):
    """No attempt gave runnable SQL; the reason is the last attempt's error, rendered in the message's language."""

    def __init__(self, *, attempts: int, sql: str, cause: XingchenError) -> None:
        self.cause = cause
        super().__init__("analytics.generation_failed", attempts=attempts, sql=sql)

    def message(self, language: Language = DEFAULT_LANGUAGE) -> str:
        return translate(self.code, language, reason=self.cause.message(language), **self.params)


@dataclass
class HistoryTurn:
    question: str
    sql: str


@dataclass
class SqlAttempt:
    """One model reply and what became of it."""

    reply: str
    sql: str | None
    error: str | None = None


@dataclass
class SqlAnswer:
    query: GuardedQuery
    result: QueryResult
    attempts: list[SqlAttempt] = field(default_factory=list)


def schema_text(catalog: Catalog) -> str:
    """Render the pruned schema as compact CREATE TABLE lines with comments, keys and sample values."""
    return "\n".join(_table_text(table) for table in catalog.tables)


def _table_text(table: TableInfo) -> str:
    # Comments and sample values come from the database: each stays on its line (no faked "###" section)
    # and a sample stays inside its quotes.
    header = f"CREATE TABLE {table.name} ("
    if table.comment:
        header += f" -- {one_line(table.comment)}"
    references = {column: key for key in table.foreign_keys for column in key.columns}
    lines = [header]
    # A composite key is left out: "PRIMARY KEY" on each of its columns would read as unique columns.
    single_key = sum(column.primary_key for column in table.columns) == 1
    for index, column in enumerate(table.columns):
        text = f"  {column.name} {column.type or 'TEXT'}"
        if column.primary_key and single_key:
            text += " PRIMARY KEY"
        key = references.get(column.name)
        if key is not None:
            text += f" REFERENCES {key.ref_table}({', '.join(key.ref_columns)})"
        if index < len(table.columns) - 1:
            text += ","
        notes = [one_line(column.comment)] if column.comment else []
        if column.samples:
            notes.append("e.g. " + ", ".join(_sample_literal(value) for value in column.samples[:6]))
        if notes:
            text += " -- " + "; ".join(notes)
        lines.append(text)
    rows = f" -- {table.row_count} rows" if table.row_count is not None else ""
    lines.append(f");{rows}")
    return "\n".join(lines)


def _sample_literal(value: str) -> str:
    """Quote a sample value as a one-line SQL string literal of at most `SAMPLE_CHARS` characters, `'` doubled.

    Only line breaks become spaces; other spacing stays, so the model can copy the value exactly.
    """
    text = " ".join(value.splitlines())
    if len(text) > SAMPLE_CHARS:
        text = text[: SAMPLE_CHARS - 1] + "…"
    return "'" + text.replace("'", "''") + "'"


def build_sql_messages(
    *,
    question: str,
    catalog: Catalog,
    dialect: str,
    terms: list[GlossaryTerm],
    examples: list[Example],
    history: list[HistoryTurn],
    language: Language,
) -> list[BaseMessage]:
    prompt = render_prompt(
        "analytics",
        "sql",
        language,
        dialect=dialect,
        schema=schema_text(catalog),
        terms=[term.model_dump() for term in terms],
        examples=[example.model_dump() for example in examples],
        history=[{"question": turn.question, "sql": turn.sql} for turn in history],
        question=question,
    )
    # The instructions head the prompt; a short system message keeps chat templates happy.
    system = "You write SQL." if language == "en" else "你负责编写 SQL。"
    return [SystemMessage(content=system), HumanMessage(content=prompt)]


def generate_and_run(
    *,
    model: ModelClient,
    source: SourceConfig,
    full_catalog: Catalog,
    messages: list[BaseMessage],
    row_limit: int,
    timeout: float,
    max_corrections: int,
    language: Language,
    max_tokens: int = 320,
    hook: StatementHook | None = None,
) -> SqlAnswer:
    """Ask for SQL, guard it and run it; on failure send the error back, up to `max_corrections` times.

    The guard checks against `full_catalog` (every allowed table, not only the
    pruned ones in the prompt), so a query that needs a pruned table still runs.
    """
    dialect = SQLGLOT_DIALECTS[source.dialect]
    attempts: list[SqlAttempt] = []
    conversation = list(messages)
    last_error: XingchenError | None = None

    for attempt_number in range(max_corrections + 1):
        completion = model.generate(conversation, max_tokens=max_tokens, temperature=0.0)
        reply = completion.text
        sql = extract_sql(reply)
        attempt = SqlAttempt(reply=reply, sql=sql)
        attempts.append(attempt)
        try:
            if sql is None:
                raise NoSqlInReply("analytics.no_sql_in_reply", reply=reply.strip()[:200])
            query = guard_sql(sql, catalog=full_catalog, dialect=dialect, row_limit=row_limit)
            result = run_query(source, query, timeout=timeout, hook=hook)
            logger.info("SQL for source %s ran on attempt %d", source.name, attempt_number + 1)
            return SqlAnswer(query=query, result=result, attempts=attempts)
        except SqlWriteRejected as exc:
            # A write cannot be corrected into the result the user requested. A re-ask
            # would only turn it into an unrelated SELECT, so the rejection goes to the user.
            logger.warning("SQL for source %s refused, it writes: %s", source.name, exc.message("en"))
            raise WriteRefused(
                "analytics.write_refused", statement=exc.params.get("statement", "-"), sql=exc.params.get("sql", "-")
            ) from exc
        except (NoSqlInReply, SqlRejected, QueryFailed) as exc:
            last_error = exc
            attempt.error = exc.message(language)
            logger.info(
                "SQL attempt %d of %d for source %s failed: %s",
                attempt_number + 1,
                max_corrections + 1,
                source.name,
                exc.message("en"),
            )
        conversation = [
            *conversation,
            AIMessage(content=reply),
            HumanMessage(content=render_prompt("analytics", "sql_fix", language, error=attempt.error)),
        ]

    assert last_error is not None
    final_sql = attempts[-1].sql or "-"
    raise GenerationFailed(attempts=len(attempts), sql=final_sql, cause=last_error) from last_error


def attempts_summary(attempts: list[SqlAttempt]) -> list[dict[str, Any]]:
    return [{"sql": attempt.sql, "error": attempt.error} for attempt in attempts]
