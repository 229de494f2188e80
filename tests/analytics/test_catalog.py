"""Catalog introspection on every dialect, the demo source, and schema pruning."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest

from services.analytics.catalog import load_catalog
from services.analytics.demo import ensure_demo_database
from services.analytics.glossary import BUILTIN_EXAMPLES, BUILTIN_TERMS
from services.analytics.retrieval import prune_catalog, relevant_terms, similar_examples
from services.analytics.sources import SourceConfig
from tests.analytics.conftest import ANALYTICS_DATA, ShopSource


def test_catalog_reads_columns_and_counts(shop: ShopSource) -> None:
    catalog = load_catalog(shop.source, timeout=5, refresh=True)

    table = catalog.table(shop.table)
    assert table is not None
    assert [column.name for column in table.columns] == ["id", "region", "amount", "order_date"]
    assert table.row_count == 4
    assert table.column("id").primary_key is True  # type: ignore[union-attr]
    assert sorted(table.column("region").samples) == ["华东", "华北", "华南"]  # type: ignore[union-attr]


def test_catalog_reads_comments(shop: ShopSource) -> None:
    if shop.source.dialect == "sqlite":
        return  # SQLite has no comments.
    catalog = load_catalog(shop.source, timeout=5, refresh=True)

    table = catalog.table(shop.table)
    assert table is not None
    assert table.comment == "订单表"
    assert table.column("amount").comment == "订单金额（元）"  # type: ignore[union-attr]


def test_catalog_reads_foreign_keys(department_store: SourceConfig) -> None:
    catalog = load_catalog(department_store, timeout=5, refresh=True)

    orders = catalog.table("Customer_Orders")
    assert orders is not None
    assert [key.ref_table for key in orders.foreign_keys] == ["Customers"]
    assert len(catalog.tables) == 14


def test_catalog_limits_to_allowed_tables(department_store: SourceConfig) -> None:
    source = department_store.model_copy(update={"name": "ds_allowed", "allowed_tables": ["Products", "suppliers"]})

    catalog = load_catalog(source, timeout=5, refresh=True)

    assert [table.name for table in catalog.tables] == ["Products", "Suppliers"]


def test_demo_database_is_deterministic(tmp_path: Path) -> None:
    digests = []
    for name in ("a", "b"):
        path = ensure_demo_database(tmp_path / name / "demo.duckdb")
        connection = duckdb.connect(str(path), read_only=True)
        rows = connection.execute("SELECT * FROM monthly_kpi ORDER BY month, region_id, plan_id").fetchall()
        complaints = connection.execute("SELECT * FROM complaints ORDER BY ALL").fetchall()
        connection.close()
        digests.append(hashlib.sha256(repr((rows, complaints)).encode()).hexdigest())

    assert digests[0] == digests[1]


def test_demo_catalog_has_chinese_comments(tmp_path: Path) -> None:
    path = ensure_demo_database(tmp_path / "demo.duckdb")
    source = SourceConfig(name="demo_test", url=f"duckdb:///{path}")

    catalog = load_catalog(source, timeout=10, refresh=True)

    assert [table.name for table in catalog.tables] == ["complaints", "monthly_kpi", "plans", "regions"]
    kpi = catalog.table("monthly_kpi")
    assert kpi is not None
    assert kpi.row_count == 6 * 8 * 36
    assert kpi.column("revenue").comment == "当月收入（元）"  # type: ignore[union-attr]
    assert [key.ref_table for key in kpi.foreign_keys] == ["regions", "plans"]


def test_prune_picks_relevant_tables() -> None:
    source = SourceConfig(name="chinook", url=f"sqlite:///{ANALYTICS_DATA / 'chinook' / 'Chinook_Sqlite.sqlite'}")
    catalog = load_catalog(source, timeout=10, refresh=True)

    pruned = prune_catalog(catalog, "每位客户的发票总额 invoice total per customer", max_tables=3)

    names = [table.name for table in pruned.tables]
    assert len(catalog.tables) == 11
    assert "Invoice" in names
    assert "Customer" in names
    assert len(names) == 3


def test_prune_keeps_small_schema_whole(department_store: SourceConfig) -> None:
    catalog = load_catalog(department_store, timeout=5, refresh=True)

    pruned = prune_catalog(catalog, "客户数量", max_tables=20)

    assert len(pruned.tables) == len(catalog.tables)


def test_similar_examples_ranks_by_overlap() -> None:
    examples = similar_examples(BUILTIN_EXAMPLES, "2025年各地区的投诉量排名", limit=1)

    assert [example.id for example in examples] == ["builtin-demo-3"]


def test_relevant_terms_finds_term_in_question() -> None:
    terms = relevant_terms(BUILTIN_TERMS, "各地区的 ARPU 环比")

    assert [term.term for term in terms][:2] == ["ARPU", "环比"]


@pytest.mark.parametrize(
    ("question", "needed"),
    [
        ("列出价格在 600 到 700 之间的产品的名称和 id。", {"Products"}),
        ("查询所有客户和供应商的电话号码。", {"Customers", "Suppliers"}),
        ("被下单次数最多的产品 id 是什么？", {"Order_Items"}),
    ],
)
def test_prune_maps_chinese_words_to_english_tables(
    department_store: SourceConfig, question: str, needed: set[str]
) -> None:
    catalog = load_catalog(department_store, timeout=5, refresh=True)

    pruned = prune_catalog(catalog, question, max_tables=6)

    assert needed <= {table.name for table in pruned.tables}
