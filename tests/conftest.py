"""Shared fixtures: settings in a temporary folder, databases, the fake model, the gateway.

Unit tests must never load the real embedded model by accident: the
`_block_real_model` fixture makes any such load fail loudly unless the test
is marked `@pytest.mark.real_model`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import services.core.messages  # noqa: F401
from apps.gateway.app import create_app
from services.core.db import Database
from services.core.settings import LOCAL_ADMIN_KEY, Settings
from services.model.backends.embedded import LlamaCppChatModel
from services.model.backends.fake import FakeChatModel, build_fake_backend
from services.model.client import ClientLimits, ModelClient
from tests.model.stub_openai_server import StubOpenAIServer

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = REPO_ROOT / "tests" / "data"

# A server database on which each test session creates and drops its own databases.
POSTGRES_ADMIN_URL = os.environ.get(
    "XINGCHEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

ADMIN_HEADERS = {"Authorization": f"Bearer {LOCAL_ADMIN_KEY}"}


@pytest.fixture(autouse=True)
def _block_real_model(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("real_model"):
        return

    def refuse(self: LlamaCppChatModel) -> None:
        raise RuntimeError(
            "a unit test tried to load the real embedded model; use the fake_model fixture "
            "or mark the test @pytest.mark.real_model"
        )

    monkeypatch.setattr(LlamaCppChatModel, "_ensure_loaded", refuse)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "var",
        model_backend="fake",
        log_level="WARNING",
        model_retry_backoff=0.0,
    )


def _create_postgres_database() -> tuple[str, str]:
    name = f"xingchen_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    return name, url


def _drop_postgres_database(name: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return

    name, url = _create_postgres_database()
    try:
        yield url
    finally:
        _drop_postgres_database(name)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def fake_model() -> ModelClient:
    return ModelClient(
        build_fake_backend(),
        limits=ClientLimits(max_retries=2, retry_backoff=0.0, queue_timeout=0.5, timeout=5.0),
    )


@pytest.fixture
def fake_chat(fake_model: ModelClient) -> FakeChatModel:
    chat_model = fake_model.backend.chat_model
    assert isinstance(chat_model, FakeChatModel)
    return chat_model


@pytest.fixture
def client(settings: Settings, fake_model: ModelClient) -> Iterator[TestClient]:
    """The gateway over the fake model and a SQLite database in a temporary folder."""
    app = create_app(settings, model=fake_model)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def openai_stub() -> Iterator[StubOpenAIServer]:
    """A scripted OpenAI-compatible server on 127.0.0.1, stopped after the test."""
    with StubOpenAIServer() as server:
        yield server


@pytest.fixture(scope="session")
def embedded_settings() -> Settings:
    """Settings for the real embedded model; the assembled GGUF is cached under the repository's var/.

    The call timeout is generous because these tests check behaviour, not speed,
    and a 2-core machine running other tests can take minutes for one long call.
    """
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=REPO_ROOT / "var",
        model_backend="embedded",
        log_level="WARNING",
        model_timeout=600.0,
    )


@pytest.fixture(scope="session")
def embedded_model(embedded_settings: Settings) -> ModelClient:
    """The real embedded model, loaded once per test session; only for tests marked `real_model`."""
    from services.model.factory import build_model_client

    model = build_model_client(embedded_settings)
    model.load()
    return model
