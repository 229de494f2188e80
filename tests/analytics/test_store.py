"""Sources, glossary terms and examples stored in the suite's database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from services.analytics.glossary import Example, GlossaryStore, GlossaryTerm
from services.analytics.sources import SourceConfig, SourceRegistry, dialect_of
from services.core.db import Database
from services.core.errors import ConflictError, InvalidInputError, NotFoundError
from services.core.settings import Settings


def test_registry_stores_source(settings: Settings, database: Database) -> None:
    registry = SourceRegistry(settings, database)

    registry.add(SourceConfig(name="sales", url="sqlite:///sales.db", allowed_tables=["orders"], row_limit=50))

    stored = registry.get("sales")
    assert stored.allowed_tables == ["orders"]
    assert stored.row_limit == 50
    assert stored.origin == "stored"
    assert [source.name for source in registry.list()] == ["demo", "sales"]


def test_registry_settings_source_protected(settings: Settings, database: Database) -> None:
    registry = SourceRegistry(
        settings.model_copy(update={"analytics_sources": {"dw": "duckdb:///dw.duckdb"}}), database
    )

    with pytest.raises(ConflictError) as caught:
        registry.delete("dw")

    assert caught.value.code == "analytics.source_protected"


def test_registry_unknown_source(settings: Settings, database: Database) -> None:
    with pytest.raises(NotFoundError):
        SourceRegistry(settings, database).get("missing")


def test_registry_demo_disabled(settings: Settings, database: Database) -> None:
    registry = SourceRegistry(settings.model_copy(update={"analytics_demo_source": False}), database)

    assert registry.list() == []


def test_registry_generates_demo_on_first_use(settings: Settings, database: Database) -> None:
    path = settings.data_dir / "analytics" / "demo.duckdb"

    SourceRegistry(settings, database).get("demo")

    assert path.is_file()


def test_row_limit_clamped_to_setting(settings: Settings) -> None:
    source = SourceConfig(name="x", url="sqlite:///x.db", row_limit=10_000)

    assert source.effective_row_limit(settings) == settings.analytics_row_limit


@pytest.mark.parametrize(
    ("url", "dialect"),
    [
        ("sqlite:///a.db", "sqlite"),
        ("duckdb:///a.duckdb", "duckdb"),
        ("postgresql+psycopg://u@h/db", "postgresql"),
        ("mysql+pymysql://root@h/test", "mysql"),
        ("mariadb+pymysql://root@h/test", "mysql"),
    ],
)
def test_dialect_of_url(url: str, dialect: str) -> None:
    assert dialect_of(url) == dialect


@pytest.mark.parametrize("url", ["not a url", "oracle://u@h/db"])
def test_dialect_of_bad_url(url: str) -> None:
    with pytest.raises(InvalidInputError):
        dialect_of(url)


def test_glossary_store_round_trip(database: Database) -> None:
    store = GlossaryStore(database)

    added = store.add_term(GlossaryTerm(source="demo", term="DOU", meaning="户均流量"))
    other = store.add_term(GlossaryTerm(source="other", term="MOU", meaning="户均通话分钟"))

    demo_terms = [term.term for term in store.terms("demo")]
    assert "DOU" in demo_terms
    assert "MOU" not in demo_terms
    store.delete_term(added.id)
    store.delete_term(other.id)
    assert "DOU" not in [term.term for term in store.terms("demo")]


def test_example_store_round_trip(database: Database) -> None:
    store = GlossaryStore(database)

    added = store.add_example(Example(source="demo", question="各地区用户数", sql="SELECT 1"))

    assert added.id in [example.id for example in store.examples("demo")]
    store.delete_example(added.id)
    with pytest.raises(NotFoundError):
        store.delete_example(added.id)
