"""The SQL guard: a syntax-tree check that runs before anything reaches a database.

A query passes only when it is exactly one read-only statement (SELECT, WITH,
UNION/INTERSECT/EXCEPT), reads only the source's allowed tables, names only
columns the catalog knows, calls no denied function, and has a row limit no
larger than the source's. The checked tree is then written out in the
source's dialect, so the text that runs is the text that was checked.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import cast

import sqlglot
from sqlglot import exp
from sqlglot.errors import OptimizeError, SqlglotError
from sqlglot.optimizer.qualify import qualify

from services.analytics.catalog import Catalog
from services.core.errors import InvalidInputError

logger = logging.getLogger(__name__)


class SqlRejected(InvalidInputError):
    """The guard rejected a query; the message names the reason and quotes the SQL."""


class SqlWriteRejected(SqlRejected):
    """The query would change data, the schema, settings or files; rewording it cannot make it read-only."""


# Statement and clause nodes that write, change settings or touch files. sqlglot
# parses statements it does not model (CALL, LOAD, some PRAGMAs) as `Command`.
_DENIED_NODES: dict[str, str] = {
    "Insert": "INSERT",
    "Update": "UPDATE",
    "Delete": "DELETE",
    "Merge": "MERGE",
    "Drop": "DROP",
    "Create": "CREATE",
    "Alter": "ALTER",
    "TruncateTable": "TRUNCATE",
    "Command": "a command statement",
    "Into": "SELECT … INTO",
    "Pragma": "PRAGMA",
    "Set": "SET",
    "Copy": "COPY",
    "Attach": "ATTACH",
    "Detach": "DETACH",
    "Lock": "FOR UPDATE / FOR SHARE",
    "Transaction": "BEGIN",
    "Commit": "COMMIT",
    "Rollback": "ROLLBACK",
    "Use": "USE",
    "Grant": "GRANT",
    "Revoke": "REVOKE",
    "LoadData": "LOAD DATA",
    "Analyze": "ANALYZE",
    "Describe": "DESCRIBE",
    "Show": "SHOW",
    "Cache": "CACHE",
    "Uncache": "UNCACHE",
    "Refresh": "REFRESH",
    "Install": "INSTALL",
}
DENIED_NODE_TYPES: tuple[tuple[type[exp.Expression], str], ...] = tuple(
    (getattr(exp, name), label) for name, label in _DENIED_NODES.items() if hasattr(exp, name)
)
# Labels of the statements above that only inspect (SHOW, DESCRIBE, ...); every other one writes.
_INSPECTING_LABELS = frozenset({"FOR UPDATE / FOR SHARE", "DESCRIBE", "SHOW", "USE", "BEGIN", "COMMIT", "ROLLBACK"})

# Functions that sleep, read or write files, reach other servers, change
# server state or load code. Names are compared in lower case.
DENIED_FUNCTIONS: frozenset[str] = frozenset(
    {
        # sleeping and load generation
        "pg_sleep", "pg_sleep_for", "pg_sleep_until", "sleep", "benchmark",
        # SQLite extensions and the CLI's file helpers
        "load_extension", "readfile", "writefile", "edit", "fts3_tokenizer",
        # PostgreSQL files, large objects, other servers and server control
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "lo_import", "lo_export",
        "lo_get", "lo_put", "dblink", "dblink_exec", "dblink_connect", "pg_terminate_backend",
        "pg_cancel_backend", "pg_reload_conf", "set_config", "nextval", "setval", "pg_advisory_lock",
        "pg_advisory_xact_lock", "query_to_xml", "query_to_json", "pg_logical_emit_message",
        # MySQL/MariaDB files and locks
        "load_file", "get_lock", "release_lock", "release_all_locks", "sys_exec", "sys_eval",
        # DuckDB file readers, scanners of other databases and dynamic SQL
        "read_csv", "read_csv_auto", "read_parquet", "parquet_scan", "read_json", "read_json_auto",
        "read_json_objects", "read_json_objects_auto", "read_ndjson", "read_ndjson_auto", "read_text",
        "read_blob", "glob", "sniff_csv", "parquet_metadata", "parquet_schema", "iceberg_scan",
        "delta_scan", "sqlite_scan", "sqlite_attach", "postgres_scan", "postgres_attach", "mysql_scan",
        "query", "query_table", "getenv", "read_xlsx", "st_read",
        # generic names for file access in other dialects
        "readcsv", "readparquet", "readjson",
    }
)  # fmt: skip

# Table-valued functions that generate rows without touching files.
ALLOWED_TABLE_FUNCTIONS: frozenset[str] = frozenset({"generate_series", "range", "unnest", "json_each"})

_READ_ONLY_ROOTS = (exp.Select, exp.SetOperation)


# A write statement quoted in a question ("执行 DELETE FROM t ..."). Only SQL syntax
# counts: a question that merely names a word such as 删除 or "update" is not a write.
_WRITE_IN_QUESTION = re.compile(
    r"(?<![a-z0-9_])(delete\s+from|insert\s+into|update\s+[\w.\"`]+\s+set|merge\s+into|"
    r"(?:drop|truncate|alter)\s+(?:table|view|database|schema|index)|"
    r"copy\s+[\w.\"`]+\s+(?:from|to)(?=\s+')|grant\s+\w+\s+on)(?![a-z0-9_])",
    re.IGNORECASE,
)


def write_in_question(question: str) -> str | None:
    """Return the write statement's keyword (upper case, e.g. DELETE) that `question` quotes, or None."""
    match = _WRITE_IN_QUESTION.search(question)
    return None if match is None else match.group(1).split()[0].upper()


@dataclass(frozen=True)
class GuardedQuery:
    """A query that passed the guard, written out in the source's dialect."""

    sql: str
    tables: list[str]
    row_limit: int


def _quote(sql: str) -> str:
    compact = " ".join(sql.split())
    return compact if len(compact) <= 600 else compact[:599] + "…"


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.name).lower()
    return node.sql_name().lower()


def parse_single(sql: str, dialect: str) -> exp.Expression:
    """Parse `sql` into exactly one statement; comments alone, several statements or bad syntax raise."""
    try:
        statements = sqlglot.parse(sql, read=dialect)
    except SqlglotError as exc:
        raise SqlRejected("analytics.sql_parse_failed", sql=_quote(sql), reason=str(exc).splitlines()[0]) from exc

    # A trailing `;` with a comment after it parses as a `Semicolon` holder, which is no statement.
    real = [statement for statement in statements if statement is not None and not isinstance(statement, exp.Semicolon)]
    if len(real) != 1:
        if not real:
            raise SqlRejected("analytics.sql_parse_failed", sql=_quote(sql), reason="no statement")
        raise SqlRejected("analytics.sql_multiple_statements", sql=_quote(sql), count=len(real))
    return cast(exp.Expression, real[0])


def guard_sql(sql: str, *, catalog: Catalog, dialect: str, row_limit: int) -> GuardedQuery:
    """Check `sql` against the catalog and return the query to run; raises `SqlRejected`.

    `dialect` is the sqlglot dialect of the source (sqlite, duckdb, postgres, mysql).
    """
    tree = parse_single(sql, dialect)

    for node in tree.walk():
        for node_type, label in DENIED_NODE_TYPES:
            if isinstance(node, node_type):
                error = SqlRejected if label in _INSPECTING_LABELS else SqlWriteRejected
                raise error("analytics.sql_not_readonly", sql=_quote(sql), statement=label)
    if not isinstance(tree, _READ_ONLY_ROOTS):
        raise SqlRejected("analytics.sql_not_readonly", sql=_quote(sql), statement=tree.key.upper())

    for function in tree.find_all(exp.Func):
        name = _function_name(function)
        if name in DENIED_FUNCTIONS:
            raise SqlRejected("analytics.sql_function_denied", sql=_quote(sql), function=name.upper())

    tables = _check_tables(tree, catalog, sql)
    _check_columns(tree, catalog, dialect, sql)

    if dialect == "sqlite":
        tree = _rewrite_date_parts_for_sqlite(tree)
    limited = _apply_limit(tree, row_limit)
    text = limited.sql(dialect=dialect)
    return GuardedQuery(sql=text, tables=tables, row_limit=row_limit)


def _check_tables(tree: exp.Expression, catalog: Catalog, sql: str) -> list[str]:
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    allowed = {table.name.lower(): table.name for table in catalog.tables}
    used: list[str] = []
    for table in tree.find_all(exp.Table):
        target = table.this
        if isinstance(target, exp.Func):
            name = _function_name(target)
            if name not in ALLOWED_TABLE_FUNCTIONS:
                raise SqlRejected("analytics.sql_function_denied", sql=_quote(sql), function=name.upper())
            continue
        name = table.name
        qualified = table.db or table.catalog
        if not qualified and name.lower() in cte_names:
            continue
        # A schema-qualified name (information_schema.tables, pg_catalog.x) is never in the allowed list.
        if qualified and f"{qualified}.{name}".lower() not in allowed and qualified.lower() not in ("main", "public"):
            raise SqlRejected(
                "analytics.sql_table_not_allowed",
                sql=_quote(sql),
                table=f"{qualified}.{name}",
                allowed=", ".join(sorted(allowed.values())) or "-",
            )
        if name.lower() not in allowed:
            raise SqlRejected(
                "analytics.sql_table_not_allowed",
                sql=_quote(sql),
                table=name,
                allowed=", ".join(sorted(allowed.values())) or "-",
            )
        used.append(allowed[name.lower()])
    return sorted(set(used))


def _check_columns(tree: exp.Expression, catalog: Catalog, dialect: str, sql: str) -> None:
    try:
        schema: dict[str, object] = dict(catalog.sqlglot_schema())
        qualify(
            tree.copy(),
            schema=schema,
            dialect=dialect,
            validate_qualify_columns=True,
            quote_identifiers=False,
            identify=False,
        )
    except OptimizeError as exc:
        reason = str(exc)
        if "could not be resolved" in reason or "Unknown column" in reason or "Ambiguous" in reason:
            raise SqlRejected(
                "analytics.sql_column_unknown", sql=_quote(sql), reason=_with_column_owners(reason, catalog)
            ) from exc
        # NOTE: the qualifier does not model every construct (some dialect functions,
        # lateral joins); such queries go on, and the database reports a bad column itself.
        logger.info("column check skipped for a construct the qualifier does not model: %s", reason)
    except SqlglotError as exc:
        logger.info("column check skipped: %s", exc)


def _with_column_owners(reason: str, catalog: Catalog) -> str:
    """Append which tables have the unresolved column, which is what a model needs to fix its join."""
    match = re.search(r"Column '([^']+)'|Unknown column: (\w+)", reason)
    if match is None:
        return reason
    column = (match.group(1) or match.group(2)).lower()
    owners = [table.name for table in catalog.tables if table.column(column) is not None]
    if not owners:
        return f"{reason} (no table has a column {column})"
    return f"{reason} (column {column} is in table {', '.join(owners)})"


def _rewrite_date_parts_for_sqlite(tree: exp.Expression) -> exp.Expression:
    """Rewrite YEAR()/MONTH()/DAY(), which SQLite lacks, to CAST(STRFTIME(...) AS INTEGER)."""
    formats = {exp.Year: "%Y", exp.Month: "%m", exp.Day: "%d"}

    def rewrite(node: exp.Expression) -> exp.Expression:
        for node_type, pattern in formats.items():
            if isinstance(node, node_type):
                strftime = exp.Anonymous(this="STRFTIME", expressions=[exp.Literal.string(pattern), node.this])
                return exp.Cast(this=strftime, to=exp.DataType.build("INTEGER"))
        return node

    return tree.transform(rewrite)


def _apply_limit(tree: exp.Expression, row_limit: int) -> exp.Expression:
    """Add `LIMIT row_limit`, or lower a larger literal limit to it."""
    assert isinstance(tree, exp.Query)
    current = tree.args.get("limit")
    if current is not None:
        value = current.expression if isinstance(current, exp.Limit) else None
        if isinstance(value, exp.Literal) and value.is_int and int(value.name) <= row_limit:
            return tree
    return tree.limit(row_limit)
