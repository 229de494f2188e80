"""Catalog: tables, columns, types, keys, comments, sample values and row counts of a source."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import sqlglot
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, inspect
from sqlalchemy.pool import StaticPool

from services.analytics.connections import SOURCE_READ_ERRORS, ReadOnlyConnection, open_readonly, source_unreadable
from services.analytics.sources import SQLGLOT_DIALECTS, SourceConfig

logger = logging.getLogger(__name__)

# A text column with at most this many distinct values gets sample values in the prompt.
LOW_CARDINALITY = 20
SAMPLE_VALUES = 8
CATALOG_TTL_SECONDS = 300.0


class ColumnInfo(BaseModel):
    name: str
    type: str
    comment: str = ""
    primary_key: bool = False
    samples: list[str] = Field(default_factory=list, description="Values of a low-cardinality text column.")


class ForeignKeyInfo(BaseModel):
    columns: list[str]
    ref_table: str
    ref_columns: list[str]


class TableInfo(BaseModel):
    name: str
    comment: str = ""
    columns: list[ColumnInfo]
    foreign_keys: list[ForeignKeyInfo] = Field(default_factory=list)
    row_count: int | None = None

    def column(self, name: str) -> ColumnInfo | None:
        lowered = name.lower()
        return next((column for column in self.columns if column.name.lower() == lowered), None)


class Catalog(BaseModel):
    source: str
    dialect: str
    tables: list[TableInfo]

    def table(self, name: str) -> TableInfo | None:
        lowered = name.lower()
        return next((table for table in self.tables if table.name.lower() == lowered), None)

    def sqlglot_schema(self) -> dict[str, dict[str, str]]:
        """Table -> column -> type, the shape sqlglot's qualifier takes."""
        return {table.name: {column.name: column.type or "TEXT" for column in table.columns} for table in self.tables}


_cache: dict[tuple[str, str], tuple[float, Catalog]] = {}
_cache_lock = threading.Lock()


def load_catalog(source: SourceConfig, *, timeout: float, refresh: bool = False) -> Catalog:
    """Introspect `source` over a read-only connection; results are cached for five minutes."""
    key = (source.name, source.url)
    with _cache_lock:
        cached = _cache.get(key)
    if cached is not None and not refresh and time.monotonic() - cached[0] < CATALOG_TTL_SECONDS:
        return cached[1]

    started = time.monotonic()
    with open_readonly(source, timeout=timeout) as connection:
        allowed = {name.lower() for name in source.allowed_tables} if source.allowed_tables else None
        try:
            if source.dialect == "duckdb":
                tables = _duckdb_tables(connection)
            else:
                tables = _inspected_tables(connection, allowed)
        except SOURCE_READ_ERRORS as exc:
            raise source_unreadable(source, exc) from exc
        if allowed is not None:
            tables = [table for table in tables if table.name.lower() in allowed]
        for table in tables:
            _add_counts_and_samples(connection, table, source.dialect)

    catalog = Catalog(source=source.name, dialect=source.dialect, tables=tables)
    with _cache_lock:
        _cache[key] = (time.monotonic(), catalog)
    logger.info(
        "catalog of source %s loaded: %d tables in %.2f s", source.name, len(tables), time.monotonic() - started
    )
    return catalog


def _inspected_tables(connection: ReadOnlyConnection, allowed: set[str] | None) -> list[TableInfo]:
    # The engine reuses the already open read-only DBAPI connection, so introspection is read-only too.
    driver = {"sqlite": "sqlite://", "postgresql": "postgresql+psycopg://", "mysql": "mysql+pymysql://"}
    engine = create_engine(driver[connection.dialect], creator=lambda: connection.dbapi, poolclass=StaticPool)
    inspector = inspect(engine)
    tables: list[TableInfo] = []
    for name in inspector.get_table_names():
        if allowed is not None and name.lower() not in allowed:
            continue
        primary = set(inspector.get_pk_constraint(name).get("constrained_columns") or [])
        columns = [
            ColumnInfo(
                name=column["name"],
                type=str(column["type"]),
                comment=column.get("comment") or "",
                primary_key=column["name"] in primary,
            )
            for column in inspector.get_columns(name)
        ]
        foreign_keys = [
            ForeignKeyInfo(
                columns=list(key["constrained_columns"]),
                ref_table=key["referred_table"],
                ref_columns=list(key["referred_columns"]),
            )
            for key in inspector.get_foreign_keys(name)
        ]
        try:
            comment = inspector.get_table_comment(name).get("text") or ""
        except NotImplementedError:
            comment = ""
        tables.append(TableInfo(name=name, comment=comment, columns=columns, foreign_keys=foreign_keys))
    return tables


def _duckdb_tables(connection: ReadOnlyConnection) -> list[TableInfo]:
    database = connection.dbapi
    tables: dict[str, TableInfo] = {}
    for name, comment in database.execute(
        "SELECT table_name, comment FROM duckdb_tables() WHERE NOT internal AND database_name = current_database() "
        "ORDER BY table_name"
    ).fetchall():
        tables[name] = TableInfo(name=name, comment=comment or "", columns=[])
    for table, column, data_type, comment in database.execute(
        "SELECT table_name, column_name, data_type, comment FROM duckdb_columns() "
        "WHERE NOT internal AND database_name = current_database() ORDER BY table_name, column_index"
    ).fetchall():
        if table in tables:
            tables[table].columns.append(ColumnInfo(name=column, type=data_type, comment=comment or ""))
    for table, kind, columns, ref_table, ref_columns in database.execute(
        "SELECT table_name, constraint_type, constraint_column_names, referenced_table, referenced_column_names "
        "FROM duckdb_constraints() WHERE database_name = current_database()"
    ).fetchall():
        info = tables.get(table)
        if info is None:
            continue
        if kind == "PRIMARY KEY":
            for column in info.columns:
                column.primary_key = column.primary_key or column.name in columns
        elif kind == "FOREIGN KEY":
            info.foreign_keys.append(
                ForeignKeyInfo(columns=list(columns), ref_table=ref_table, ref_columns=list(ref_columns))
            )
    return list(tables.values())


def _is_text(type_name: str) -> bool:
    lowered = type_name.lower()
    return any(word in lowered for word in ("char", "text", "string", "varchar", "enum"))


def _quote(name: str, dialect: str) -> str:
    return sqlglot.exp.to_identifier(name, quoted=True).sql(dialect=SQLGLOT_DIALECTS[dialect])  # type: ignore[index]


def _add_counts_and_samples(connection: ReadOnlyConnection, table: TableInfo, dialect: str) -> None:
    table_sql = _quote(table.name, dialect)
    try:
        _, rows = connection.execute(f"SELECT COUNT(*) FROM {table_sql}", max_rows=1)
        table.row_count = int(rows[0][0])
    except Exception as exc:  # noqa: BLE001  (a count is optional; the catalog stays usable)
        logger.warning("row count of %s failed: %s", table.name, exc)
        _rollback_if_needed(connection)
        return
    for column in table.columns:
        if not _is_text(column.type):
            continue
        column_sql = _quote(column.name, dialect)
        query = (
            f"SELECT {column_sql} FROM {table_sql} WHERE {column_sql} IS NOT NULL "
            f"GROUP BY {column_sql} ORDER BY COUNT(*) DESC LIMIT {LOW_CARDINALITY + 1}"
        )
        try:
            _, values = connection.execute(query, max_rows=LOW_CARDINALITY + 1)
        except Exception as exc:  # noqa: BLE001  (samples are optional)
            logger.warning("sample values of %s.%s failed: %s", table.name, column.name, exc)
            _rollback_if_needed(connection)
            continue
        if len(values) <= LOW_CARDINALITY:
            column.samples = [_short(value[0]) for value in values[:SAMPLE_VALUES]]


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _rollback_if_needed(connection: ReadOnlyConnection) -> None:
    # A failed statement aborts a PostgreSQL transaction; later statements need a fresh one.
    if connection.dialect == "postgresql":
        connection.dbapi.rollback()
