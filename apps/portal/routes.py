"""Pages of the web portal: sign-in, the language switch and one page per service."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from apps.editor_plugin.icons import icon_png
from apps.gateway.deps import StateDep
from apps.portal import session
from apps.portal.labels import labels_for
from services.analytics.charts import render_svg
from services.analytics.pipeline import load_turn
from services.core.apikeys import Principal
from services.core.errors import NotFoundError
from services.core.i18n import Language, translate

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

SERVICE_PAGES = ("writing", "knowledge", "analytics", "meetings")
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


def _safe_next(target: str | None) -> str:
    """Return `target` when it is a path on this site, else `/` (no open redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def portal_language(request: Request) -> Language:
    """Return the page language: Chinese unless `?lang=en` or the switch's `lang` cookie chose English.

    Unlike the REST API, pages ignore Accept-Language, so a browser set to English still opens in Chinese.
    """
    chosen = request.query_params.get("lang") or request.cookies.get("lang")
    return "en" if chosen == "en" else "zh"


def _render(request: Request, name: str, principal: Principal | None, **context: Any) -> HTMLResponse:
    language = portal_language(request)
    context.update(
        request=request,
        principal=principal,
        services=[name for name in SERVICE_PAGES if principal is not None and principal.may_use(name)],
        lang=language,
        t=labels_for(language),
        csrf=session.csrf_token(request),
    )
    response = templates.TemplateResponse(request, name, context)
    response.headers["Cache-Control"] = "no-store"
    return response


def _sign_in_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


@router.get("/")
def home(request: Request, state: StateDep) -> Response:
    """Show the service overview, or redirect to the sign-in form without a session."""
    principal = session.page_principal(request, state.keys)
    if principal is None:
        return _sign_in_redirect(request)
    return _render(request, "home.html", principal, page="home")


def _login_form(request: Request, next_path: str, error: str | None, status_code: int = 200) -> HTMLResponse:
    # The form posts the session's CSRF token, so the session gets one before the form is rendered.
    session.sign_in_csrf_token(request)
    response = _render(request, "login.html", None, page="login", next=_safe_next(next_path), error=error)
    response.status_code = status_code
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:  # noqa: A002
    """Show the sign-in form."""
    return _login_form(request, next, None)


@router.post("/login")
def login(
    request: Request,
    state: StateDep,
    api_key: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",  # noqa: A002
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Check the form's CSRF token and the key, then keep the key's hash in the session."""
    language = portal_language(request)
    if not session.csrf_matches(request, csrf):
        # Checked before the key, so a page of another site cannot sign a browser in or probe keys.
        logger.warning("portal sign-in rejected: CSRF token %s", "missing" if not csrf else "invalid")
        return _login_form(request, next, translate("portal.sign_in_csrf_invalid", language), 403)

    principal = session.sign_in(request, api_key.strip(), state.keys)
    if principal is None:
        return _login_form(request, next, labels_for(language)["sign_in_failed"], 401)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """Clear the session when the form carries the page's CSRF token."""
    if session.csrf_matches(request, csrf):
        session.sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/lang/{language}")
def switch_language(language: str, next: str = "/") -> Response:  # noqa: A002
    """Remember the chosen language in the `lang` cookie, which every page and API call reads."""
    response = RedirectResponse(_safe_next(next), status_code=303)
    if language in ("zh", "en"):
        response.set_cookie("lang", language, max_age=LANGUAGE_COOKIE_SECONDS, samesite="lax")
    return response


@router.get("/portal/analytics/charts/{turn_id}.svg")
def analytics_chart(turn_id: str, request: Request, state: StateDep) -> Response:
    """Render the chart of a stored analytics result as SVG; only the signed-in key's own results."""
    principal = session.page_principal(request, state.keys)
    if principal is None or not principal.may_use("analytics"):
        raise NotFoundError("analytics.turn_not_found", turn_id=turn_id)
    turn = load_turn(state.database, turn_id, owner=None if principal.is_admin else principal.key_id)
    spec = (turn.chart or {}).get("spec")
    if not isinstance(spec, dict):
        raise NotFoundError("portal.chart_missing", turn_id=turn_id)
    svg = render_svg(spec, font_dir=state.settings.analytics_font_dir)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


def _forbidden_page(request: Request, principal: Principal, service: str) -> HTMLResponse:
    """Say in the page language that the signed-in key may not use `service` (403), instead of its form."""
    language = portal_language(request)
    message = translate("portal.service_forbidden", language, service=labels_for(language)[f"nav_{service}"])
    response = _render(request, "forbidden.html", principal, page=service, message=message)
    response.status_code = 403
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    """Return the suite's icon (the editor plug-in's star) as a 32-pixel PNG."""
    return Response(icon_png(32), media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})


def _service_page(service: str) -> Any:
    def page(request: Request, state: StateDep) -> Response:
        principal = session.page_principal(request, state.keys)
        if principal is None:
            return _sign_in_redirect(request)
        if not principal.may_use(service):
            return _forbidden_page(request, principal, service)
        return _render(request, f"{service}.html", principal, page=service)

    page.__name__ = f"{service}_page"
    page.__doc__ = f"Show the {service} page."
    return page


for _service in SERVICE_PAGES:
    router.add_api_route(f"/{_service}", _service_page(_service), methods=["GET"], response_class=HTMLResponse)
