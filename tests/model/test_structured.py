from typing import Any

import pytest
from pydantic import BaseModel, Field, ValidationError

from services.model.backends.fake import FakeBackend, FakeChatModel
from services.model.client import ClientLimits, ModelClient
from services.model.errors import REASON_INVALID_JSON, ModelRetry, StructuredOutputError
from services.model.structured import NoJsonFound, extract_json, validation_reason


class Plan(BaseModel):
    plan_name: str
    monthly_fee_yuan: float = Field(ge=0)
    benefits: list[str] = []


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"a": 1}', '{"a": 1}'),
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('```\n{"a": [1, 2]}\n```', '{"a": [1, 2]}'),
        ('结果如下：{"a": "x}y"} 以上。', '{"a": "x}y"}'),
        ('先说明 {不是JSON} 然后 {"a": 2}', '{"a": 2}'),
        ('[{"a": 1}]', '[{"a": 1}]'),
        ('{"a": "引号\\"转义"}', '{"a": "引号\\"转义"}'),
    ],
)
def test_extract_json_reply_shapes(reply: str, expected: str) -> None:
    assert extract_json(reply) == expected


@pytest.mark.parametrize("reply", ["没有 JSON", "{broken", ""])
def test_extract_json_none_found(reply: str) -> None:
    with pytest.raises(NoJsonFound):
        extract_json(reply)


def test_structured_wrong_then_right(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(
        '{"plan_name": "畅享 199", "monthly_fee_yuan": "一百九十九"}',
        '{"plan_name": "畅享 199", "monthly_fee_yuan": 199}',
    )

    plan = fake_model.structured(Plan, "抽取套餐字段")

    assert plan == Plan(plan_name="畅享 199", monthly_fee_yuan=199)
    assert len(fake_chat.calls) == 2
    retry_prompt = fake_chat.calls[1].messages[-1].text
    assert "monthly_fee_yuan" in retry_prompt
    assert "一百九十九" in retry_prompt


def test_structured_fenced_json_accepted(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue('好的：\n```json\n{"plan_name": "畅享", "monthly_fee_yuan": 99, "benefits": ["视频会员"]}\n```')

    plan = fake_model.structured(Plan, "抽取")

    assert plan.benefits == ["视频会员"]
    assert len(fake_chat.calls) == 1


def test_structured_sends_schema_in_system_prompt(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue('{"plan_name": "a", "monthly_fee_yuan": 1}')

    fake_model.structured(Plan, "抽取", language="en")

    system_text = fake_chat.calls[0].messages[0].text
    assert "JSON Schema" in system_text
    assert "monthly_fee_yuan" in system_text


def test_structured_gives_up_after_cap(fake_chat: FakeChatModel) -> None:
    client = ModelClient(
        FakeBackend(name="fake", model_name="fake", chat_model=fake_chat, target="fake"),
        limits=ClientLimits(structured_max_retries=2, retry_backoff=0.0),
    )
    fake_chat.queue("no json", "still none", '{"plan_name": 5}')

    with pytest.raises(StructuredOutputError) as raised:
        client.structured(Plan, "抽取")

    assert len(fake_chat.calls) == 3
    assert raised.value.params["attempts"] == 3
    # Not a remote server: the failure is the service's own, with a model-specific title.
    assert raised.value.status == 500
    assert raised.value.title_code == "title.model_invalid_output"
    chinese, english = raised.value.message("zh"), raised.value.message("en")
    assert "Plan" not in chinese
    assert "Plan" not in english
    assert "结构化结果" in chinese
    assert "plan_name" in chinese
    assert "Input should be" not in chinese
    assert "expected structured result" in english
    assert "Input should be a valid string" in english


@pytest.mark.parametrize(
    ("reply", "chinese", "english"),
    [
        ("no json at all", "回复中没有 JSON 对象", "the reply contains no JSON object"),
        ('{"plan_name": "a", "monthly_fee_yuan": 1,}', "回复中没有 JSON 对象", "no JSON object"),
        ('{"plan_name": "a"}', "出错的字段：monthly_fee_yuan", "Field required"),
    ],
)
def test_structured_failure_reason_in_each_language(
    fake_chat: FakeChatModel, reply: str, chinese: str, english: str
) -> None:
    client = ModelClient(
        FakeBackend(name="openai", model_name="fake", chat_model=fake_chat, target="http://127.0.0.1:9/v1"),
        limits=ClientLimits(structured_max_retries=0, retry_backoff=0.0),
    )
    fake_chat.queue(reply)

    with pytest.raises(StructuredOutputError) as raised:
        client.structured(Plan, "抽取")

    # A remote OpenAI-compatible server is an upstream component.
    assert raised.value.status == 502
    assert chinese in raised.value.message("zh")
    assert english in raised.value.message("en")
    assert "the reply" not in raised.value.message("zh")


def test_structured_check_reason_localised(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue('{"plan_name": "", "monthly_fee_yuan": 1}')

    def require_name(plan: Plan) -> None:
        raise ModelRetry("plan_name must not be empty")

    with pytest.raises(StructuredOutputError) as raised:
        fake_model.structured(Plan, "抽取", validate=require_name, max_retries=0)

    assert raised.value.message("zh").endswith("回复未通过内容检查。")
    assert "plan_name must not be empty" in raised.value.message("en")


def test_structured_validator_asks_again(fake_model: ModelClient, fake_chat: FakeChatModel) -> None:
    fake_chat.queue('{"plan_name": "", "monthly_fee_yuan": 1}', '{"plan_name": "畅享", "monthly_fee_yuan": 1}')

    def require_name(plan: Plan) -> None:
        if not plan.plan_name:
            raise ModelRetry("plan_name must not be empty")

    plan = fake_model.structured(Plan, "抽取", validate=require_name)

    assert plan.plan_name == "畅享"
    assert "plan_name must not be empty" in fake_chat.calls[1].messages[-1].text


class SchemaAwareBackend(FakeBackend):
    def schema_kwargs(self, schema: dict[str, Any], schema_name: str) -> dict[str, Any] | None:
        return {"response_format": {"type": "json_object", "schema": schema}}


def test_structured_constraint_sent_to_backend(fake_chat: FakeChatModel) -> None:
    client = ModelClient(SchemaAwareBackend(name="fake", model_name="fake", chat_model=fake_chat, target="fake"))
    fake_chat.queue('{"plan_name": "a", "monthly_fee_yuan": 1}')

    client.structured(Plan, "抽取")

    response_format = fake_chat.calls[0].kwargs["response_format"]
    assert response_format["type"] == "json_object"
    assert response_format["schema"]["title"] == "Plan"
    assert fake_chat.calls[0].kwargs["temperature"] == 0.0


def test_validation_reason_for_malformed_json() -> None:
    with pytest.raises(ValidationError) as raised:
        Plan.model_validate_json('{"plan_name": ')

    assert validation_reason(raised.value) == (REASON_INVALID_JSON, {})
