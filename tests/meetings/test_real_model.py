"""Minutes from the real embedded model on a short transcript (slow; marked real_model)."""

import pytest

import services.meetings  # noqa: F401
from services.meetings.minutes import write_minutes
from services.model.client import ModelClient
from tests.meetings.helpers import transcript


@pytest.mark.real_model
def test_real_model_minutes_short(embedded_model: ModelClient) -> None:
    short = transcript(
        [
            (0.0, "SPEAKER_00", "我们决定下周一上线新的流量套餐。"),
            (12.0, "SPEAKER_01", "好的，我负责在周五前完成测试。"),
        ]
    )

    minutes = write_minutes(
        short, model=embedded_model, language="zh", names={"SPEAKER_01": "李娜"}, chunk_chars=2400, max_tokens=300
    )
    times = [item.time for item in minutes.decisions + minutes.topics] + [a.time for a in minutes.action_items]

    assert minutes.summary.strip()
    assert all(time in (0.0, 12.0) for time in times)
