"""The guard rejects every attack before it reaches a database, and passes ordinary queries."""

from __future__ import annotations

import pytest

from services.analytics.catalog import Catalog, ColumnInfo, TableInfo
from services.analytics.guard import SqlRejected, SqlWriteRejected, guard_sql
from tests.analytics.attacks import ATTACKS

CATALOG = Catalog(
    source="shop",
    dialect="sqlite",
    tables=[
        TableInfo(
            name="orders",
            columns=[
                ColumnInfo(name="id", type="INTEGER", primary_key=True),
                ColumnInfo(name="region", type="TEXT"),
                ColumnInfo(name="amount", type="REAL"),
                ColumnInfo(name="order_date", type="TEXT"),
            ],
        ),
        TableInfo(
            name="regions", columns=[ColumnInfo(name="region", type="TEXT"), ColumnInfo(name="manager", type="TEXT")]
        ),
    ],
)

DIALECTS = ["sqlite", "duckdb", "postgres", "mysql"]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(("case", "sql", "code"), ATTACKS, ids=[case for case, _, _ in ATTACKS])
def test_guard_rejects_attack(case: str, sql: str, code: str | None, dialect: str) -> None:
    with pytest.raises(SqlRejected) as caught:
        guard_sql(sql.format(t="orders"), catalog=CATALOG, dialect=dialect, row_limit=100)

    # A statement some dialect cannot parse is rejected as unparsable, which is just as safe.
    accepted = {code, "analytics.sql_parse_failed"} if code else {caught.value.code}
    assert caught.value.code in accepted


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "SELECT region, SUM(amount) FROM orders GROUP BY region",
            "SELECT region, SUM(amount) FROM orders GROUP BY region LIMIT 100",
        ),
        ("SELECT id FROM orders LIMIT 5", "SELECT id FROM orders LIMIT 5"),
        ("SELECT id FROM orders LIMIT 5000", "SELECT id FROM orders LIMIT 100"),
        (
            "SELECT region FROM orders UNION SELECT region FROM regions",
            "SELECT region FROM orders UNION SELECT region FROM regions LIMIT 100",
        ),
        (
            "WITH r AS (SELECT region FROM orders) SELECT region FROM r",
            "WITH r AS (SELECT region FROM orders) SELECT region FROM r LIMIT 100",
        ),
        ("SELECT 1 /* ; DROP TABLE orders */", "SELECT 1 /* ; DROP TABLE orders */ LIMIT 100"),
    ],
)
def test_guard_passes_read_query(sql: str, expected: str) -> None:
    query = guard_sql(sql, catalog=CATALOG, dialect="sqlite", row_limit=100)

    assert query.sql == expected


def test_guard_lists_tables_read() -> None:
    query = guard_sql(
        "SELECT o.id, r.manager FROM orders o JOIN regions r ON o.region = r.region",
        catalog=CATALOG,
        dialect="sqlite",
        row_limit=10,
    )

    assert query.tables == ["orders", "regions"]


def test_guard_rejects_unknown_column() -> None:
    with pytest.raises(SqlRejected) as caught:
        guard_sql("SELECT price FROM orders", catalog=CATALOG, dialect="sqlite", row_limit=10)

    assert caught.value.code == "analytics.sql_column_unknown"
    assert "price" in caught.value.message("en")


def test_guard_names_table_of_column() -> None:
    with pytest.raises(SqlRejected) as caught:
        guard_sql("SELECT manager FROM orders", catalog=CATALOG, dialect="sqlite", row_limit=10)

    assert "(column manager is in table regions)" in caught.value.message("en")


def test_guard_rejects_table_outside_catalog() -> None:
    with pytest.raises(SqlRejected) as caught:
        guard_sql("SELECT * FROM customers", catalog=CATALOG, dialect="sqlite", row_limit=10)

    assert caught.value.code == "analytics.sql_table_not_allowed"
    assert "orders, regions" in caught.value.message("en")


def test_guard_rewrites_year_for_sqlite() -> None:
    query = guard_sql(
        "SELECT COUNT(*) FROM orders WHERE YEAR(order_date) = 2024", catalog=CATALOG, dialect="sqlite", row_limit=10
    )

    assert "STRFTIME('%Y', order_date)" in query.sql
    assert "YEAR(" not in query.sql


def test_guard_transpiles_to_postgres() -> None:
    query = guard_sql(
        "SELECT id FROM orders WHERE region = 'x' LIMIT 3", catalog=CATALOG, dialect="postgres", row_limit=10
    )

    assert query.sql == "SELECT id FROM orders WHERE region = 'x' LIMIT 3"


@pytest.mark.parametrize("sql", ["", "-- only a comment", "SELECT FROM WHERE"])
def test_guard_rejects_unparsable(sql: str) -> None:
    with pytest.raises(SqlRejected) as caught:
        guard_sql(sql, catalog=CATALOG, dialect="sqlite", row_limit=10)

    assert caught.value.code == "analytics.sql_parse_failed"


@pytest.mark.parametrize(
    ("dialect", "sql"),
    [
        ("mysql", "SELECT * FROM orders INTO OUTFILE '/tmp/x'"),
        ("mysql", "LOAD DATA INFILE '/etc/passwd' INTO TABLE orders"),
        ("mysql", "DO SLEEP(1)"),
        ("mysql", "LOCK TABLES orders WRITE"),
        ("mysql", "SHOW TABLES"),
        ("postgres", "EXPLAIN ANALYZE DELETE FROM orders"),
        ("postgres", "SELECT * FROM dblink('host=x', 'select 1') AS t(a int)"),
        ("postgres", "SELECT lo_import('/etc/passwd')"),
        ("postgres", "SELECT * FROM orders WHERE id = (SELECT nextval('s'))"),
        ("sqlite", "VACUUM INTO '/tmp/x.db'"),
        ("sqlite", "REPLACE INTO orders VALUES (1, 'a', 1, 'x')"),
        ("duckdb", "EXPORT DATABASE '/tmp/x'"),
        ("duckdb", "INSTALL httpfs"),
        ("duckdb", "LOAD httpfs"),
    ],
)
def test_guard_rejects_dialect_attack(dialect: str, sql: str) -> None:
    with pytest.raises(SqlRejected):
        guard_sql(sql, catalog=CATALOG, dialect=dialect, row_limit=10)


@pytest.mark.parametrize(
    "sql", ["DELETE FROM orders WHERE 1 = 1", "UPDATE orders SET amount = 0", "DROP TABLE regions"]
)
def test_guard_tells_writes_from_other_rejections(sql: str) -> None:
    with pytest.raises(SqlWriteRejected):
        guard_sql(sql, catalog=CATALOG, dialect="sqlite", row_limit=10)
    with pytest.raises(SqlRejected) as caught:
        guard_sql("SELECT missing FROM orders", catalog=CATALOG, dialect="sqlite", row_limit=10)
    assert not isinstance(caught.value, SqlWriteRejected)
