"""Records, reviews and exports on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from services.core.db import Database
from services.core.errors import ConflictError, InvalidInputError, NotFoundError
from services.documents import load_document
from services.knowledge.categories import Category
from services.knowledge.export import export_knowledge
from services.knowledge.extraction import extract_knowledge
from services.knowledge.options import ExtractionOptions
from services.knowledge.review import ReviewRequest, review_record
from services.knowledge.store import CategoryStore, RecordStore
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient
from tests.knowledge.conftest import reply_for

TEXT = "悦享 128 元套餐：月租 128 元，含国内通用流量 40GB，可通过营业厅、官方 App 办理。"


def stored_record(database: Database, model: ModelClient, chat: FakeChatModel, category: Category) -> str:
    chat.queue(
        reply_for(
            category,
            plan_name=("悦享 128 元套餐", "悦享 128 元套餐"),
            monthly_fee_yuan=("月租 128 元", 128),
            national_data_gb=("国内通用流量 40GB", 40),
            channels=("营业厅、官方 App", ["营业厅", "官方 App"]),
        )
    )
    document = load_document(TEXT.encode("utf-8"), "plan.txt")
    result = extract_knowledge(model=model, category=category, document=document, options=ExtractionOptions())
    return RecordStore(database).save(result, source_text=document.text).id


def test_review_edit_survives_restart(
    database: Database, fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category
) -> None:
    record_id = stored_record(database, fake_model, fake_chat, tariff)
    request = ReviewRequest(
        status="approved", values={"national_data_gb": "四十五GB"}, reviewer="张三", note="按新版资费"
    )
    review_record(store=RecordStore(database), category=tariff, record_id=record_id, request=request)
    url = database.url
    database.dispose()

    reopened = Database(url)
    record = RecordStore(reopened).get(record_id)
    edits = RecordStore(reopened).edits(record_id)
    reopened.dispose()

    assert record.status == "approved"
    assert record.values["national_data_gb"] == 45
    assert record.reviewer == "张三"
    assert [(edit.field, edit.original_value, edit.edited_value) for edit in edits] == [("national_data_gb", 40, 45)]


def test_review_twice_keeps_model_original(
    database: Database, fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category
) -> None:
    record_id = stored_record(database, fake_model, fake_chat, tariff)
    store = RecordStore(database)

    for value in (50, 55):
        review_record(
            store=store, category=tariff, record_id=record_id, request=ReviewRequest(values={"national_data_gb": value})
        )

    edits = store.edits(record_id)
    assert len(edits) == 1
    assert edits[0].original_value == 40
    assert edits[0].edited_value == 55


@pytest.mark.parametrize(
    ("request_body", "code"),
    [
        ({"values": {"no_such_field": 1}}, "knowledge.unknown_field"),
        ({"values": {"monthly_fee_yuan": "面议"}}, "knowledge.bad_field_value"),
        ({"spans": {"monthly_fee_yuan": [5, 1]}}, "knowledge.bad_field_value"),
    ],
)
def test_review_invalid_rejected(
    database: Database,
    fake_model: ModelClient,
    fake_chat: FakeChatModel,
    tariff: Category,
    request_body: dict[str, object],
    code: str,
) -> None:
    record_id = stored_record(database, fake_model, fake_chat, tariff)

    with pytest.raises(InvalidInputError) as caught:
        review_record(
            store=RecordStore(database), category=tariff, record_id=record_id, request=ReviewRequest(**request_body)
        )

    assert caught.value.code == code
    assert RecordStore(database).get(record_id).values["monthly_fee_yuan"] == 128


def test_review_span_stored_as_evidence(
    database: Database, fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category
) -> None:
    record_id = stored_record(database, fake_model, fake_chat, tariff)
    start = TEXT.index("月租")
    request = ReviewRequest(values={"eligibility": "所有用户"}, spans={"eligibility": [start, start + 8]})

    review_record(store=RecordStore(database), category=tariff, record_id=record_id, request=request)

    evidence = RecordStore(database).edits(record_id)[0].evidence[0]
    assert evidence["text"] == TEXT[start : start + 8]
    assert evidence["match"] == "manual"


def test_reviewed_pairs_jsonl_contains_edit(
    database: Database, fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category
) -> None:
    record_id = stored_record(database, fake_model, fake_chat, tariff)
    draft_id = stored_record(database, fake_model, fake_chat, tariff)
    request = ReviewRequest(status="approved", values={"monthly_fee_yuan": "138元"}, reviewer="李四")
    review_record(store=RecordStore(database), category=tariff, record_id=record_id, request=request)

    lines = [
        json.loads(line) for line in export_knowledge(store=RecordStore(database), format="jsonl").decode().splitlines()
    ]

    fee = next(line for line in lines if line["field"] == "monthly_fee_yuan")
    assert {line["record_id"] for line in lines} == {record_id}
    assert draft_id != record_id
    assert fee["original"] == 128
    assert fee["edited"] == 138
    assert fee["changed"] is True
    assert fee["category"] == "资费套餐"
    assert fee["source_spans"][0]["text"] == "月租 128 元"
    assert "月租 128 元" in fee["source_text"]


def test_export_formats_hold_approved_only(
    database: Database, fake_model: ModelClient, fake_chat: FakeChatModel, tariff: Category
) -> None:
    approved = stored_record(database, fake_model, fake_chat, tariff)
    stored_record(database, fake_model, fake_chat, tariff)
    review_record(
        store=RecordStore(database), category=tariff, record_id=approved, request=ReviewRequest(status="approved")
    )
    store = RecordStore(database)

    records = json.loads(export_knowledge(store=store, format="json"))
    rows = list(csv.DictReader(io.StringIO(export_knowledge(store=store, format="csv").decode("utf-8-sig"))))
    workbook = load_workbook(io.BytesIO(export_knowledge(store=store, format="xlsx")))

    assert [record["id"] for record in records] == [approved]
    assert records[0]["values"]["channels"] == ["营业厅", "官方 App"]
    assert {row["record_id"] for row in rows} == {approved}
    assert next(row for row in rows if row["field"] == "monthly_fee_yuan")["evidence"] == "月租 128 元"
    assert workbook.sheetnames == ["资费套餐", "evidence"]
    assert workbook["资费套餐"]["D2"].value == 128


def test_export_bad_format(database: Database) -> None:
    with pytest.raises(InvalidInputError) as caught:
        export_knowledge(store=RecordStore(database), format="pdf")

    assert caught.value.code == "knowledge.bad_export_format"


def test_record_missing(database: Database) -> None:
    with pytest.raises(NotFoundError):
        RecordStore(database).get("nope")


def test_category_store_crud(database: Database, tariff: Category) -> None:
    store = CategoryStore(database)
    definition = {
        "name": "宽带",
        "label": {"zh": "宽带", "en": "Broadband"},
        "fields": [{"name": "speed", "label": {"zh": "速率"}, "type": "integer", "unit": "Mbps"}],
    }

    store.create(definition)
    with pytest.raises(ConflictError):
        store.create(definition)
    store.put("资费套餐", {**tariff.model_dump(mode="json"), "label": {"zh": "资费套餐（新版）"}})
    names = [category.name for category in store.all()]
    store.delete("宽带")

    assert "宽带" in names
    assert store.get("资费套餐").label.zh == "资费套餐（新版）"
    with pytest.raises(NotFoundError):
        store.get("宽带")
    store.delete("资费套餐")
    assert store.get("资费套餐").label.zh == "资费套餐"
    with pytest.raises(ConflictError):
        store.delete("资费套餐")
