"""Liveness and readiness probes."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from apps.gateway.deps import LanguageDep, StateDep
from services.core.i18n import translate

logger = logging.getLogger(__name__)

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Report that the process is up; checks nothing else."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(state: StateDep, language: LanguageDep) -> JSONResponse:
    """Report whether the database is reachable and the model can take calls (503 when not)."""
    checks: dict[str, Any] = {}

    try:
        state.database.ping()
        checks["database"] = {"ok": True}
    except SQLAlchemyError as exc:
        logger.warning("readiness: database unreachable: %s", exc)
        checks["database"] = {"ok": False, "detail": translate("database.unavailable", language, reason=str(exc)[:200])}

    if state.model_error is not None:
        checks["model"] = {"ok": False, "detail": state.model_error.message(language)}
    elif state.model is None or not state.model.loaded:
        checks["model"] = {"ok": False, "detail": translate("model.not_ready", language)}
    elif (reason := state.model.backend.probe()) is not None:
        logger.warning("readiness: model server %s not usable: %s", state.model.backend.target, reason)
        detail = translate("model.server_not_ready", language, target=state.model.backend.target, reason=reason)
        checks["model"] = {"ok": False, "detail": detail}
    else:
        checks["model"] = {"ok": True, "backend": state.model.backend_name, "model": state.model.model_name}

    ready = all(check["ok"] for check in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks}, status_code=200 if ready else 503
    )
