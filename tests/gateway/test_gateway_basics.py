from collections.abc import Iterator

from fastapi.testclient import TestClient

from apps.gateway.app import create_app
from services.core.errors import ConfigurationError
from services.core.settings import Settings
from services.model.client import ModelClient
from tests.conftest import ADMIN_HEADERS
from tests.model.stub_openai_server import StubOpenAIServer, free_port


def test_healthz_needs_no_key(client: TestClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_checks(client: TestClient) -> None:
    body = client.get("/readyz").json()

    assert body["status"] == "ready"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["model"]["backend"] == "fake"


def test_readyz_probes_openai_server(settings: Settings, openai_stub: StubOpenAIServer) -> None:
    served = settings.model_copy(
        update={"model_backend": "openai", "openai_base_url": openai_stub.base_url, "openai_model": "stub-model"}
    )

    with TestClient(create_app(served)) as client:
        ready = client.get("/readyz")

    assert ready.status_code == 200
    assert ready.json()["checks"]["model"] == {"ok": True, "backend": "openai", "model": "stub-model"}


def test_readyz_503_when_model_not_served(settings: Settings, openai_stub: StubOpenAIServer) -> None:
    wrong = settings.model_copy(
        update={"model_backend": "openai", "openai_base_url": openai_stub.base_url, "openai_model": "qwen-72b"}
    )

    with TestClient(create_app(wrong)) as client:
        ready = client.get("/readyz", headers={"Accept-Language": "en"})

    assert ready.status_code == 503
    detail = ready.json()["checks"]["model"]["detail"]
    assert detail.startswith(f"The model server {openai_stub.base_url} is not ready")
    assert "'qwen-72b' is not served" in detail


def test_readyz_503_when_model_server_down(settings: Settings) -> None:
    down = settings.model_copy(
        update={"model_backend": "openai", "openai_base_url": f"http://127.0.0.1:{free_port()}/v1"}
    )

    with TestClient(create_app(down)) as client:
        ready = client.get("/readyz")

    assert ready.status_code == 503
    assert ready.json()["checks"]["model"]["detail"].startswith("模型服务 http://127.0.0.1:")
    assert ready.json()["checks"]["database"]["ok"] is True


def test_readyz_503_names_missing_model(settings: Settings) -> None:
    broken = settings.model_copy(update={"model_backend": "embedded", "model_path": settings.data_dir / "missing.gguf"})

    with TestClient(create_app(broken)) as client:
        ready = client.get("/readyz", headers={"Accept-Language": "en"})
        chat = client.post(
            "/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}, headers=ADMIN_HEADERS
        )

    assert ready.status_code == 503
    assert "XINGCHEN_MODEL_PATH" in ready.json()["checks"]["model"]["detail"]
    assert chat.status_code == 500
    assert chat.json()["code"] == "model.path_missing"


def test_request_id_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123"})

    assert response.headers["x-request-id"] == "abc-123"


def test_request_id_generated(client: TestClient) -> None:
    assert len(client.get("/healthz").headers["x-request-id"]) == 16


def test_oversized_body_rejected_413(settings: Settings, fake_model: ModelClient) -> None:
    small = settings.model_copy(update={"max_upload_bytes": 1000})

    with TestClient(create_app(small, model=fake_model)) as client:
        response = client.post("/v1/chat/completions", content=b"x" * 5000, headers=ADMIN_HEADERS)

    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert "XINGCHEN_MAX_UPLOAD_BYTES" in response.json()["detail"]


def test_oversized_chunked_body_rejected_413(settings: Settings, fake_model: ModelClient) -> None:
    small = settings.model_copy(update={"max_upload_bytes": 1000})

    def chunks() -> Iterator[bytes]:
        for _ in range(10):
            yield b"y" * 500

    with TestClient(create_app(small, model=fake_model)) as client:
        response = client.post("/v1/chat/completions", content=chunks(), headers=ADMIN_HEADERS)

    assert response.status_code == 413


def test_cors_allows_configured_origin(settings: Settings, fake_model: ModelClient) -> None:
    with_cors = settings.model_copy(update={"cors_origins": ["https://localhost:3000"]})

    with TestClient(create_app(with_cors, model=fake_model)) as client:
        allowed = client.options(
            "/v1/chat/completions",
            headers={"Origin": "https://localhost:3000", "Access-Control-Request-Method": "POST"},
        )
        other = client.options(
            "/v1/chat/completions",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )

    assert allowed.headers["access-control-allow-origin"] == "https://localhost:3000"
    assert "access-control-allow-origin" not in other.headers


def test_openapi_lists_core_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    assert "/v1/chat/completions" in paths
    assert "/api/v1/jobs/{job_id}/events" in paths
    assert "/readyz" in paths


def test_model_busy_answers_429(settings: Settings) -> None:
    import threading

    from services.model.backends.fake import build_fake_backend
    from services.model.client import ClientLimits

    release = threading.Event()

    def slow(messages: object) -> str:
        release.wait(5)
        return "ok"

    model = ModelClient(
        build_fake_backend(default_reply=slow), limits=ClientLimits(max_concurrency=1, queue_timeout=0.2)
    )
    body = {"messages": [{"role": "user", "content": "hi"}]}
    with TestClient(create_app(settings, model=model)) as client:
        first = threading.Thread(
            target=client.post, args=("/v1/chat/completions",), kwargs={"json": body, "headers": ADMIN_HEADERS}
        )
        first.start()
        try:
            import time

            time.sleep(0.2)
            response = client.post("/v1/chat/completions", json=body, headers=ADMIN_HEADERS)
        finally:
            release.set()
            first.join()

    assert response.status_code == 429
    assert response.headers["retry-after"]


def test_configuration_error_is_500() -> None:
    assert ConfigurationError.status == 500


def test_celery_backend_selects_celery_runner(settings: Settings, fake_model: ModelClient) -> None:
    queued = settings.model_copy(update={"job_backend": "celery", "broker_url": "redis://127.0.0.1:6379/15"})

    with TestClient(create_app(queued, model=fake_model)) as client:
        runner = client.app.state.gateway.runner  # type: ignore[attr-defined]

    assert runner.backend == "celery"
