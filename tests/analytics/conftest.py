"""Data sources for the analytics tests: one small shop database per dialect, on real servers.

Each fixture creates its own tables (PostgreSQL: its own database; MariaDB:
uniquely named tables in `test`) and drops them afterwards. `snapshot()`
returns every row, so a test can assert that nothing changed.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg
import pymysql
import pytest

from services.analytics.sources import SourceConfig
from tests.conftest import TEST_DATA

ANALYTICS_DATA = TEST_DATA / "analytics"
MARIADB = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": "", "database": "test"}

ROWS = [
    (1, "华东", 120.5, "2024-01-15"),
    (2, "华北", 80.0, "2024-02-03"),
    (3, "华东", 42.25, "2024-02-20"),
    (4, "华南", 99.0, "2024-03-09"),
]


@dataclass
class ShopSource:
    """A source with an `orders` table (named `table`) and a way to read its rows directly."""

    source: SourceConfig
    table: str
    snapshot: Callable[[], list[tuple[object, ...]]]


def _sqlite_shop(path: Path) -> ShopSource:
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount REAL NOT NULL, order_date TEXT)"
    )
    connection.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", ROWS)
    connection.commit()
    connection.close()

    def snapshot() -> list[tuple[object, ...]]:
        with sqlite3.connect(path) as reader:
            return [tuple(row) for row in reader.execute("SELECT * FROM orders ORDER BY id")]

    return ShopSource(SourceConfig(name="shop", url=f"sqlite:///{path}"), "orders", snapshot)


def _duckdb_shop(path: Path) -> ShopSource:
    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, region VARCHAR NOT NULL, amount DOUBLE NOT NULL, order_date DATE)"
    )
    connection.execute("COMMENT ON TABLE orders IS '订单表'")
    connection.execute("COMMENT ON COLUMN orders.amount IS '订单金额（元）'")
    connection.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", ROWS)
    connection.close()

    def snapshot() -> list[tuple[object, ...]]:
        reader = duckdb.connect(str(path), read_only=True)
        try:
            return [tuple(row) for row in reader.execute("SELECT * FROM orders ORDER BY id").fetchall()]
        finally:
            reader.close()

    return ShopSource(SourceConfig(name="shop", url=f"duckdb:///{path}"), "orders", snapshot)


@pytest.fixture
def postgres_shop() -> Iterator[ShopSource]:
    name = f"analytics_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}", autocommit=True) as connection:
            connection.execute(
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT NOT NULL, amount NUMERIC(10, 2) NOT NULL, "
                "order_date DATE)"
            )
            connection.execute("COMMENT ON TABLE orders IS '订单表'")
            connection.execute("COMMENT ON COLUMN orders.amount IS '订单金额（元）'")
            with connection.cursor() as cursor:
                cursor.executemany("INSERT INTO orders VALUES (%s, %s, %s, %s)", ROWS)

        def snapshot() -> list[tuple[object, ...]]:
            with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}") as reader:
                return [tuple(row) for row in reader.execute("SELECT * FROM orders ORDER BY id").fetchall()]

        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        yield ShopSource(SourceConfig(name="shop", url=url), "orders", snapshot)
    finally:
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def mariadb_shop() -> Iterator[ShopSource]:
    table = f"orders_{uuid.uuid4().hex[:8]}"
    connection = pymysql.connect(**MARIADB, autocommit=True)  # type: ignore[arg-type]
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {table} (id INT PRIMARY KEY, region VARCHAR(32) NOT NULL COMMENT '地区', "
                "amount DECIMAL(10, 2) NOT NULL COMMENT '订单金额（元）', order_date DATE) COMMENT = '订单表'"
            )
            cursor.executemany(f"INSERT INTO {table} VALUES (%s, %s, %s, %s)", ROWS)

        def snapshot() -> list[tuple[object, ...]]:
            reader = pymysql.connect(**MARIADB)  # type: ignore[arg-type]
            try:
                with reader.cursor() as read_cursor:
                    read_cursor.execute(f"SELECT * FROM {table} ORDER BY id")
                    return [tuple(row) for row in read_cursor.fetchall()]
            finally:
                reader.close()

        source = SourceConfig(name="shop", url="mysql+pymysql://root@127.0.0.1:3306/test", allowed_tables=[table])
        yield ShopSource(source, table, snapshot)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute("DROP TABLE IF EXISTS stolen")
        connection.close()


@pytest.fixture(params=["sqlite", "duckdb", "postgresql", "mariadb"])
def shop(request: pytest.FixtureRequest, tmp_path: Path) -> ShopSource:
    """The shop database on each dialect in turn."""
    if request.param == "sqlite":
        return _sqlite_shop(tmp_path / "shop.sqlite")
    if request.param == "duckdb":
        return _duckdb_shop(tmp_path / "shop.duckdb")
    fixture = "postgres_shop" if request.param == "postgresql" else "mariadb_shop"
    result: ShopSource = request.getfixturevalue(fixture)
    return result


@pytest.fixture
def sqlite_shop(tmp_path: Path) -> ShopSource:
    return _sqlite_shop(tmp_path / "shop.sqlite")


@pytest.fixture
def duckdb_shop(tmp_path: Path) -> ShopSource:
    return _duckdb_shop(tmp_path / "shop.duckdb")


@pytest.fixture
def department_store() -> SourceConfig:
    path = ANALYTICS_DATA / "department_store" / "department_store.sqlite"
    return SourceConfig(name="department_store", url=f"sqlite:///{path}")
