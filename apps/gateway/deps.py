"""FastAPI dependencies: shared state, the model client, and API-key checks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, Request

from apps.gateway.state import GatewayState
from apps.portal import session as portal_session
from services.core.apikeys import Principal
from services.core.errors import AuthenticationError, PermissionDeniedError, RetryableError
from services.core.http import request_language
from services.core.i18n import Language
from services.core.jobs import JobRunner, JobStore
from services.core.settings import Settings
from services.model.client import ModelClient
from services.model.usage import UsageMeter, current_meter


def get_state(request: Request) -> GatewayState:
    state: GatewayState = request.app.state.gateway
    return state


StateDep = Annotated[GatewayState, Depends(get_state)]


def get_settings_dep(state: StateDep) -> Settings:
    return state.settings


def get_model(state: StateDep) -> ModelClient:
    """Return the model client, or raise why it is not usable yet."""
    if state.model_error is not None:
        raise state.model_error
    if state.model is None or (state.model_loading.is_set() and not state.model.loaded):
        raise RetryableError("model.not_ready", retry_after=10)
    return state.model


def get_jobs(state: StateDep) -> JobStore:
    return state.jobs


def get_runner(state: StateDep) -> JobRunner:
    return state.runner


def get_language(request: Request) -> Language:
    return request_language(request)


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ModelDep = Annotated[ModelClient, Depends(get_model)]
JobsDep = Annotated[JobStore, Depends(get_jobs)]
RunnerDep = Annotated[JobRunner, Depends(get_runner)]
LanguageDep = Annotated[Language, Depends(get_language)]


def _key_from_headers(request: Request) -> str | None:
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    header_key = request.headers.get("x-api-key", "").strip()
    return header_key or None


async def authenticate(request: Request, state: StateDep) -> Principal:
    """Resolve the request's API key to a principal; 401 when it is missing or unknown."""
    key = _key_from_headers(request)
    if key is not None:
        principal = state.keys.authenticate(key)
        if principal is None:
            raise AuthenticationError("auth.invalid_key")
    else:
        # Without a key header, a signed-in portal page may call with its session cookie.
        principal = portal_session.api_principal(request, state.keys)
        if principal is None:
            raise AuthenticationError("auth.missing_key")
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(authenticate)]


def require_service(service: str) -> Callable[..., AsyncIterator[Principal]]:
    """Dependency factory: the key must allow `service`; model tokens used are charged to it."""

    async def check(principal: PrincipalDep, state: StateDep) -> AsyncIterator[Principal]:
        if not principal.may_use(service):
            raise PermissionDeniedError("auth.forbidden", service=service, allowed=", ".join(principal.services) or "-")
        meter = UsageMeter()
        token = current_meter.set(meter)
        try:
            yield principal
        finally:
            current_meter.reset(token)
            if meter.total.calls:
                state.keys.add_usage(principal.key_id, meter.total)

    return check
