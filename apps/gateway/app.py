"""The gateway: one FastAPI app that mounts every service's router.

`create_app()` builds the shared state (database, jobs, API keys, model
client) in the lifespan and mounts each service router under
`/api/v1/<service>`, behind an API key allowed to use that service.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware

import services.core.messages  # noqa: F401  (registers the core error texts)
from apps.editor_plugin.api import mount_editor_plugin
from apps.gateway.deps import require_service
from apps.gateway.middleware import BodyLimit, BodyLimits, BodySizeLimitMiddleware, RequestIdMiddleware
from apps.gateway.routes import chat, documents, health, jobs, usage
from apps.gateway.routes.api_docs import mount_api_docs
from apps.gateway.state import GatewayState
from apps.portal.mount import mount_portal
from services.core.apikeys import ApiKeyStore
from services.core.db import Database
from services.core.errors import XingchenError
from services.core.http import install_error_handlers
from services.core.jobs import JobRunner, JobStore, LocalJobRunner
from services.core.logging import configure_logging
from services.core.service_modules import SERVICES, import_service_api
from services.core.settings import Settings, get_settings
from services.model.client import ModelClient
from services.model.factory import build_model_client

logger = logging.getLogger(__name__)


def build_runner(settings: Settings, store: JobStore) -> JobRunner:
    if settings.job_backend == "celery":
        from services.core.celery_jobs import CeleryJobRunner, create_celery

        return CeleryJobRunner(store, celery=create_celery(settings), broker_url=settings.broker_url)
    return LocalJobRunner(store, workers=settings.job_workers)


def build_state(settings: Settings, model: ModelClient | None) -> GatewayState:
    database = Database(settings.resolved_database_url)
    database.upgrade()
    job_store = JobStore(database)
    interrupted = job_store.fail_interrupted(stale_after=timedelta(seconds=settings.job_stale_seconds))
    if interrupted:
        logger.warning("marked %d interrupted jobs as failed", interrupted)

    admin_key = settings.admin_api_key.get_secret_value() if settings.admin_api_key else None
    state = GatewayState(
        settings=settings,
        database=database,
        jobs=job_store,
        runner=build_runner(settings, job_store),
        keys=ApiKeyStore(database, admin_key=admin_key),
        model=model,
    )

    if state.model is None:
        try:
            state.model = build_model_client(settings)
        except XingchenError as exc:
            state.model_error = exc
            logger.error("model client unavailable: %s", exc.message("en"))
    state.runner.resources.update({"model": state.model, "settings": settings, "database": database})
    return state


def create_app(
    settings: Settings | None = None,
    *,
    model: ModelClient | None = None,
    load_model: bool = True,
    services: Sequence[str] = SERVICES,
) -> FastAPI:
    """Build the gateway app with the routers of `services`.

    Each service's `app.py` calls this with its own name alone, to deploy that
    service by itself. Tests pass their own settings and a fake-backed model client.
    """
    settings = settings or get_settings()
    configure_logging(settings.log_level, json_format=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = build_state(settings, model)
        app.state.gateway = state
        if load_model:
            state.load_model_in_background()
        state.start_job_sweeper()
        logger.info("gateway started (database %s)", state.database.engine.url.render_as_string())
        try:
            yield
        finally:
            state.stopping.set()
            state.runner.shutdown(wait=False)
            state.database.dispose()
            logger.info("gateway stopped")

    app = FastAPI(
        title="Xingchen Suite",
        version="0.1.0",
        description=(
            "星辰套件：行文写作、知识采编、经营分析、会议纪要。"
            "Writing, knowledge, analytics and meeting minutes on one model."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    mount_api_docs(app)

    app.include_router(health.router)
    app.include_router(jobs.router)
    app.include_router(usage.router)
    app.include_router(chat.router)
    app.include_router(documents.router)
    mount_service_routers(app, services)
    if "writing" in services:
        mount_editor_plugin(app)
    mount_portal(app, settings)

    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["x-request-id"],
        )
    app.add_middleware(BodySizeLimitMiddleware, limits=body_limits(settings, services))
    app.add_middleware(RequestIdMiddleware)
    return app


def body_limits(settings: Settings, services: Sequence[str]) -> BodyLimits:
    """Return the gateway-wide body limit and the separate one of meeting recording uploads."""
    routes = {}
    if "meetings" in services:
        routes[("POST", "/api/v1/meetings")] = BodyLimit(
            settings.meetings_max_upload_bytes, "XINGCHEN_MEETINGS_MAX_UPLOAD_BYTES"
        )
    return BodyLimits(default=BodyLimit(settings.max_upload_bytes, "XINGCHEN_MAX_UPLOAD_BYTES"), routes=routes)


def mount_service_routers(app: FastAPI, services: Sequence[str] = SERVICES) -> None:
    """Mount each present service's router under `/api/v1/<service>`, behind a key allowed to use it."""
    for service in services:
        module = import_service_api(service)
        if module is None:
            continue
        app.include_router(
            module.router,
            prefix=f"/api/v1/{service}",
            dependencies=[Depends(require_service(service))],
        )
