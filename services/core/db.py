"""Database access with SQLAlchemy 2: engine, sessions and migrations.

The suite's own tables (jobs, API keys, usage, and each service's records)
live in one database: a SQLite file under the data folder by default, or
PostgreSQL given by URL. The schema is created and upgraded with Alembic.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import CursorResult, Engine, Result, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Lock that serialises schema migrations between processes: a PostgreSQL
# advisory lock key (any fixed 64-bit number) and a MySQL/MariaDB named lock.
MIGRATION_LOCK_KEY = 0x58494E474348454E
MIGRATION_LOCK_NAME = "xingchen_migrations"
MIGRATION_LOCK_WAIT_S = 300


class Base(DeclarativeBase):
    """Declarative base of every table the suite owns."""


class Database:
    """An engine plus a session factory for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _create_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> None:
        """Bring the schema to the newest revision of every branch.

        The core tables are the root revision. Each service adds its tables on
        its own branch, labelled with the service name, so services can change
        their schema without ordering against each other.
        """
        logger.info("migrating database %s to the newest revision", self.engine.url.render_as_string())
        with self.engine.begin() as connection:
            # Several gateway replicas may start at once. On a server database the
            # first takes a lock and migrates, and the others wait, then find nothing to do.
            dialect = connection.dialect.name
            if dialect == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            elif dialect in ("mysql", "mariadb"):
                connection.execute(
                    text("SELECT GET_LOCK(:name, :seconds)"),
                    {"name": MIGRATION_LOCK_NAME, "seconds": MIGRATION_LOCK_WAIT_S},
                )
            try:
                config = alembic_config(self.url)
                config.attributes["connection"] = connection
                command.upgrade(config, "heads")
            finally:
                if dialect in ("mysql", "mariadb"):
                    connection.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": MIGRATION_LOCK_NAME})

    def ping(self) -> None:
        """Run a trivial query; raises SQLAlchemy's error when the database is unreachable."""
        with self.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")

    def dispose(self) -> None:
        self.engine.dispose()


def rows_changed(result: Result[Any]) -> int:
    """Return how many rows an UPDATE or DELETE changed."""
    if isinstance(result, CursorResult):
        return result.rowcount
    return 0


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _create_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database_path = url.split("///", 1)[-1]
        if database_path and database_path != ":memory:":
            Path(database_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _configure_sqlite)
        return engine

    # pool_pre_ping replaces connections that died while idle, so the gateway
    # recovers from a database restart without restarting itself.
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def _configure_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets readers (job status polls) run while a worker thread writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
