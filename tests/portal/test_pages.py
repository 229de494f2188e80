"""Portal pages and session sign-in over TestClient: redirects, CSRF, revoked keys, language, chart SVG."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from apps.gateway.app import create_app
from apps.portal.mount import SESSION_COOKIE
from services.core.apikeys import ApiKeyStore, hash_key
from services.core.settings import LOCAL_ADMIN_KEY, Settings
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.conftest import ADMIN_HEADERS

PAGES = ("/", "/writing", "/knowledge", "/analytics", "/meetings")
REGIONS_SQL = "```sql\nSELECT region_name, region_id FROM regions ORDER BY region_id\n```"
REVENUE_SQL = (
    "```sql\nSELECT r.region_name, SUM(k.revenue) AS revenue FROM monthly_kpi k JOIN regions r "
    "ON k.region_id = r.region_id GROUP BY r.region_name\n```"
)


def form_csrf(html: str) -> str:
    match = re.search(r'<input type="hidden" name="csrf" value="([^"]+)">', html)
    assert match is not None, html
    return match.group(1)


def post_login(client: TestClient, key: str, next_path: str = "/writing"):  # type: ignore[no-untyped-def]
    """Open the sign-in form and submit it with its CSRF token, as a browser does."""
    token = form_csrf(client.get("/login").text)
    return client.post("/login", data={"api_key": key, "next": next_path, "csrf": token}, follow_redirects=False)


def sign_in(client: TestClient, key: str = LOCAL_ADMIN_KEY) -> str:
    """Sign in and return the CSRF token the pages carry."""
    response = post_login(client, key)
    assert response.status_code == 303, response.text
    page = client.get("/writing")
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert match is not None
    return match.group(1)


def session_data(client: TestClient) -> dict[str, str]:
    cookie = client.cookies[SESSION_COOKIE]
    payload = cookie.split(".")[0]
    decoded: dict[str, str] = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    return decoded


@pytest.mark.parametrize("path", PAGES)
def test_page_without_session_redirects(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next={path}"


@pytest.mark.parametrize("path", PAGES)
def test_page_signed_in_is_chinese(client: TestClient, path: str) -> None:
    sign_in(client)

    response = client.get(path)

    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.text
    assert "退出登录" in response.text
    assert LOCAL_ADMIN_KEY not in response.text
    assert response.headers["cache-control"] == "no-store"


def test_login_bad_key_rejected(client: TestClient) -> None:
    response = post_login(client, "xc_wrong", "/")

    assert response.status_code == 401
    assert "API 密钥无效或已被吊销" in response.text
    assert "key_hash" not in session_data(client)


def test_login_form_stores_csrf_before_sign_in(client: TestClient) -> None:
    page = client.get("/login")

    data = session_data(client)

    assert data["csrf"] == form_csrf(page.text)
    assert "key_hash" not in data


def test_login_good_csrf_signs_in(client: TestClient) -> None:
    form_token = form_csrf(client.get("/login").text)

    response = client.post(
        "/login", data={"api_key": LOCAL_ADMIN_KEY, "next": "/writing", "csrf": form_token}, follow_redirects=False
    )
    data = session_data(client)

    assert response.status_code == 303
    assert response.headers["location"] == "/writing"
    assert data["key_hash"] == hash_key(LOCAL_ADMIN_KEY)
    # Signing in replaces the form's token, so a token seen before sign-in cannot call the API.
    assert data["csrf"] != form_token


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh", "登录表单的安全令牌缺失或无效"), ("en", "security token is missing or invalid")],
)
@pytest.mark.parametrize("sent", [None, "", "forged-token"])
def test_login_bad_csrf_rejected(client: TestClient, language: str, message: str, sent: str | None) -> None:
    client.cookies.set("lang", language)
    client.get("/login")
    form = {"api_key": LOCAL_ADMIN_KEY, "next": "/writing"}
    if sent is not None:
        form["csrf"] = sent

    response = client.post("/login", data=form, follow_redirects=False)
    data = session_data(client)

    assert response.status_code == 403
    assert message in response.text
    assert 'role="alert"' in response.text
    assert "key_hash" not in data
    # The form comes back with the session's token, so the user can sign in from it.
    assert form_csrf(response.text) == data["csrf"]
    assert client.get("/writing", follow_redirects=False).status_code == 303


def test_login_without_session_cookie_rejected(client: TestClient) -> None:
    token = form_csrf(client.get("/login").text)
    client.cookies.clear()

    response = client.post(
        "/login", data={"api_key": LOCAL_ADMIN_KEY, "next": "/", "csrf": token}, follow_redirects=False
    )

    assert response.status_code == 403
    assert "登录表单的安全令牌缺失或无效" in response.text
    assert "key_hash" not in session_data(client)


def test_login_token_of_other_session_rejected(client: TestClient) -> None:
    # A second client on the same app has its own cookies; it skips the lifespan, which `client` already ran.
    other_token = form_csrf(TestClient(client.app).get("/login").text)
    client.get("/login")

    response = client.post(
        "/login", data={"api_key": LOCAL_ADMIN_KEY, "next": "/", "csrf": other_token}, follow_redirects=False
    )

    assert response.status_code == 403


def test_session_stores_hash_not_key(client: TestClient) -> None:
    sign_in(client)

    data = session_data(client)

    assert data["key_hash"] == hash_key(LOCAL_ADMIN_KEY)
    assert LOCAL_ADMIN_KEY not in json.dumps(data)


def test_session_api_call_needs_csrf_header(client: TestClient) -> None:
    token = sign_in(client)

    missing = client.get("/api/v1/knowledge/categories")
    forged = client.get("/api/v1/knowledge/categories", headers={"X-CSRF-Token": "forged"})
    accepted = client.get("/api/v1/knowledge/categories", headers={"X-CSRF-Token": token})

    assert missing.status_code == 401
    assert missing.json()["code"] == "portal.csrf_invalid"
    assert forged.status_code == 401
    assert accepted.status_code == 200


def test_api_without_session_still_needs_key(client: TestClient) -> None:
    response = client.get("/api/v1/knowledge/categories")

    assert response.status_code == 401
    assert response.json()["code"] == "auth.missing_key"


def test_revoked_key_ends_session(client: TestClient) -> None:
    keys: ApiKeyStore = client.app.state.gateway.keys  # type: ignore[attr-defined]
    record, plaintext = keys.create("portal user", ["knowledge"])
    token = sign_in(client, plaintext)
    assert client.get("/api/v1/knowledge/categories", headers={"X-CSRF-Token": token}).status_code == 200

    keys.revoke(record.id)
    api = client.get("/api/v1/knowledge/categories", headers={"X-CSRF-Token": token})
    page = client.get("/knowledge", follow_redirects=False)

    assert api.status_code == 401
    assert api.json()["code"] == "portal.session_expired"
    assert page.status_code == 303


def test_session_key_limited_to_its_services(client: TestClient) -> None:
    keys: ApiKeyStore = client.app.state.gateway.keys  # type: ignore[attr-defined]
    _record, plaintext = keys.create("writers", ["writing"])
    token = sign_in(client, plaintext)

    response = client.get("/api/v1/knowledge/categories", headers={"X-CSRF-Token": token, "Accept-Language": "en"})

    assert response.status_code == 403


def test_logout_needs_csrf_token(client: TestClient) -> None:
    token = sign_in(client)

    client.post("/logout", data={"csrf": "forged"}, follow_redirects=False)
    still_in = client.get("/writing", follow_redirects=False)
    client.post("/logout", data={"csrf": token}, follow_redirects=False)
    signed_out = client.get("/writing", follow_redirects=False)

    assert still_in.status_code == 200
    assert signed_out.status_code == 303


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_next_stays_on_site(client: TestClient, target: str) -> None:
    response = post_login(client, LOCAL_ADMIN_KEY, target)

    assert response.headers["location"] == "/"


def test_language_switch_sets_cookie(client: TestClient) -> None:
    sign_in(client)

    response = client.get("/lang/en?next=/analytics", follow_redirects=False)
    page = client.get("/analytics")

    assert response.headers["location"] == "/analytics"
    assert client.cookies["lang"] == "en"
    assert '<html lang="en">' in page.text
    assert "Business question" in page.text


def test_language_switch_ignores_unknown(client: TestClient) -> None:
    response = client.get("/lang/fr?next=/", follow_redirects=False)

    assert response.status_code == 303
    assert "lang" not in client.cookies


def ask(client: TestClient, fake_chat: FakeChatModel, sql: str) -> str:
    fake_chat.queue(sql, "华东收入最高。")
    response = client.post(
        "/api/v1/analytics/ask", json={"question": "各地区收入", "source": "demo"}, headers=ADMIN_HEADERS
    )
    assert response.status_code == 200, response.text
    turn_id: str = response.json()["turn_id"]
    return turn_id


def test_chart_svg_for_own_answer(client: TestClient, fake_chat: FakeChatModel) -> None:
    turn_id = ask(client, fake_chat, REVENUE_SQL)
    sign_in(client)

    response = client.get(f"/portal/analytics/charts/{turn_id}.svg")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.lstrip().startswith("<svg")


def test_chart_svg_of_other_key_not_found(client: TestClient, fake_chat: FakeChatModel) -> None:
    turn_id = ask(client, fake_chat, REVENUE_SQL)
    keys: ApiKeyStore = client.app.state.gateway.keys  # type: ignore[attr-defined]
    _record, plaintext = keys.create("analyst", ["analytics"])
    sign_in(client, plaintext)

    response = client.get(f"/portal/analytics/charts/{turn_id}.svg")

    assert response.status_code == 404
    assert response.json()["code"] == "analytics.turn_not_found"


def test_chart_svg_missing_chart_not_found(client: TestClient, fake_chat: FakeChatModel) -> None:
    turn_id = ask(client, fake_chat, REGIONS_SQL)
    sign_in(client)

    response = client.get(f"/portal/analytics/charts/{turn_id}.svg")

    assert response.status_code == 404
    assert response.json()["code"] == "portal.chart_missing"


def test_chart_svg_needs_session(client: TestClient) -> None:
    response = client.get("/portal/analytics/charts/anything.svg")

    assert response.status_code == 404


@pytest.fixture
def portal_off_client(settings: Settings, fake_model: ModelClient) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"portal_session_secret": None}), model=fake_model)
    with TestClient(app) as test_client:
        yield test_client


def test_portal_off_without_secret(portal_off_client: TestClient) -> None:
    page = portal_off_client.get("/writing")
    api = portal_off_client.get("/api/v1/knowledge/categories", headers=ADMIN_HEADERS)

    assert page.status_code == 404
    assert api.status_code == 200


@pytest.mark.parametrize("path", ["/login", *PAGES[1:]])
def test_page_chinese_despite_english_browser(client: TestClient, path: str) -> None:
    sign_in(client)

    response = client.get(path, headers={"Accept-Language": "en-US,en;q=0.9"})

    assert '<html lang="zh-CN">' in response.text
    assert "Sign out" not in response.text


def test_page_english_by_query_or_cookie(client: TestClient) -> None:
    sign_in(client)

    by_query = client.get("/writing?lang=en")
    client.cookies.set("lang", "en")
    by_cookie = client.get("/writing", headers={"Accept-Language": "zh-CN"})

    assert '<html lang="en">' in by_query.text
    assert '<html lang="en">' in by_cookie.text
    assert "Sign out" in by_cookie.text


def test_api_still_follows_accept_language(client: TestClient) -> None:
    english = client.get("/api/v1/knowledge/categories", headers={"Accept-Language": "en-US"})
    chinese = client.get("/api/v1/knowledge/categories", headers={"Accept-Language": "zh-CN"})

    assert english.json()["title"] != chinese.json()["title"]
    assert re.search(r"[\u4e00-\u9fff]", chinese.json()["detail"])
    assert not re.search(r"[\u4e00-\u9fff]", english.json()["detail"])


def limited_key(client: TestClient, services: list[str]) -> str:
    keys: ApiKeyStore = client.app.state.gateway.keys  # type: ignore[attr-defined]
    _record, plaintext = keys.create("limited", services)
    return plaintext


def test_home_lists_only_the_keys_services(client: TestClient) -> None:
    sign_in(client, limited_key(client, ["writing"]))

    home = client.get("/")

    assert 'href="/writing"' in home.text
    for other in ("knowledge", "analytics", "meetings"):
        assert f'href="/{other}"' not in home.text


def test_admin_home_lists_every_service(client: TestClient) -> None:
    sign_in(client)

    home = client.get("/")

    assert home.text.count('class="card service-card"') == 4


@pytest.mark.parametrize(
    ("language", "message"),
    [("zh", "此 API 密钥无权使用“经营分析”服务"), ("en", "This API key may not use the Analytics service")],
)
def test_forbidden_service_page(client: TestClient, language: str, message: str) -> None:
    sign_in(client, limited_key(client, ["writing"]))
    client.cookies.set("lang", language)

    response = client.get("/analytics")

    assert response.status_code == 403
    assert message in response.text
    assert 'id="ask-form"' not in response.text
    assert "analytics.js" not in response.text
    # The page offers what the key may use instead.
    assert 'class="card service-card" href="/writing"' in response.text


def test_allowed_service_page_shows_form(client: TestClient) -> None:
    sign_in(client, limited_key(client, ["analytics"]))

    response = client.get("/analytics")

    assert response.status_code == 200
    assert 'id="ask-form"' in response.text


def test_favicon_served_and_linked(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    login = client.get("/login")

    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/png"
    assert icon.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert '<link rel="icon" type="image/png" href="/favicon.ico">' in login.text
