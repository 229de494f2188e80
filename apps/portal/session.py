"""Portal sign-in: a signed session cookie that names an API key by its hash.

Starlette's SessionMiddleware signs the cookie with `portal_session_secret`.
The cookie stores the SHA-256 of the key the user signed in with, never the
key itself, and a random CSRF token. Browser calls to `/api/v1/...` count as
signed in only when they send that token in the `X-CSRF-Token` header, which
a page of another site cannot read, so it cannot use the cookie to call the API.
The sign-in form carries a token too: showing the form stores one in a session
that has no key yet, and signing in replaces it with a new one.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any

from starlette.requests import Request

from services.core.apikeys import ApiKeyStore, Principal, hash_key
from services.core.errors import AuthenticationError

logger = logging.getLogger(__name__)

SESSION_KEY_HASH = "key_hash"
SESSION_CSRF = "csrf"
CSRF_HEADER = "x-csrf-token"


def _session(request: Request) -> dict[str, Any]:
    # `request.session` asserts when SessionMiddleware is absent (portal turned off).
    session: dict[str, Any] = request.scope.get("session", {})
    return session


def sign_in(request: Request, key: str, keys: ApiKeyStore) -> Principal | None:
    """Check `key` and, when valid, store its hash and a new CSRF token in the session."""
    principal = keys.authenticate(key)
    if principal is None:
        return None
    session = _session(request)
    session.clear()
    session[SESSION_KEY_HASH] = hash_key(key)
    session[SESSION_CSRF] = secrets.token_urlsafe(32)
    logger.info("portal sign-in with API key %s", principal.key_id)
    return principal


def sign_out(request: Request) -> None:
    _session(request).clear()


def csrf_token(request: Request) -> str:
    return str(_session(request).get(SESSION_CSRF, ""))


def sign_in_csrf_token(request: Request) -> str:
    """Return the session's CSRF token for the sign-in form, storing a new one when the session has none."""
    session = _session(request)
    token = session.get(SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_CSRF] = token
    return token


def csrf_matches(request: Request, sent: str) -> bool:
    """Tell whether `sent` equals the session's CSRF token; False when the session has none."""
    expected = csrf_token(request)
    return bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


def page_principal(request: Request, keys: ApiKeyStore) -> Principal | None:
    """Return the signed-in principal for a page view, or None when there is no valid sign-in."""
    key_hash = _session(request).get(SESSION_KEY_HASH)
    if not isinstance(key_hash, str):
        return None
    return keys.authenticate_hash(key_hash)


def api_principal(request: Request, keys: ApiKeyStore) -> Principal | None:
    """Return the principal of a portal API call, None without a session, 401 with a stale or forged one."""
    session = _session(request)
    if SESSION_KEY_HASH not in session:
        return None
    if not csrf_matches(request, request.headers.get(CSRF_HEADER, "")):
        raise AuthenticationError("portal.csrf_invalid")
    principal = page_principal(request, keys)
    if principal is None:
        raise AuthenticationError("portal.session_expired")
    return principal
