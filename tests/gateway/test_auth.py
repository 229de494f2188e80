import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from services.core.models import ApiKeyRecord
from tests.conftest import ADMIN_HEADERS


def create_key(client: TestClient, services: list[str]) -> tuple[str, str]:
    record, plaintext = client.app.state.gateway.keys.create("team", services)  # type: ignore[attr-defined]
    return record.id, plaintext


def test_missing_key_rejected_401(client: TestClient) -> None:
    response = client.get("/api/v1/jobs")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == "auth.missing_key"


def test_unknown_key_rejected_401(client: TestClient) -> None:
    response = client.get("/api/v1/jobs", headers={"Authorization": "Bearer xc_not_a_key"})

    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_key"


@pytest.mark.parametrize("header", ["Authorization", "X-API-Key"])
def test_created_key_accepted(client: TestClient, header: str) -> None:
    _, key = create_key(client, ["model"])
    value = f"Bearer {key}" if header == "Authorization" else key

    response = client.get("/api/v1/jobs", headers={header: value})

    assert response.status_code == 200


def test_key_stored_only_as_hash(client: TestClient) -> None:
    key_id, key = create_key(client, ["writing"])

    with client.app.state.gateway.database.session() as session:  # type: ignore[attr-defined]
        record = session.scalar(select(ApiKeyRecord).where(ApiKeyRecord.id == key_id))
    assert record is not None
    assert key not in (record.key_hash, record.prefix)
    assert len(record.key_hash) == 64


def test_revoked_key_rejected(client: TestClient) -> None:
    key_id, key = create_key(client, ["model"])
    client.app.state.gateway.keys.revoke(key_id)  # type: ignore[attr-defined]

    response = client.get("/api/v1/jobs", headers={"X-API-Key": key})

    assert response.status_code == 401


def test_key_without_service_forbidden(client: TestClient) -> None:
    _, key = create_key(client, ["writing"])

    response = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "hi"}]},
        headers={"X-API-Key": key, "Accept-Language": "en"},
    )

    assert response.status_code == 403
    assert "'model'" in response.json()["detail"]
    assert "writing" in response.json()["detail"]


def test_unknown_service_rejected_on_create(client: TestClient) -> None:
    from services.core.errors import InvalidInputError

    with pytest.raises(InvalidInputError):
        create_key(client, ["payroll"])


def test_admin_key_disabled_when_empty(settings, fake_model) -> None:  # type: ignore[no-untyped-def]
    from apps.gateway.app import create_app

    app = create_app(settings.model_copy(update={"admin_api_key": None}), model=fake_model)
    with TestClient(app) as client:
        response = client.get("/api/v1/jobs", headers=ADMIN_HEADERS)

    assert response.status_code == 401
