"""Guards on data sources: only the admin key changes them, the suite's own database is rejected,
and a source that is not a database gives a localised 502 instead of a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from services.analytics.sources import SourceConfig, SourceRegistry, check_not_suite_database
from services.core.errors import InvalidInputError
from services.core.settings import Settings
from tests.analytics.test_api import DEPARTMENT_STORE_URL
from tests.conftest import ADMIN_HEADERS

API = "/api/v1/analytics"


def _analytics_key(client: TestClient) -> dict[str, str]:
    _, key = client.app.state.gateway.keys.create("analyst", ["analytics"])  # type: ignore[attr-defined]
    return {"X-API-Key": key}


def test_analytics_key_cannot_add_source(client: TestClient) -> None:
    headers = _analytics_key(client)

    chinese = client.post(f"{API}/sources", json={"name": "store", "url": DEPARTMENT_STORE_URL}, headers=headers)
    body = {"name": "store", "url": DEPARTMENT_STORE_URL}
    english = client.post(f"{API}/sources?lang=en", json=body, headers=headers)
    listed = client.get(f"{API}/sources", headers=headers)

    assert chinese.status_code == 403
    assert "只有管理员密钥可以添加或删除数据源" in chinese.json()["detail"]
    assert english.status_code == 403
    assert "Only the admin key may add or delete data sources" in english.json()["detail"]
    assert listed.status_code == 200
    assert [source["name"] for source in listed.json()] == ["demo"]


def test_analytics_key_cannot_delete_source(client: TestClient) -> None:
    added = client.post(f"{API}/sources", json={"name": "store", "url": DEPARTMENT_STORE_URL}, headers=ADMIN_HEADERS)
    headers = _analytics_key(client)

    deleted = client.delete(f"{API}/sources/store", headers=headers)
    catalog = client.get(f"{API}/sources/store/catalog", headers=headers)

    assert added.status_code == 201
    assert deleted.status_code == 403
    assert catalog.status_code == 200


@pytest.mark.parametrize(
    "url_of",
    [
        lambda path: f"sqlite:///{path}",
        lambda path: f"sqlite:////{path}",
        lambda path: f"sqlite:///{path.parent}/../{path.parent.name}/{path.name}",
        lambda path: f"duckdb:///{path}",
    ],
)
def test_suite_database_rejected_for_admin(client: TestClient, settings: Settings, url_of: object) -> None:
    suite_file = settings.data_dir / "xingchen.db"
    url = url_of(suite_file)  # type: ignore[operator]

    response = client.post(f"{API}/sources", json={"name": "evil2", "url": url}, headers=ADMIN_HEADERS)
    english = client.post(f"{API}/sources?lang=en", json={"name": "evil2", "url": url}, headers=ADMIN_HEADERS)
    catalog = client.get(f"{API}/sources/evil2/catalog", headers=ADMIN_HEADERS)

    assert suite_file.is_file()
    assert response.status_code == 422
    assert "本套件自身的数据库" in response.json()["detail"]
    assert "points at the suite's own database" in english.json()["detail"]
    assert catalog.status_code == 404


def test_suite_database_symlink_rejected(settings: Settings, tmp_path: Path) -> None:
    suite_file = settings.data_dir / "xingchen.db"
    suite_file.parent.mkdir(parents=True, exist_ok=True)
    suite_file.write_bytes(b"")
    link = tmp_path / "innocent.sqlite"
    link.symlink_to(suite_file)

    with pytest.raises(InvalidInputError) as raised:
        check_not_suite_database(f"sqlite:///{link}", settings)

    assert raised.value.code == "analytics.source_is_suite_database"


@pytest.mark.parametrize(
    ("url", "rejected"),
    [
        ("postgresql+psycopg://reader@127.0.0.1:5432/suite", True),
        ("postgresql://other@localhost/suite", True),
        ("postgres://127.0.0.1:5432/suite", True),
        ("postgresql://127.0.0.1:5432/test", False),
        ("postgresql://127.0.0.1:5433/suite", False),
        ("mysql+pymysql://root@127.0.0.1/suite", False),
    ],
)
def test_suite_server_database_compared(tmp_path: Path, url: str, rejected: bool) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        database_url="postgresql+psycopg://xingchen:pw@127.0.0.1/suite",
    )
    registry = SourceRegistry(settings, None)

    if rejected:
        with pytest.raises(InvalidInputError):
            registry.add(SourceConfig(name="s", url=url))
    else:
        check_not_suite_database(url, settings)


def test_catalog_of_non_database_file_is_502(client: TestClient, tmp_path: Path) -> None:
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("这不是数据库 · not a database\n" * 200, encoding="utf-8")
    body = {"name": "evil", "url": f"sqlite:///{not_a_database}"}
    added = client.post(f"{API}/sources", json=body, headers=ADMIN_HEADERS)

    chinese = client.get(f"{API}/sources/evil/catalog", headers=ADMIN_HEADERS)
    english = client.get(f"{API}/sources/evil/catalog?lang=en", headers=ADMIN_HEADERS)

    assert added.status_code == 201
    assert chinese.status_code == 502
    assert chinese.json()["code"] == "analytics.source_unreadable"
    assert "无法读取数据源“evil”：file is not a database" in chinese.json()["detail"]
    assert english.status_code == 502
    assert "The data source 'evil' cannot be read: file is not a database" in english.json()["detail"]
