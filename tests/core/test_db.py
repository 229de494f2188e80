import pytest
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


# Without the migration lock the replicas deadlock on CREATE TABLE, so the timeout fails the test.
@pytest.mark.timeout(120)
def test_concurrent_upgrades_on_postgresql() -> None:
    """Replicas that start together on one empty database: every migration succeeds once."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.conftest import _create_postgres_database, _drop_postgres_database

    name, url = _create_postgres_database()
    replicas = [Database(url) for _ in range(4)]
    try:
        with ThreadPoolExecutor(max_workers=len(replicas)) as pool:
            outcomes = [pool.submit(replica.upgrade) for replica in replicas]
            for outcome in outcomes:
                outcome.result()

        versions = stored_versions(replicas[0])
        assert len(versions) == len(set(versions))
        assert {"jobs", "api_keys"} <= set(inspect(replicas[0].engine).get_table_names())
    finally:
        for replica in replicas:
            replica.dispose()
        _drop_postgres_database(name)
