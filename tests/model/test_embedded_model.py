"""End-to-end checks with the real embedded model (Qwen2.5-Coder-1.5B GGUF via llama.cpp)."""

import json
import re

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from apps.gateway.app import create_app
from services.core.settings import Settings
from services.model.client import ModelClient
from tests.conftest import ADMIN_HEADERS, TEST_DATA

pytestmark = pytest.mark.real_model

CJK = re.compile(r"[\u4e00-\u9fff]")


class TariffPlan(BaseModel):
    plan_name: str = Field(description="套餐名称")
    monthly_fee_yuan: float = Field(description="月功能费（元）")
    national_data_gb: float | None = Field(None, description="国内通用流量（GB）")
    voice_minutes: int | None = Field(None, description="国内通话（分钟）")
    broadband_mbps: int | None = Field(None, description="宽带速率（Mbps）")
    secondary_cards: int | None = Field(None, description="可办副卡数")
    contract_months: int | None = Field(None, description="合约期（月）")
    benefits: list[str] = Field(default_factory=list, description="附加权益")


def test_embedded_generates_chinese(embedded_model: ModelClient) -> None:
    completion = embedded_model.generate("请用一句话介绍什么是5G网络。", max_tokens=64, temperature=0.0)

    assert len(CJK.findall(completion.text)) >= 5
    assert completion.usage.prompt_tokens > 0
    assert completion.usage.completion_tokens > 0


def test_embedded_streams_pieces(embedded_model: ModelClient) -> None:
    stream = embedded_model.stream("列出三种常见的宽带接入方式，用顿号分隔。", max_tokens=48, temperature=0.0)

    pieces = list(stream)

    assert len(pieces) > 3
    assert CJK.search("".join(pieces))
    assert stream.usage is not None
    assert stream.usage.completion_tokens == len(pieces)


def test_embedded_extracts_plan_fields(embedded_model: ModelClient) -> None:
    document = (TEST_DATA / "knowledge" / "plan_1.md").read_text(encoding="utf-8")
    expected = json.loads((TEST_DATA / "knowledge" / "plan_1.expected.json").read_text(encoding="utf-8"))

    plan = embedded_model.structured(
        TariffPlan,
        f"从下面的资费套餐说明中抽取字段，文中没有写明的字段填 null。\n\n{document}",
        system="你是电信客服知识库的编辑。",
        max_tokens=400,
    )

    assert isinstance(plan, TariffPlan)
    assert plan.monthly_fee_yuan == expected["monthly_fee_yuan"]
    assert "199" in plan.plan_name
    assert plan.contract_months == expected["contract_months"]


def test_gateway_chat_with_embedded_model(embedded_settings: Settings, embedded_model: ModelClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = embedded_settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'gateway.db'}"})
    app = create_app(settings, model=embedded_model)

    with TestClient(app) as client:
        unauthorised = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "你好"}]})
        response = client.post(
            "/v1/chat/completions",
            json={"messages": [{"role": "user", "content": "用中文说一句问候语。"}], "max_tokens": 32},
            headers=ADMIN_HEADERS,
        )

    assert unauthorised.status_code == 401
    assert response.status_code == 200
    assert CJK.search(response.json()["choices"][0]["message"]["content"])
    assert response.json()["usage"]["completion_tokens"] > 0
