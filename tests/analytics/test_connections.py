"""Read-only execution for real on SQLite, DuckDB, PostgreSQL and MariaDB, with timeouts."""

from __future__ import annotations

import time

import pytest

from services.analytics.catalog import load_catalog
from services.analytics.connections import QueryTimedOut, open_readonly
from services.analytics.execute import run_query
from services.analytics.guard import SqlRejected, guard_sql
from services.analytics.sources import SQLGLOT_DIALECTS
from services.core.errors import UpstreamTimeoutError, UpstreamUnavailableError
from tests.analytics.attacks import ATTACKS
from tests.analytics.conftest import ShopSource


def test_attacks_never_reach_database(shop: ShopSource) -> None:
    before = shop.snapshot()
    catalog = load_catalog(shop.source, timeout=5, refresh=True)
    reached: list[str] = []
    dialect = SQLGLOT_DIALECTS[shop.source.dialect]

    for _, sql, _ in ATTACKS:
        with pytest.raises(SqlRejected):
            query = guard_sql(sql.format(t=shop.table), catalog=catalog, dialect=dialect, row_limit=100)
            run_query(shop.source, query, timeout=5, hook=reached.append)

    assert reached == []
    assert shop.snapshot() == before


@pytest.mark.parametrize(
    "statement", ["DELETE FROM {t}", "UPDATE {t} SET amount = 0", "DROP TABLE {t}", "CREATE TABLE evil_probe (x INT)"]
)
def test_connection_rejects_write_without_guard(shop: ShopSource, statement: str) -> None:
    before = shop.snapshot()

    with open_readonly(shop.source, timeout=5) as connection:
        with pytest.raises(Exception) as caught:
            connection.execute(statement.format(t=shop.table), max_rows=1)

    assert not isinstance(caught.value, AssertionError)
    assert shop.snapshot() == before


def test_guarded_query_returns_rows(shop: ShopSource) -> None:
    catalog = load_catalog(shop.source, timeout=5, refresh=True)
    dialect = SQLGLOT_DIALECTS[shop.source.dialect]
    query = guard_sql(
        f"SELECT region, SUM(amount) AS total FROM {shop.table} GROUP BY region ORDER BY total DESC",
        catalog=catalog,
        dialect=dialect,
        row_limit=2,
    )

    result = run_query(shop.source, query, timeout=5)

    assert result.columns == ["region", "total"]
    assert result.frame["region"].tolist() == ["华东", "华南"]
    assert result.frame["total"].tolist() == pytest.approx([162.75, 99.0])
    assert result.truncated is True


# Statements that run far longer than the timeout, run straight on the connection.
SLOW_STATEMENTS = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c",
    "duckdb": "SELECT SUM(a.range * b.range) FROM range(200000) a, range(200000) b",
    "postgresql": "SELECT pg_sleep(10)",
    "mysql": "SELECT SLEEP(10)",
}


def test_connection_cancels_slow_statement(shop: ShopSource) -> None:
    started = time.monotonic()

    with open_readonly(shop.source, timeout=0.5) as connection:
        with pytest.raises(QueryTimedOut):
            connection.execute(SLOW_STATEMENTS[shop.source.dialect], max_rows=1)

    assert time.monotonic() - started < 8


def test_run_query_times_out_on_endless_sqlite_query(sqlite_shop: ShopSource) -> None:
    catalog = load_catalog(sqlite_shop.source, timeout=5, refresh=True)
    query = guard_sql(SLOW_STATEMENTS["sqlite"], catalog=catalog, dialect="sqlite", row_limit=10)

    with pytest.raises(UpstreamTimeoutError) as caught:
        run_query(sqlite_shop.source, query, timeout=0.5)

    assert caught.value.code == "analytics.query_timeout"


def test_open_missing_file_is_unavailable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from services.analytics.sources import SourceConfig

    source = SourceConfig(name="gone", url=f"sqlite:///{tmp_path / 'missing.db'}")

    with pytest.raises(UpstreamUnavailableError) as caught:
        with open_readonly(source, timeout=1):
            pass

    assert caught.value.code == "analytics.source_unreachable"
    assert not (tmp_path / "missing.db").exists()
