"""Named data sources: from settings, the generated demo, and the ones registered over REST."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from services.analytics.demo import DEMO_SOURCE_NAME, ensure_demo_database
from services.analytics.models import SourceRecord
from services.core.db import Database
from services.core.errors import ConflictError, InvalidInputError, NotFoundError
from services.core.settings import Settings

logger = logging.getLogger(__name__)

Dialect = Literal["sqlite", "duckdb", "postgresql", "mysql"]

# SQLAlchemy backend name -> the dialect the guard and the executor use.
_BACKENDS: dict[str, Dialect] = {
    "sqlite": "sqlite",
    "duckdb": "duckdb",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}

# Dialect -> sqlglot dialect name.
SQLGLOT_DIALECTS: dict[Dialect, str] = {
    "sqlite": "sqlite",
    "duckdb": "duckdb",
    "postgresql": "postgres",
    "mysql": "mysql",
}


class SourceConfig(BaseModel):
    """A data source the service may query."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$", description="Unique source name.")
    url: str = Field(min_length=1, description="SQLAlchemy URL, e.g. `sqlite:///sales.db` or `duckdb:///x.duckdb`.")
    description: str = Field("", description="What the data is about, shown to the model.")
    allowed_tables: list[str] | None = Field(
        None, description="Tables that queries may read; empty means every table of the source."
    )
    row_limit: int | None = Field(None, ge=1, description="Maximum rows per query; empty uses the setting.")
    timeout_seconds: float | None = Field(None, gt=0, description="Seconds a query may run; empty uses the setting.")
    origin: Literal["settings", "demo", "stored"] = Field("stored", description="Where the source is defined.")

    @property
    def dialect(self) -> Dialect:
        return dialect_of(self.url)

    def effective_row_limit(self, settings: Settings) -> int:
        limit = settings.analytics_row_limit
        return min(self.row_limit, limit) if self.row_limit else limit

    def effective_timeout(self, settings: Settings) -> float:
        return self.timeout_seconds or settings.analytics_query_timeout

    def public_url(self) -> str:
        """Return the URL with any password masked, for responses and reports."""
        return make_url(self.url).render_as_string(hide_password=True)


def dialect_of(url: str) -> Dialect:
    """Return the dialect of a SQLAlchemy URL; raises for a malformed URL or an unsupported database."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInputError("analytics.source_url_invalid", url=url, reason=str(exc)) from exc
    backend = parsed.get_backend_name()
    if backend not in _BACKENDS:
        raise InvalidInputError(
            "analytics.source_dialect_unsupported",
            dialect=backend,
            accepted="sqlite, duckdb, postgresql, mysql/mariadb",
        )
    return _BACKENDS[backend]


_FILE_DIALECTS: frozenset[Dialect] = frozenset({"sqlite", "duckdb"})
_DEFAULT_PORTS: dict[Dialect, int] = {"postgresql": 5432, "mysql": 3306}
_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def check_not_suite_database(url: str, settings: Settings) -> None:
    """Raise 422 when `url` opens the suite's own database, whose tables hold API key hashes and every key's jobs."""
    if _same_database(make_url(url), make_url(settings.resolved_database_url)):
        raise InvalidInputError("analytics.source_is_suite_database", url=make_url(url).render_as_string())


def _same_database(source: URL, suite: URL) -> bool:
    source_dialect = _BACKENDS.get(source.get_backend_name())
    suite_dialect = _BACKENDS.get(suite.get_backend_name())
    if source_dialect is None or suite_dialect is None:
        return False
    if source_dialect in _FILE_DIALECTS and suite_dialect in _FILE_DIALECTS:
        return _same_file(source.database, suite.database)
    if source_dialect != suite_dialect:
        return False
    return (
        _host_key(source.host) == _host_key(suite.host)
        and (source.port or _DEFAULT_PORTS[source_dialect]) == (suite.port or _DEFAULT_PORTS[suite_dialect])
        and (source.database or "") == (suite.database or "")
    )


def _same_file(first: str | None, second: str | None) -> bool:
    if not first or not second or ":memory:" in (first, second):
        return False
    first_path, second_path = Path(first).expanduser(), Path(second).expanduser()
    if first_path.exists() and second_path.exists():
        # samefile compares device and inode, so symlinks, hard links and `..` segments all match.
        return os.path.samefile(first_path, second_path)
    return os.path.realpath(first_path) == os.path.realpath(second_path)


def _host_key(host: str | None) -> str:
    # The drivers connect to 127.0.0.1 when a URL names no host.
    host = (host or "127.0.0.1").lower()
    return "loopback" if host in _LOOPBACK_HOSTS else host


class SourceRegistry:
    """Looks up sources by name; settings and the demo come first, then stored sources."""

    def __init__(self, settings: Settings, database: Database | None) -> None:
        self.settings = settings
        self.database = database

    def _fixed(self) -> dict[str, SourceConfig]:
        sources: dict[str, SourceConfig] = {}
        if self.settings.analytics_demo_source:
            path = self.settings.data_dir / "analytics" / "demo.duckdb"
            sources[DEMO_SOURCE_NAME] = SourceConfig(
                name=DEMO_SOURCE_NAME,
                url=f"duckdb:///{path.as_posix()}",
                description="演示数据：电信运营商各地区、各套餐的月度经营数据 · demo telecom business data",
                origin="demo",
            )
        for name, url in self.settings.analytics_sources.items():
            sources[name] = SourceConfig(name=name, url=url, origin="settings")
        return sources

    def list(self) -> list[SourceConfig]:
        sources = self._fixed()
        if self.database is not None:
            with self.database.session() as session:
                for record in session.scalars(select(SourceRecord).order_by(SourceRecord.name)):
                    sources.setdefault(record.name, _from_record(record))
        return list(sources.values())

    def get(self, name: str) -> SourceConfig:
        """Return the source called `name`; the demo database is generated on first use."""
        fixed = self._fixed()
        source = fixed.get(name)
        if source is None and self.database is not None:
            with self.database.session() as session:
                record = session.get(SourceRecord, name)
            source = _from_record(record) if record is not None else None
        if source is None:
            known = ", ".join(item.name for item in self.list()) or "-"
            raise NotFoundError("analytics.source_not_found", name=name, known=known)
        if source.origin == "demo":
            ensure_demo_database(self.settings.data_dir / "analytics" / "demo.duckdb")
        return source

    def add(self, source: SourceConfig) -> SourceConfig:
        dialect_of(source.url)
        check_not_suite_database(source.url, self.settings)
        if source.name in self._fixed():
            raise ConflictError("analytics.source_exists", name=source.name)
        if self.database is None:
            raise ConflictError("conflict", reason="no storage database configured")
        with self.database.session() as session:
            if session.get(SourceRecord, source.name) is not None:
                raise ConflictError("analytics.source_exists", name=source.name)
            session.add(
                SourceRecord(
                    name=source.name,
                    url=source.url,
                    description=source.description,
                    allowed_tables=source.allowed_tables,
                    row_limit=source.row_limit,
                    timeout_seconds=source.timeout_seconds,
                )
            )
        logger.info("analytics source %s registered (%s)", source.name, source.dialect)
        return source.model_copy(update={"origin": "stored"})

    def delete(self, name: str) -> None:
        if name in self._fixed():
            raise ConflictError("analytics.source_protected", name=name, setting="XINGCHEN_ANALYTICS_SOURCES")
        if self.database is None:
            raise NotFoundError("analytics.source_not_found", name=name, known="-")
        with self.database.session() as session:
            record = session.get(SourceRecord, name)
            if record is None:
                known = ", ".join(item.name for item in self.list()) or "-"
                raise NotFoundError("analytics.source_not_found", name=name, known=known)
            session.delete(record)
        logger.info("analytics source %s deleted", name)


def _from_record(record: SourceRecord) -> SourceConfig:
    return SourceConfig(
        name=record.name,
        url=record.url,
        description=record.description,
        allowed_tables=record.allowed_tables,
        row_limit=record.row_limit,
        timeout_seconds=record.timeout_seconds,
        origin="stored",
    )
