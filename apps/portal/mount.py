"""Mounting the portal on the gateway app."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

import apps.portal.messages  # noqa: F401  (registers the portal's error texts)
from apps.portal.routes import router
from services.core.settings import Settings

logger = logging.getLogger(__name__)

SESSION_COOKIE = "xingchen_session"


def mount_portal(app: FastAPI, settings: Settings) -> None:
    """Add the portal's pages, static files and session cookie to `app`; nothing when no secret is set."""
    if settings.portal_session_secret is None:
        logger.info("portal off: XINGCHEN_PORTAL_SESSION_SECRET is empty")
        return
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.portal_session_secret.get_secret_value(),
        session_cookie=SESSION_COOKIE,
        max_age=settings.portal_session_seconds,
        same_site="strict",
        https_only=settings.portal_https_only,
    )
    app.mount("/static/portal", StaticFiles(directory=Path(__file__).parent / "static"), name="portal-static")
    app.include_router(router)
