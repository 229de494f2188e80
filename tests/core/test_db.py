from sqlalchemy import inspect

from services.core.db import Database


def test_upgrade_creates_core_tables(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())

    assert {"jobs", "api_keys", "token_usage", "alembic_version"} <= tables


def test_upgrade_twice_is_harmless(database: Database) -> None:
    database.upgrade()

    with database.engine.connect() as connection:
        versions = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    assert len(versions) == 1


def test_ping_reachable_database(database: Database) -> None:
    database.ping()
