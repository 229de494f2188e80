"""A standalone app serving only the writing service, with health, job and usage routes.

Run with `uvicorn services.writing.app:create_app --factory`.
"""

from __future__ import annotations

from fastapi import FastAPI

from apps.gateway.app import create_app as create_gateway_app
from services.core.settings import Settings
from services.model.client import ModelClient


def create_app(
    settings: Settings | None = None, *, model: ModelClient | None = None, load_model: bool = True
) -> FastAPI:
    """Build the gateway app with the writing routes alone."""
    return create_gateway_app(settings, model=model, load_model=load_model, services=("writing",))
