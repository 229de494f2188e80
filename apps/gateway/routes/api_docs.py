"""Interactive API documentation served from local files.

FastAPI's default `/docs` and `/redoc` pages load Swagger UI and ReDoc from a
CDN, which the suite's machines cannot reach, so the page would stay blank.
Here Swagger UI comes from the `swagger-ui-py` package (Swagger UI 5, which
reads OpenAPI 3.1) and is served by the gateway itself.
"""

from __future__ import annotations

from pathlib import Path

import swagger_ui
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

SWAGGER_UI_FILES = Path(swagger_ui.__file__).resolve().parent / "static"
ASSETS_PATH = "/docs-assets"


def mount_api_docs(app: FastAPI) -> None:
    """Serve Swagger UI at `/docs` for the app's OpenAPI document, with no request leaving the gateway."""
    app.mount(ASSETS_PATH, StaticFiles(directory=SWAGGER_UI_FILES), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui_page() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} · API",
            swagger_js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_PATH}/favicon-32x32.png",
        )
