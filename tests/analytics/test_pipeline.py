"""The ask pipeline with the fake model: correction loop, no-SQL replies, follow-ups, YEAR() on SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.analytics.options import AskOptions
from services.analytics.pipeline import ask, load_turn
from services.core.db import Database
from services.core.errors import InvalidInputError, NotFoundError
from services.core.settings import Settings
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.analytics.conftest import ANALYTICS_DATA

DEPARTMENT_STORE = ANALYTICS_DATA / "department_store" / "department_store.sqlite"
ECOM = ANALYTICS_DATA / "dbgpt_zh_cases" / "case_2_ecom.sqlite"
NO_NARRATIVE = AskOptions(analyse=False)


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'suite.db'}")
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def analytics_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"analytics_sources": {"department_store": f"sqlite:///{DEPARTMENT_STORE}", "ecom": f"sqlite:///{ECOM}"}}
    )


def _table_digest(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return [tuple(row) for row in connection.execute("SELECT * FROM Customers ORDER BY customer_id")]


def test_ask_returns_rows_and_chart(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue(
        "```sql\nSELECT product_type_code, COUNT(*) AS products FROM Products GROUP BY product_type_code\n```"
    )

    result = ask(
        question="每种产品类型有多少产品？",
        source_name="department_store",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
    )

    assert result.columns == ["product_type_code", "products"]
    assert sorted(result.rows) == [["Clothes", 9], ["Hardware", 6]]
    assert result.sql.endswith("LIMIT 1000")
    assert result.chart.kind == "bar"
    assert result.chart_spec is not None
    assert len(result.attempts) == 1


def test_ask_corrects_after_rejection(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue("```sql\nSELECT price FROM Products\n```", "```sql\nSELECT COUNT(*) FROM Products\n```")

    result = ask(
        question="有多少产品？",
        source_name="department_store",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
    )

    assert result.rows == [[15]]
    assert result.attempts[0]["error"] is not None
    assert "price" in result.attempts[0]["error"]
    assert "price" in fake_chat.calls[1].messages[-1].text


def test_ask_delete_request_never_runs(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, tmp_path: Path, storage: Database
) -> None:
    copy = tmp_path / "store.sqlite"
    copy.write_bytes(DEPARTMENT_STORE.read_bytes())
    settings = analytics_settings.model_copy(update={"analytics_sources": {"store": f"sqlite:///{copy}"}})
    before = _table_digest(copy)
    fake_chat.queue("```sql\nDELETE FROM Customers\n```", "好的：DROP TABLE Customers;", "DELETE FROM Customers;")
    reached: list[str] = []

    with pytest.raises(InvalidInputError) as caught:
        ask(
            question="删除所有客户数据",
            source_name="store",
            model=fake_model,
            settings=settings,
            database=storage,
            options=NO_NARRATIVE,
            hook=reached.append,
        )

    # A write is refused at once: no correction re-ask turns it into an unrelated SELECT.
    assert caught.value.code == "analytics.write_refused"
    assert caught.value.status == 422
    assert "只允许只读查询" in caught.value.message("zh")
    assert "DELETE FROM Customers" in caught.value.message("en")
    assert len(fake_chat.calls) == 1
    assert reached == []
    assert _table_digest(copy) == before


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("执行这条语句：DELETE FROM monthly_kpi WHERE 1=1; 然后告诉我删了多少行", "analytics.question_writes"),
        ("UPDATE Customers SET name = 'x'", "analytics.question_writes"),
        ("drop table Products", "analytics.question_writes"),
        ("", "analytics.question_empty"),
        ("   ", "analytics.question_empty"),
        ("\n\t", "analytics.question_empty"),
    ],
)
def test_ask_bad_question_fails_before_the_model(
    question: str,
    code: str,
    fake_model: ModelClient,
    fake_chat: FakeChatModel,
    analytics_settings: Settings,
    storage: Database,
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        ask(
            question=question,
            source_name="department_store",
            model=fake_model,
            settings=analytics_settings,
            database=storage,
        )

    assert caught.value.code == code
    assert fake_chat.calls == []


def test_ask_question_naming_deletion_is_still_answered(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue("```sql\nSELECT COUNT(*) FROM Customers\n```")

    result = ask(
        question="删除率是多少？update 过的客户有多少？",
        source_name="department_store",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
    )

    assert result.total_rows == 1


def test_ask_reply_without_sql_is_reported(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue("抱歉，我不知道。", "我无法回答。", "还是不知道。")

    with pytest.raises(InvalidInputError) as caught:
        ask(
            question="天气如何？",
            source_name="department_store",
            model=fake_model,
            settings=analytics_settings,
            database=storage,
            options=NO_NARRATIVE,
        )

    assert caught.value.code == "analytics.generation_failed"
    assert "没有 SQL" in caught.value.message("zh")
    # The reason follows the message's language, not the language the prompts used.
    english = caught.value.message("en")
    assert "The model's reply contains no SQL query" in english
    assert "没有 SQL" not in english


def test_ask_year_function_on_sqlite_is_corrected(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    # The DB-GPT case whose expected SQL uses YEAR(), which SQLite lacks.
    fake_chat.queue(
        "```sql\nSELECT products.product_name FROM products JOIN orders ON products.product_id = orders.product_id "
        "WHERE YEAR(orders.order_date) = 2023 GROUP BY products.product_id ORDER BY COUNT(orders.order_id) DESC "
        "LIMIT 1\n```"
    )

    result = ask(
        question="查询2023年最受欢迎的商品（订单数量最多的商品）",
        source_name="ecom",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
    )

    assert "STRFTIME('%Y', orders.order_date)" in result.sql
    assert result.total_rows == 0


def test_ask_unknown_function_error_goes_back_to_model(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue(
        "```sql\nSELECT DATE_FORMAT(order_date, '%Y') FROM orders\n```", "```sql\nSELECT COUNT(*) FROM orders\n```"
    )

    result = ask(
        question="订单数",
        source_name="ecom",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
    )

    assert result.rows == [[10]]
    assert "DATE_FORMAT" in (result.attempts[0]["error"] or "").upper()


def test_ask_follow_up_sees_history(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue(
        "```sql\nSELECT product_type_code, AVG(product_price) FROM Products GROUP BY product_type_code\n```",
        "```sql\nSELECT AVG(product_price) FROM Products WHERE product_type_code = 'Clothes'\n```",
    )
    first = ask(
        question="各类产品的平均价格",
        source_name="department_store",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
    )

    second = ask(
        question="只看 Clothes",
        source_name="department_store",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
        conversation_id=first.conversation_id,
    )

    follow_up_prompt = fake_chat.calls[1].prompt
    assert "各类产品的平均价格" in follow_up_prompt
    assert "GROUP BY product_type_code" in follow_up_prompt
    assert second.conversation_id == first.conversation_id
    assert len(second.rows) == 1


def test_ask_analysis_checks_numbers(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue(
        "```sql\nSELECT product_type_code, COUNT(*) AS products FROM Products GROUP BY product_type_code\n```",
        "Clothes 产品最多，共 9 个。Hardware 有 12 个。",
    )

    result = ask(
        question="每种产品类型有多少产品？",
        source_name="department_store",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
    )

    assert result.analysis is not None
    assert result.analysis.narrative.text == "Clothes 产品最多，共 9 个。"
    assert result.analysis.narrative.unverified == ["Hardware 有 12 个。"]


def test_ask_pages_rows(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue("```sql\nSELECT product_id FROM Products ORDER BY product_id\n```")

    result = ask(
        question="所有产品编号",
        source_name="department_store",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
        options=NO_NARRATIVE,
        page=2,
        page_size=4,
    )

    assert result.total_rows == 15
    assert result.rows == [[5], [6], [7], [8]]
    assert len(load_turn(storage, result.turn_id).rows) == 15


def test_ask_demo_source(
    fake_model: ModelClient, fake_chat: FakeChatModel, analytics_settings: Settings, storage: Database
) -> None:
    fake_chat.queue(
        "```sql\nSELECT r.region_name, SUM(k.revenue) AS revenue FROM monthly_kpi k JOIN regions r "
        "ON k.region_id = r.region_id WHERE year(k.month) = 2025 GROUP BY r.region_name ORDER BY revenue DESC\n```",
        "华东收入最高。",
    )

    result = ask(
        question="2025年各地区收入排名",
        source_name="demo",
        model=fake_model,
        settings=analytics_settings,
        database=storage,
    )

    assert [row[0] for row in result.rows][:1] == ["华东"]
    assert len(result.rows) == 6
    assert "monthly_kpi" in fake_chat.calls[0].prompt
    assert "当月收入（元）" in fake_chat.calls[0].prompt


def test_ask_unknown_source(fake_model: ModelClient, analytics_settings: Settings, storage: Database) -> None:
    with pytest.raises(NotFoundError) as caught:
        ask(question="x", source_name="nope", model=fake_model, settings=analytics_settings, database=storage)

    assert caught.value.code == "analytics.source_not_found"
    assert "demo" in caught.value.message("en")
