"""A standalone app serving only the knowledge service and the job routes its long extractions need.

Run with `uvicorn services.knowledge.app:create_app --factory`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

import services.core.messages  # noqa: F401  (registers the core error texts)
from apps.gateway.app import build_state
from apps.gateway.deps import require_service
from apps.gateway.middleware import RequestIdMiddleware
from apps.gateway.routes import health, jobs
from services.core.http import install_error_handlers
from services.core.logging import configure_logging
from services.core.settings import Settings, get_settings
from services.knowledge.api import router
from services.model.client import ModelClient


def create_app(
    settings: Settings | None = None, *, model: ModelClient | None = None, load_model: bool = True
) -> FastAPI:
    """Build the knowledge-only app; tests pass their own settings and a fake-backed model client."""
    settings = settings or get_settings()
    configure_logging(settings.log_level, json_format=settings.log_json)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = build_state(settings, model)
        app.state.gateway = state
        if load_model:
            state.load_model_in_background()
        try:
            yield
        finally:
            state.runner.shutdown(wait=False)
            state.database.dispose()

    app = FastAPI(title="Xingchen Suite · knowledge 知识采编", version="0.1.0", lifespan=lifespan)
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(jobs.router)
    app.include_router(router, prefix="/api/v1/knowledge", dependencies=[Depends(require_service("knowledge"))])
    app.add_middleware(RequestIdMiddleware)
    return app
