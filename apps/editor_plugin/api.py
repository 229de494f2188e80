"""Routes that serve the editor plug-in: its Office add-in manifest, its WPS add-in and the static task pane."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from apps.editor_plugin.icons import ICON_SIZES, icon_png
from apps.editor_plugin.manifest import STATIC_DIR, render_manifest
from apps.editor_plugin.wps_addin import MEDIA_TYPES, WPS_ADDIN_FILES, render_wps_file
from apps.gateway.deps import SettingsDep
from services.core.settings import Settings

PREFIX = "/editor-plugin"

router = APIRouter(prefix=PREFIX, tags=["editor plug-in"])


def public_base_url(request: Request, settings: Settings) -> str:
    """Return the `public_url` setting, or this request's base URL when it is unset."""
    return settings.public_url or str(request.base_url)


@router.get("/manifest.xml", response_class=Response)
def get_manifest(request: Request, settings: SettingsDep) -> Response:
    """Return the Office add-in manifest; its URLs start with `public_url`, or this request's base URL when unset."""
    return Response(render_manifest(public_base_url(request, settings)), media_type="application/xml")


@router.get("/wps/{name}", response_class=Response)
def get_wps_addin_file(name: str, request: Request, settings: SettingsDep) -> Response:
    """Return a file of the WPS add-in: ribbon.xml, index.html, main.js or the publish.xml to install it."""
    if name not in WPS_ADDIN_FILES:
        raise HTTPException(status_code=404)
    return Response(render_wps_file(name, public_base_url(request, settings)), media_type=MEDIA_TYPES[name])


@router.get("/icons/icon-{size}.png", response_class=Response)
@router.get("/wps/images/icon-{size}.png", response_class=Response, include_in_schema=False)
def get_icon(size: int) -> Response:
    """Return the add-in icon at 16, 32, 64 or 80 pixels."""
    if size not in ICON_SIZES:
        raise HTTPException(status_code=404)
    return Response(icon_png(size), media_type="image/png", headers={"Cache-Control": "public, max-age=86400"})


@router.get("/", include_in_schema=False)
def get_index() -> RedirectResponse:
    """Redirect to the task pane, which runs over the stand-in document outside Word."""
    return RedirectResponse("taskpane.html")


def mount_editor_plugin(app: FastAPI) -> None:
    """Serve the manifest and the pane's files under /editor-plugin/ on the gateway's own origin."""
    app.include_router(router)
    app.mount(PREFIX, StaticFiles(directory=STATIC_DIR), name="editor-plugin")
