"""Built-in categories load from YAML; bad definitions get a localised 422."""

from __future__ import annotations

import json

import pytest

from services.core.errors import InvalidInputError
from services.knowledge.categories import FIELD_TYPES, builtin_categories, parse_category
from tests.knowledge.conftest import DATA


def test_builtin_categories_shipped() -> None:
    assert {"资费套餐", "通用产品", "工单"} <= set(builtin_categories())


def test_tariff_fields_match_field_set() -> None:
    expected = json.loads((DATA / "plan_fields.json").read_text(encoding="utf-8"))["fields"]
    category = builtin_categories()["资费套餐"]

    assert [(f.name, f.label.zh, f.type, f.required) for f in category.fields] == [
        (f["name"], f["label"], f["type"], f.get("required", False)) for f in expected
    ]


@pytest.mark.parametrize("name", ["资费套餐", "通用产品", "工单"])
def test_builtin_fields_documented(name: str) -> None:
    category = builtin_categories()[name]

    for field in category.fields:
        assert field.label.en, field.name
        assert field.description is not None and field.description.zh, field.name
        assert field.examples, field.name


def test_parse_category_bad_type_localised() -> None:
    data = {
        "name": "测试",
        "label": {"zh": "测试"},
        "fields": [{"name": "price", "label": {"zh": "价格"}, "type": "money"}],
    }

    with pytest.raises(InvalidInputError) as caught:
        parse_category(data)

    assert caught.value.code == "knowledge.bad_field_type"
    assert caught.value.status == 422
    assert "money" in caught.value.message("zh")
    assert "Accepted types" in caught.value.message("en")
    assert "list[string]" in caught.value.message("en")


@pytest.mark.parametrize(("written", "stored"), [("list", "list[string]"), ("int", "integer"), ("date", "date")])
def test_parse_category_type_alias(written: str, stored: str) -> None:
    data = {"name": "t", "label": {"zh": "t"}, "fields": [{"name": "f", "label": {"zh": "f"}, "type": written}]}

    assert parse_category(data).fields[0].type == stored


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ([], "fields"),
        ([{"name": "Bad Name", "label": {"zh": "x"}, "type": "string"}], "fields.0.name"),
        (
            [
                {"name": "a", "label": {"zh": "x"}, "type": "string"},
                {"name": "a", "label": {"zh": "y"}, "type": "number"},
            ],
            "duplicate",
        ),
        ([{"name": "a", "label": {"zh": "x"}, "type": "number", "max_chars": 8}], "max_chars"),
        ([{"name": "a", "label": {"zh": "x"}, "type": "string", "max_chars": 0}], "max_chars"),
    ],
)
def test_parse_category_invalid(fields: list[dict[str, object]], fragment: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_category({"name": "t", "label": {"zh": "t"}, "fields": fields})

    assert caught.value.code == "knowledge.invalid_category"
    assert fragment in caught.value.message("en")


def test_field_types_cover_issue_types() -> None:
    assert {"string", "number", "integer", "boolean", "date", "list[string]"} <= set(FIELD_TYPES)
