"""Business glossary and stored question->SQL examples, with the demo source's built-in entries."""

from __future__ import annotations

import logging
import uuid

from pydantic import BaseModel, Field
from sqlalchemy import or_, select

from services.analytics.catalog import load_catalog
from services.analytics.demo import DEMO_SOURCE_NAME
from services.analytics.guard import guard_sql
from services.analytics.models import ExampleRecord, GlossaryRecord
from services.analytics.sources import SQLGLOT_DIALECTS, SourceConfig
from services.core.db import Database
from services.core.errors import NotFoundError
from services.core.settings import Settings

logger = logging.getLogger(__name__)


class GlossaryTerm(BaseModel):
    """A business term, what it means, and the SQL fragment that computes it."""

    id: str = ""
    source: str = Field("", description="Source the term belongs to; empty for every source.")
    term: str = Field(min_length=1, max_length=128)
    meaning: str = Field("", max_length=2000)
    sql_fragment: str = Field(
        "", max_length=2000, description="SQL that computes the term, e.g. SUM(revenue)/SUM(subscribers)."
    )
    builtin: bool = False


class Example(BaseModel):
    """A question and the SQL that answers it on one source."""

    id: str = ""
    source: str = Field(min_length=1, max_length=64)
    question: str = Field(min_length=1, max_length=2000)
    sql: str = Field(min_length=1, max_length=8000)
    builtin: bool = False


# Terms every source may use: common telecom and analysis vocabulary.
BUILTIN_TERMS = [
    GlossaryTerm(
        id="builtin-arpu",
        term="ARPU",
        meaning="每用户平均收入 = 收入 / 用户数",
        sql_fragment="SUM(revenue) / SUM(subscribers)",
        builtin=True,
    ),
    GlossaryTerm(
        id="builtin-mom",
        term="环比",
        meaning="与上一个月相比的增长率 = (本月 - 上月) / 上月",
        sql_fragment="(cur - prev) / prev, prev from LAG(value) OVER (ORDER BY month)",
        builtin=True,
    ),
    GlossaryTerm(
        id="builtin-yoy",
        term="同比",
        meaning="与去年同月相比的增长率 = (本期 - 去年同期) / 去年同期",
        sql_fragment="LAG(value, 12) OVER (ORDER BY month)",
        builtin=True,
    ),
    GlossaryTerm(
        id="builtin-churn",
        term="离网率",
        meaning="当月离网用户数 / 月末用户数",
        sql_fragment="SUM(churned_subscribers) * 1.0 / SUM(subscribers)",
        builtin=True,
    ),
    GlossaryTerm(
        id="builtin-revenue", term="收入", meaning="营业收入，单位元", sql_fragment="SUM(revenue)", builtin=True
    ),
]

# Examples for the demo source; they show the joins and the date functions of DuckDB.
BUILTIN_EXAMPLES = [
    Example(
        id="builtin-demo-1",
        source=DEMO_SOURCE_NAME,
        question="2024年各套餐类别的收入",
        sql=(
            "SELECT p.category, SUM(k.revenue) AS revenue FROM monthly_kpi k JOIN plans p ON k.plan_id = p.plan_id "
            "WHERE year(k.month) = 2024 GROUP BY p.category ORDER BY revenue DESC"
        ),
        builtin=True,
    ),
    Example(
        id="builtin-demo-2",
        source=DEMO_SOURCE_NAME,
        question="华东地区每月的用户数",
        sql=(
            "SELECT k.month, SUM(k.subscribers) AS subscribers FROM monthly_kpi k "
            "JOIN regions r ON k.region_id = r.region_id "
            "WHERE r.region_name = '华东' GROUP BY k.month ORDER BY k.month"
        ),
        builtin=True,
    ),
    Example(
        id="builtin-demo-3",
        source=DEMO_SOURCE_NAME,
        question="2025年各地区的投诉量",
        sql=(
            "SELECT r.region_name, SUM(c.complaint_count) AS complaints FROM complaints c "
            "JOIN regions r ON c.region_id = r.region_id "
            "WHERE year(c.month) = 2025 GROUP BY r.region_name ORDER BY complaints DESC"
        ),
        builtin=True,
    ),
]  # fmt: skip


def check_example_sql(example: Example, source: SourceConfig, settings: Settings) -> None:
    """Run an example's SQL through the guard, as the model's SQL is: the model copies what examples show.

    Raises `SqlRejected` (422) naming the problem: a write, several statements,
    a table outside the source's allowed ones, an unknown column or a file-reading function.
    """
    timeout = source.effective_timeout(settings)
    catalog = load_catalog(source, timeout=timeout)
    dialect = SQLGLOT_DIALECTS[source.dialect]
    guard_sql(example.sql, catalog=catalog, dialect=dialect, row_limit=source.effective_row_limit(settings))


class GlossaryStore:
    """Glossary terms and examples: built-in ones plus rows in the suite's database."""

    def __init__(self, database: Database | None) -> None:
        self.database = database

    def terms(self, source: str | None = None) -> list[GlossaryTerm]:
        terms = list(BUILTIN_TERMS)
        if self.database is None:
            return terms
        query = select(GlossaryRecord).order_by(GlossaryRecord.created_at)
        if source is not None:
            query = query.where(or_(GlossaryRecord.source == "", GlossaryRecord.source == source))
        with self.database.session() as session:
            for record in session.scalars(query):
                terms.append(
                    GlossaryTerm(
                        id=record.id,
                        source=record.source,
                        term=record.term,
                        meaning=record.meaning,
                        sql_fragment=record.sql_fragment,
                    )
                )
        return terms

    def add_term(self, term: GlossaryTerm) -> GlossaryTerm:
        stored = term.model_copy(update={"id": uuid.uuid4().hex, "builtin": False})
        assert self.database is not None
        with self.database.session() as session:
            session.add(
                GlossaryRecord(
                    id=stored.id,
                    source=stored.source,
                    term=stored.term,
                    meaning=stored.meaning,
                    sql_fragment=stored.sql_fragment,
                )
            )
        logger.info("glossary term %s added (%s)", stored.id, stored.term)
        return stored

    def delete_term(self, term_id: str) -> None:
        self._delete(GlossaryRecord, term_id, "analytics.glossary_not_found", term_id=term_id)
        logger.info("glossary term %s deleted", term_id)

    def examples(self, source: str | None = None) -> list[Example]:
        examples = [example for example in BUILTIN_EXAMPLES if source is None or example.source == source]
        if self.database is None:
            return examples
        query = select(ExampleRecord).order_by(ExampleRecord.created_at)
        if source is not None:
            query = query.where(ExampleRecord.source == source)
        with self.database.session() as session:
            for record in session.scalars(query):
                examples.append(Example(id=record.id, source=record.source, question=record.question, sql=record.sql))
        return examples

    def add_example(self, example: Example) -> Example:
        stored = example.model_copy(update={"id": uuid.uuid4().hex, "builtin": False})
        assert self.database is not None
        with self.database.session() as session:
            session.add(ExampleRecord(id=stored.id, source=stored.source, question=stored.question, sql=stored.sql))
        logger.info("example %s added for source %s", stored.id, stored.source)
        return stored

    def delete_example(self, example_id: str) -> None:
        self._delete(ExampleRecord, example_id, "analytics.example_not_found", example_id=example_id)
        logger.info("example %s deleted", example_id)

    def _delete(
        self, record_type: type[GlossaryRecord] | type[ExampleRecord], record_id: str, code: str, **params: str
    ) -> None:
        """Delete one stored row; raise `code` (404) when there is none."""
        assert self.database is not None
        with self.database.session() as session:
            record = session.get(record_type, record_id)
            if record is None:
                raise NotFoundError(code, **params)
            session.delete(record)
