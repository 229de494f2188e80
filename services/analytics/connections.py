"""Read-only connections with a statement timeout, one way per dialect.

Each dialect gets the strongest read-only mode its driver offers, on top of
the guard's syntax check. SQLite opens the file with `mode=ro` and
`query_only`. DuckDB opens with `read_only` and no external file access.
PostgreSQL runs every transaction read-only with `statement_timeout`.
MySQL/MariaDB sets the session and the transaction read-only, with a
server-side time limit.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import psycopg
import pymysql
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from services.analytics.sources import SourceConfig
from services.core.errors import UpstreamError, UpstreamUnavailableError

logger = logging.getLogger(__name__)

# Called with each statement text just before it is sent to the database.
StatementHook = Callable[[str], None]


# Errors of the drivers and of SQLAlchemy's inspector when a source cannot be read (not a database, broken file).
SOURCE_READ_ERRORS = (SQLAlchemyError, sqlite3.Error, duckdb.Error, psycopg.Error, pymysql.err.MySQLError, OSError)


def source_unreadable(source: SourceConfig, error: Exception) -> UpstreamError:
    """Log why `source` cannot be read and return the 502 error to raise."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip()
    reason = text.splitlines()[0] if text else type(original).__name__
    logger.warning("analytics source %s cannot be read: %s", source.name, reason)
    return UpstreamError("analytics.source_unreadable", name=source.name, reason=reason)


class QueryTimedOut(Exception):
    """The database cancelled the statement because it ran past the timeout."""


@dataclass
class ReadOnlyConnection:
    """A DBAPI connection opened read-only, plus what is needed to run one statement on it."""

    dialect: str
    dbapi: Any
    timeout: float
    hook: StatementHook | None = None

    def execute(self, sql: str, *, max_rows: int) -> tuple[list[str], list[tuple[Any, ...]]]:
        """Run `sql` and fetch at most `max_rows` rows; raises `QueryTimedOut` past the timeout."""
        if self.hook is not None:
            self.hook(sql)
        if self.dialect == "duckdb":
            return self._execute_duckdb(sql, max_rows=max_rows)
        if self.dialect == "sqlite":
            return self._execute_sqlite(sql, max_rows=max_rows)
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql)
            columns = [str(item[0]) for item in cursor.description or []]
            rows = [tuple(row) for row in cursor.fetchmany(max_rows)]
        except psycopg.errors.QueryCanceled as exc:
            raise QueryTimedOut(str(exc)) from exc
        except pymysql.err.OperationalError as exc:
            # 3024: MySQL max_execution_time; 1969: MariaDB max_statement_time.
            if exc.args and exc.args[0] in (3024, 1969):
                raise QueryTimedOut(str(exc)) from exc
            raise
        finally:
            cursor.close()
        return columns, rows

    def _execute_sqlite(self, sql: str, *, max_rows: int) -> tuple[list[str], list[tuple[Any, ...]]]:
        deadline = time.monotonic() + self.timeout
        # The handler runs every 1000 virtual-machine steps; a non-zero return interrupts the statement.
        self.dbapi.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        try:
            cursor = self.dbapi.execute(sql)
            columns = [str(item[0]) for item in cursor.description or []]
            rows = [tuple(row) for row in cursor.fetchmany(max_rows)]
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise QueryTimedOut(str(exc)) from exc
            raise
        finally:
            self.dbapi.set_progress_handler(None, 0)
        return columns, rows

    def _execute_duckdb(self, sql: str, *, max_rows: int) -> tuple[list[str], list[tuple[Any, ...]]]:
        timer = threading.Timer(self.timeout, self.dbapi.interrupt)
        timer.start()
        try:
            cursor = self.dbapi.execute(sql)
            columns = [str(item[0]) for item in cursor.description or []]
            rows = [tuple(row) for row in cursor.fetchmany(max_rows)]
        except duckdb.InterruptException as exc:
            raise QueryTimedOut(str(exc)) from exc
        finally:
            timer.cancel()
        return columns, rows


@contextmanager
def open_readonly(
    source: SourceConfig, *, timeout: float, hook: StatementHook | None = None
) -> Iterator[ReadOnlyConnection]:
    """Open `source` read-only with a `timeout` (seconds) on every statement; closes it afterwards."""
    url = make_url(source.url)
    dialect = source.dialect
    try:
        dbapi = _connect(dialect, url, timeout)
    except (sqlite3.Error, duckdb.Error, psycopg.Error, pymysql.err.MySQLError, OSError) as exc:
        logger.warning("analytics source %s could not be opened read-only: %s", source.name, exc)
        raise UpstreamUnavailableError("analytics.source_unreachable", name=source.name, reason=str(exc)) from exc

    connection = ReadOnlyConnection(dialect=dialect, dbapi=dbapi, timeout=timeout, hook=hook)
    try:
        yield connection
    finally:
        try:
            if dialect in ("postgresql", "mysql"):
                dbapi.rollback()
            dbapi.close()
        except Exception as exc:  # noqa: BLE001  (closing must not hide the query's own error)
            logger.warning("closing analytics source %s failed: %s", source.name, exc)


def _connect(dialect: str, url: URL, timeout: float) -> Any:
    if dialect == "sqlite":
        return _connect_sqlite(url)
    if dialect == "duckdb":
        return _connect_duckdb(url)
    if dialect == "postgresql":
        return _connect_postgresql(url, timeout)
    return _connect_mysql(url, timeout)


def _connect_sqlite(url: URL) -> sqlite3.Connection:
    path = Path(url.database or "")
    if not url.database or url.database == ":memory:":
        raise sqlite3.OperationalError("an in-memory SQLite database has no data to query")
    if not path.is_file():
        raise sqlite3.OperationalError(f"file {path} does not exist")
    connection = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, check_same_thread=False)
    connection.execute("PRAGMA query_only = ON")
    return connection


def _connect_duckdb(url: URL) -> duckdb.DuckDBPyConnection:
    path = Path(url.database or "")
    if not url.database or not path.is_file():
        raise duckdb.IOException(f"file {path} does not exist")
    # Without external access, DuckDB itself refuses read_csv, COPY, ATTACH of files and extensions.
    return duckdb.connect(
        str(path), read_only=True, config={"enable_external_access": False, "lock_configuration": True}
    )


def _connect_postgresql(url: URL, timeout: float) -> psycopg.Connection[Any]:
    milliseconds = max(int(timeout * 1000), 1)
    connection = psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database,
        connect_timeout=max(int(timeout), 2),
        options=f"-c statement_timeout={milliseconds} -c default_transaction_read_only=on",
    )
    connection.read_only = True
    return connection


def _connect_mysql(url: URL, timeout: float) -> pymysql.connections.Connection:
    connection = pymysql.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 3306,
        user=url.username or "root",
        password=url.password or "",
        database=url.database,
        connect_timeout=max(int(timeout), 2),
        read_timeout=int(timeout) + 5,
        charset="utf8mb4",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT VERSION()")
        version = str(cursor.fetchone()[0])
        if "mariadb" in version.lower():
            cursor.execute(f"SET SESSION max_statement_time = {float(timeout):.3f}")
        else:
            cursor.execute(f"SET SESSION max_execution_time = {max(int(timeout * 1000), 1)}")
        # The session setting also refuses DDL, which would otherwise end a read-only transaction by committing.
        cursor.execute("SET SESSION TRANSACTION READ ONLY")
        cursor.execute("START TRANSACTION READ ONLY")
    return connection
