"""Run a guarded query on a read-only connection and return a pandas DataFrame."""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import time
from dataclasses import dataclass

import pandas

from services.analytics.connections import QueryTimedOut, StatementHook, open_readonly
from services.analytics.guard import GuardedQuery
from services.analytics.sources import SourceConfig
from services.core.errors import InvalidInputError, UpstreamTimeoutError, XingchenError

logger = logging.getLogger(__name__)


class QueryFailed(InvalidInputError):
    """The database rejected a guarded query (unknown function, type error)."""


@dataclass
class QueryResult:
    """Rows of one query as a DataFrame; `truncated` is True when the row limit was reached, so more rows may exist."""

    sql: str
    frame: pandas.DataFrame
    truncated: bool
    seconds: float

    @property
    def columns(self) -> list[str]:
        return [str(column) for column in self.frame.columns]


def run_query(
    source: SourceConfig, query: GuardedQuery, *, timeout: float, hook: StatementHook | None = None
) -> QueryResult:
    """Execute `query` on `source`; raises `QueryFailed` (422) or `UpstreamTimeoutError` (504)."""
    started = time.monotonic()
    with open_readonly(source, timeout=timeout, hook=hook) as connection:
        try:
            columns, rows = connection.execute(query.sql, max_rows=query.row_limit)
        except QueryTimedOut as exc:
            logger.warning("query on source %s timed out after %.1f s", source.name, timeout)
            raise UpstreamTimeoutError("analytics.query_timeout", sql=query.sql, seconds=timeout) from exc
        except XingchenError:
            raise
        except Exception as exc:  # noqa: BLE001  (every driver has its own error tree)
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            logger.info("query on source %s failed: %s", source.name, reason)
            raise QueryFailed("analytics.query_failed", source=source.name, sql=query.sql, reason=reason) from exc

    truncated = len(rows) >= query.row_limit
    frame = to_frame(columns, rows)
    seconds = time.monotonic() - started
    logger.info("query on source %s returned %d rows in %.2f s", source.name, len(frame), seconds)
    return QueryResult(sql=query.sql, frame=frame, truncated=truncated, seconds=seconds)


def to_frame(columns: list[str], rows: list[tuple[object, ...]]) -> pandas.DataFrame:
    """Build a DataFrame; Decimal columns become floats and dates become timestamps."""
    unique = _unique_names(columns)
    frame = pandas.DataFrame.from_records(rows, columns=unique) if rows else pandas.DataFrame(columns=unique)
    for column in frame.columns:
        values = frame[column].dropna()
        if values.empty:
            continue
        first = values.iloc[0]
        if isinstance(first, decimal.Decimal):
            frame[column] = pandas.to_numeric(frame[column], errors="coerce")
        elif isinstance(first, dt.date):
            frame[column] = pandas.to_datetime(frame[column], errors="coerce")
    return frame


def _unique_names(columns: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for column in columns:
        count = seen.get(column, 0)
        seen[column] = count + 1
        names.append(column if count == 0 else f"{column}_{count + 1}")
    return names


def jsonable_rows(frame: pandas.DataFrame) -> list[list[object]]:
    """Rows as JSON-ready lists: timestamps as ISO dates, NaN as null, numpy scalars as Python numbers."""
    rows: list[list[object]] = []
    for record in frame.itertuples(index=False, name=None):
        row: list[object] = []
        for value in record:
            if value is None or value is pandas.NaT or (isinstance(value, float) and value != value):
                row.append(None)
            elif isinstance(value, pandas.Timestamp):
                row.append(value.date().isoformat() if value == value.normalize() else value.isoformat())
            elif hasattr(value, "item"):
                row.append(value.item())
            elif isinstance(value, bytes):
                row.append(value.hex())
            elif isinstance(value, dt.date | dt.time | decimal.Decimal):
                row.append(str(value))
            else:
                row.append(value)
        rows.append(row)
    return rows
