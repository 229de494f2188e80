"""HTTP rendering of the suite's errors as RFC 9457 problem details.

Used by the gateway and by each service's standalone app, so both render
errors the same way: `application/problem+json`, localised to the caller's
Accept-Language (Simplified Chinese unless English is preferred).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from services.core.errors import XingchenError
from services.core.i18n import Language, negotiate_language, translate
from services.core.logging import request_id_var
from services.core.validation import describe_validation_item

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Scope key naming the setting of the request body limit in force, shown in the 413 message.
BODY_LIMIT_SETTING_SCOPE_KEY = "xingchen.body_limit_setting"
# Scope key of the request id. Starlette renders an unhandled exception in its outermost
# middleware, after the request id middleware has reset `request_id_var`, so that handler reads the scope.
REQUEST_ID_SCOPE_KEY = "xingchen.request_id"
REQUEST_ID_HEADER = "x-request-id"

_TITLES: dict[int, dict[Language, str]] = {
    400: {"zh": "请求无效", "en": "Bad Request"},
    401: {"zh": "未认证", "en": "Unauthorized"},
    403: {"zh": "无权访问", "en": "Forbidden"},
    404: {"zh": "未找到", "en": "Not Found"},
    405: {"zh": "方法不允许", "en": "Method Not Allowed"},
    409: {"zh": "冲突", "en": "Conflict"},
    413: {"zh": "内容过大", "en": "Content Too Large"},
    415: {"zh": "不支持的媒体类型", "en": "Unsupported Media Type"},
    422: {"zh": "无法处理的内容", "en": "Unprocessable Content"},
    429: {"zh": "请求过多", "en": "Too Many Requests"},
    500: {"zh": "服务器内部错误", "en": "Internal Server Error"},
    502: {"zh": "上游服务出错", "en": "Bad Gateway"},
    503: {"zh": "服务不可用", "en": "Service Unavailable"},
    504: {"zh": "上游服务超时", "en": "Gateway Timeout"},
}


def request_language(request: Request) -> Language:
    """Return the caller's language: a `lang` query parameter or cookie first, then Accept-Language."""
    explicit = request.query_params.get("lang") or request.cookies.get("lang")
    if explicit in ("zh", "en"):
        return explicit  # type: ignore[return-value]
    return negotiate_language(request.headers.get("accept-language"))


def problem_response(
    request: Request,
    *,
    status: int,
    code: str,
    detail: str,
    language: Language,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
    title_code: str | None = None,
) -> JSONResponse:
    if title_code is not None:
        title = translate(title_code, language)
    else:
        title = _TITLES.get(status, _TITLES[500 if status >= 500 else 400])[language]
    body: dict[str, Any] = {
        "type": f"urn:xingchen:problem:{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        "code": code,
        "request_id": request.scope.get(REQUEST_ID_SCOPE_KEY) or request_id_var.get(),
    }
    if extra:
        body.update(extra)
    if request.url.path.startswith("/v1/"):
        # OpenAI clients read `error.message`; RFC 9457 allows extension members.
        body["error"] = {"message": detail, "type": code, "code": status}
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def install_error_handlers(app: FastAPI) -> None:
    """Render every error an app raises as localised problem details."""

    @app.exception_handler(XingchenError)
    async def handle_suite_error(request: Request, error: XingchenError) -> JSONResponse:
        language = request_language(request)
        if error.status >= 500:
            logger.error("%s %s failed: %s", request.method, request.url.path, error.message("en"))
        else:
            logger.info("%s %s rejected (%d %s)", request.method, request.url.path, error.status, error.code)
        return problem_response(
            request,
            status=error.status,
            code=error.code,
            detail=error.message(language),
            language=language,
            headers=error.headers(),
            title_code=error.title_code,
        )

    @app.exception_handler(RequestValidationError)
    async def handle_validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        language = request_language(request)
        problems = [describe_validation_item(item, language) for item in error.errors()]
        return problem_response(
            request,
            status=422,
            code="validation_failed",
            detail=translate("validation_failed", language, errors="; ".join(problems)),
            language=language,
            extra={"errors": [{"loc": list(item.get("loc", ())), "msg": item.get("msg")} for item in error.errors()]},
        )

    @app.exception_handler(StarletteHTTPException)
    async def handle_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        language = request_language(request)
        if error.status_code == 404:
            detail = translate("not_found", language, kind="URL" if language == "en" else "地址", id=request.url.path)
            code = "not_found"
        elif error.status_code == 413:
            code = "payload_too_large"
            limit = request.scope.get("starlette.max_body_size", "-")
            setting = request.scope.get(BODY_LIMIT_SETTING_SCOPE_KEY, "XINGCHEN_MAX_UPLOAD_BYTES")
            detail = translate("payload_too_large.limit", language, limit=limit, setting=setting)
        elif error.status_code == 400 and request.headers.get("content-type", "").startswith("multipart/form-data"):
            # Starlette's form parser raises a 400 with an English detail (e.g. "Missing boundary in multipart.").
            logger.info("%s %s: malformed multipart body: %s", request.method, request.url.path, error.detail)
            detail = translate("multipart.invalid", language)
            code = "multipart.invalid"
        else:
            detail = str(error.detail)
            code = f"http.{error.status_code}"
        return problem_response(
            request,
            status=error.status_code,
            code=code,
            detail=detail,
            language=language,
            headers=dict(error.headers) if error.headers else None,
        )

    @app.exception_handler(OperationalError)
    async def handle_database_error(request: Request, error: OperationalError) -> JSONResponse:
        language = request_language(request)
        logger.error("database error on %s %s: %s", request.method, request.url.path, error.orig)
        return problem_response(
            request,
            status=503,
            code="database.unavailable",
            detail=translate("database.unavailable", language, reason=str(error.orig)[:200]),
            language=language,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(Exception)
    async def handle_unexpected(request: Request, error: Exception) -> JSONResponse:
        language = request_language(request)
        request_id = request.scope.get(REQUEST_ID_SCOPE_KEY)
        token = request_id_var.set(request_id) if request_id else None
        try:
            logger.exception("unhandled error on %s %s", request.method, request.url.path)
        finally:
            if token is not None:
                request_id_var.reset(token)
        # This response bypasses the request id middleware's `send`, so the header is added here.
        return problem_response(
            request,
            status=500,
            code="internal_error",
            detail=translate("internal_error", language),
            language=language,
            headers={REQUEST_ID_HEADER: request_id} if request_id else None,
        )
