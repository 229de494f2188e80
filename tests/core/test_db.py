from sqlalchemy import inspect

from services.core.db import Database


def test_upgrade_creates_core_tables(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())

    assert {"jobs", "api_keys", "token_usage", "alembic_version"} <= tables


def stored_versions(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    return sorted(row[0] for row in rows)


def test_upgrade_twice_is_harmless(database: Database) -> None:
    before = stored_versions(database)

    database.upgrade()

    assert stored_versions(database) == before
    assert len(before) == len(set(before))


def test_upgrade_reaches_every_head(database: Database) -> None:
    from alembic.script import ScriptDirectory

    from services.core.db import alembic_config

    heads = ScriptDirectory.from_config(alembic_config(database.url)).get_heads()

    assert stored_versions(database) == sorted(heads)


def test_ping_reachable_database(database: Database) -> None:
    database.ping()
