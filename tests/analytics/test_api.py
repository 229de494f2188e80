"""REST routes over the gateway with the fake model: ask, paging, reports, sources, glossary, examples."""

from __future__ import annotations

import io
import time
import zipfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from services.model.backends.fake import FakeChatModel
from tests.analytics.conftest import ANALYTICS_DATA
from tests.conftest import ADMIN_HEADERS

DEPARTMENT_STORE_URL = f"sqlite:///{ANALYTICS_DATA / 'department_store' / 'department_store.sqlite'}"
API = "/api/v1/analytics"
COUNT_BY_TYPE = "```sql\nSELECT product_type_code, COUNT(*) AS products FROM Products GROUP BY product_type_code\n```"


def _register(client: TestClient) -> None:
    response = client.post(f"{API}/sources", json={"name": "store", "url": DEPARTMENT_STORE_URL}, headers=ADMIN_HEADERS)
    assert response.status_code == 201


def _wait_job(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}", headers=ADMIN_HEADERS).json()
        if body["status"] in ("succeeded", "failed"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish")


def test_sources_list_has_demo(client: TestClient) -> None:
    response = client.get(f"{API}/sources", headers=ADMIN_HEADERS)

    assert response.status_code == 200
    assert [source["name"] for source in response.json()] == ["demo"]


def test_sources_add_and_delete(client: TestClient) -> None:
    _register(client)

    listed = client.get(f"{API}/sources", headers=ADMIN_HEADERS).json()
    deleted = client.delete(f"{API}/sources/store", headers=ADMIN_HEADERS)
    after = client.get(f"{API}/sources", headers=ADMIN_HEADERS).json()

    assert [source["name"] for source in listed] == ["demo", "store"]
    assert deleted.status_code == 204
    assert [source["name"] for source in after] == ["demo"]


def test_sources_add_duplicate_conflicts(client: TestClient) -> None:
    _register(client)

    response = client.post(f"{API}/sources", json={"name": "store", "url": DEPARTMENT_STORE_URL}, headers=ADMIN_HEADERS)

    assert response.status_code == 409
    assert "store" in response.json()["detail"]


def test_sources_password_is_masked(client: TestClient) -> None:
    url = "postgresql+psycopg://reader:secret@127.0.0.1:5432/sales"

    response = client.post(f"{API}/sources", json={"name": "sales", "url": url}, headers=ADMIN_HEADERS)
    listed = client.get(f"{API}/sources", headers=ADMIN_HEADERS).text

    assert response.status_code == 201
    assert "secret" not in response.text
    assert "secret" not in listed


def test_sources_unsupported_dialect_localised(client: TestClient) -> None:
    body = {"name": "ora", "url": "oracle://scott@db/orcl"}

    chinese = client.post(f"{API}/sources", json=body, headers=ADMIN_HEADERS)
    english = client.post(f"{API}/sources?lang=en", json=body, headers=ADMIN_HEADERS)

    assert chinese.status_code == 422
    assert chinese.headers["content-type"].startswith("application/problem+json")
    assert "不支持的数据库类型“oracle”" in chinese.json()["detail"]
    assert "Unsupported database dialect 'oracle'" in english.json()["detail"]


def test_sources_delete_demo_conflicts(client: TestClient) -> None:
    response = client.delete(f"{API}/sources/demo", headers=ADMIN_HEADERS)

    assert response.status_code == 409


def test_catalog_of_source(client: TestClient) -> None:
    _register(client)

    response = client.get(f"{API}/sources/store/catalog", headers=ADMIN_HEADERS)

    assert response.status_code == 200
    assert len(response.json()["tables"]) == 14


def test_catalog_unknown_source_404(client: TestClient) -> None:
    response = client.get(f"{API}/sources/nope/catalog?lang=en", headers=ADMIN_HEADERS)

    assert response.status_code == 404
    assert "Data source 'nope' was not found" in response.json()["detail"]


def test_ask_returns_sql_rows_chart_analysis(client: TestClient, fake_chat: FakeChatModel) -> None:
    _register(client)
    fake_chat.queue(COUNT_BY_TYPE, "Clothes 产品最多，共 9 个。")

    response = client.post(
        f"{API}/ask", json={"question": "每种产品类型有多少产品？", "source": "store"}, headers=ADMIN_HEADERS
    )

    body = response.json()
    assert response.status_code == 200
    assert body["columns"] == ["product_type_code", "products"]
    assert sorted(body["rows"]) == [["Clothes", 9], ["Hardware", 6]]
    assert body["chart"]["kind"] == "bar"
    assert body["chart_spec"]["mark"]["type"] == "bar"
    assert body["analysis"]["narrative"]["text"] == "Clothes 产品最多，共 9 个。"


def test_ask_rejected_sql_is_localised_422(client: TestClient, fake_chat: FakeChatModel) -> None:
    _register(client)
    fake_chat.queue("```sql\nDELETE FROM Customers\n```", "```sql\nDROP TABLE Customers\n```", "DELETE FROM Products")

    response = client.post(
        f"{API}/ask?lang=en", json={"question": "删除所有客户", "source": "store"}, headers=ADMIN_HEADERS
    )

    assert response.status_code == 422
    assert response.json()["code"] == "analytics.write_refused"
    assert "Only read-only queries are allowed, and this question asks to change data" in response.json()["detail"]
    assert "DELETE" in response.json()["detail"]
    assert len(fake_chat.calls) == 1


def test_ask_generation_failed_reason_in_english(client: TestClient, fake_chat: FakeChatModel) -> None:
    _register(client)
    fake_chat.queue("I do not know.", "Still no idea.", "Sorry.")

    response = client.post(
        f"{API}/ask?lang=en",
        json={"question": "How is the weather?", "source": "store", "options": {"language": "zh"}},
        headers=ADMIN_HEADERS,
    )

    detail = response.json()["detail"]
    assert response.status_code == 422
    assert "reason: The model's reply contains no SQL query" in detail
    assert not any("\u4e00" <= char <= "\u9fff" for char in detail)


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_empty_question_422(client: TestClient, fake_chat: FakeChatModel, question: str) -> None:
    response = client.post(f"{API}/ask?lang=en", json={"question": question, "source": "demo"}, headers=ADMIN_HEADERS)

    assert response.status_code == 422
    assert fake_chat.calls == []
    if question:
        assert response.json()["code"] == "analytics.question_empty"
        assert "The question is empty" in response.json()["detail"]


def test_results_pages_stored_rows(client: TestClient, fake_chat: FakeChatModel) -> None:
    _register(client)
    fake_chat.queue("```sql\nSELECT product_id FROM Products ORDER BY product_id\n```", "共 15 个产品。")
    asked = client.post(
        f"{API}/ask", json={"question": "产品编号", "source": "store", "page_size": 5}, headers=ADMIN_HEADERS
    ).json()

    page = client.get(f"{API}/results/{asked['turn_id']}?page=3&page_size=5", headers=ADMIN_HEADERS).json()

    assert asked["rows"] == [[1], [2], [3], [4], [5]]
    assert page["rows"] == [[11], [12], [13], [14], [15]]
    assert page["total_rows"] == 15


def test_results_unknown_turn_404(client: TestClient) -> None:
    response = client.get(f"{API}/results/nope", headers=ADMIN_HEADERS)

    assert response.status_code == 404


def test_report_job_writes_files(client: TestClient, fake_chat: FakeChatModel) -> None:
    _register(client)
    fake_chat.queue(COUNT_BY_TYPE, "Clothes 产品最多。")
    asked = client.post(
        f"{API}/ask", json={"question": "每种产品类型有多少产品？", "source": "store"}, headers=ADMIN_HEADERS
    ).json()

    accepted = client.post(f"{API}/report", json={"turn_id": asked["turn_id"]}, headers=ADMIN_HEADERS)
    job = _wait_job(client, accepted.json()["job_id"])
    docx = client.get(job["result"]["downloads"]["docx"], headers=ADMIN_HEADERS)
    markdown = client.get(job["result"]["downloads"]["md"], headers=ADMIN_HEADERS)

    assert accepted.status_code == 202
    assert job["status"] == "succeeded"
    assert sorted(job["result"]["files"]) == ["docx", "html", "md", "png"]
    assert docx.status_code == 200
    assert any(name.startswith("word/media/") for name in zipfile.ZipFile(io.BytesIO(docx.content)).namelist())
    assert "每种产品类型有多少产品？" in markdown.text
    assert "SELECT product_type_code" in markdown.text


def test_report_unknown_turn_404(client: TestClient) -> None:
    response = client.post(f"{API}/report", json={"turn_id": "nope"}, headers=ADMIN_HEADERS)

    assert response.status_code == 404


def test_report_bad_format_422(client: TestClient) -> None:
    response = client.post(f"{API}/report", json={"turn_id": "x", "formats": ["pdf"]}, headers=ADMIN_HEADERS)

    assert response.status_code == 422


def test_glossary_add_list_delete(client: TestClient) -> None:
    created = client.post(
        f"{API}/glossary",
        json={"term": "DOU", "meaning": "户均流量", "sql_fragment": "SUM(traffic_mb) / SUM(subscribers)"},
        headers=ADMIN_HEADERS,
    )
    term_id = created.json()["id"]

    listed = client.get(f"{API}/glossary", headers=ADMIN_HEADERS).json()
    deleted = client.delete(f"{API}/glossary/{term_id}", headers=ADMIN_HEADERS)
    again = client.delete(f"{API}/glossary/{term_id}", headers=ADMIN_HEADERS)

    assert created.status_code == 201
    assert "DOU" in [term["term"] for term in listed]
    assert "ARPU" in [term["term"] for term in listed]
    assert deleted.status_code == 204
    assert again.status_code == 404


def test_examples_add_and_used_in_prompt(client: TestClient, fake_chat: FakeChatModel) -> None:
    _register(client)
    created = client.post(
        f"{API}/examples",
        json={
            "source": "store",
            "question": "每种产品类型的产品数",
            "sql": "SELECT product_type_code, COUNT(*) FROM Products GROUP BY 1",
        },
        headers=ADMIN_HEADERS,
    )
    fake_chat.queue(COUNT_BY_TYPE, "好。")

    client.post(f"{API}/ask", json={"question": "每种产品类型有多少产品？", "source": "store"}, headers=ADMIN_HEADERS)

    assert created.status_code == 201
    assert "SELECT product_type_code, COUNT(*) FROM Products GROUP BY 1" in fake_chat.calls[0].prompt


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        ("DELETE FROM Products", "not DELETE"),
        ("SELECT 1; DROP TABLE Products", "Exactly one SQL statement is allowed, found 2"),
        ("UPDATE Products SET product_price = 0", "not UPDATE"),
        ("COPY Products TO '/tmp/products.csv'", "Only read-only queries"),
        ("SELECT * FROM read_csv_auto('/etc/passwd')", "Function READ_CSV_AUTO is not allowed"),
        ("SELECT * FROM sqlite_master", "Table 'sqlite_master' may not be queried"),
    ],
)
def test_examples_sql_must_pass_the_guard(client: TestClient, sql: str, problem: str) -> None:
    _register(client)
    before = client.get(f"{API}/examples", headers=ADMIN_HEADERS).json()

    response = client.post(
        f"{API}/examples",
        json={"source": "store", "question": "q", "sql": sql},
        headers={**ADMIN_HEADERS, "Accept-Language": "en"},
    )

    assert response.status_code == 422
    assert problem in response.json()["detail"]
    assert client.get(f"{API}/examples", headers=ADMIN_HEADERS).json() == before


def test_examples_sql_rejection_in_chinese(client: TestClient) -> None:
    _register(client)

    response = client.post(
        f"{API}/examples",
        json={"source": "store", "question": "q", "sql": "DELETE FROM Products"},
        headers=ADMIN_HEADERS,
    )

    assert response.status_code == 422
    assert "只允许只读查询" in response.json()["detail"]


def test_examples_unknown_source_404(client: TestClient) -> None:
    response = client.post(
        f"{API}/examples", json={"source": "nope", "question": "q", "sql": "SELECT 1"}, headers=ADMIN_HEADERS
    )

    assert response.status_code == 404


def test_ask_prompt_follows_request_language(client: TestClient, fake_chat: FakeChatModel) -> None:
    _register(client)
    fake_chat.queue(COUNT_BY_TYPE, "Clothes has the most products.")

    response = client.post(
        f"{API}/ask?lang=en", json={"question": "How many products per type?", "source": "store"}, headers=ADMIN_HEADERS
    )

    assert response.status_code == 200
    assert fake_chat.calls[0].prompt.startswith("You write SQL.\nYou are a sqlite SQL expert")
    assert "Below are the computed facts" in fake_chat.calls[1].prompt


def test_examples_delete_missing_404(client: TestClient) -> None:
    response = client.delete(f"{API}/examples/no-such-example", headers={**ADMIN_HEADERS, "Accept-Language": "en"})

    assert response.status_code == 404
    assert response.json()["code"] == "analytics.example_not_found"
    assert "no-such-example" in response.json()["detail"]
