"""End to end with the real embedded model: the demo question and one department_store question."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.analytics.options import AskOptions
from services.analytics.pipeline import ask, load_turn
from services.analytics.reports import write_reports
from services.core.db import Database
from services.core.settings import Settings
from services.model.client import ModelClient
from tests.analytics.conftest import ANALYTICS_DATA


@pytest.fixture
def storage(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'suite.db'}")
    database.upgrade()
    return database


@pytest.mark.real_model
def test_real_model_demo_question_and_report(
    embedded_model: ModelClient, settings: Settings, storage: Database, tmp_path: Path
) -> None:
    result = ask(
        question="2025年各地区收入排名",
        source_name="demo",
        model=embedded_model,
        settings=settings,
        database=storage,
    )
    files = write_reports(
        load_turn(storage, result.turn_id), folder=tmp_path / "out", formats=["docx"], language="zh", settings=settings
    )

    assert len(result.rows) == 6
    assert result.rows[0][0] == "华东"
    assert result.chart.kind == "bar"
    assert result.analysis is not None
    assert result.analysis.narrative.text
    assert Path(files["docx"]).stat().st_size > 10_000


@pytest.mark.real_model
def test_real_model_department_store_count(embedded_model: ModelClient, settings: Settings, storage: Database) -> None:
    path = ANALYTICS_DATA / "department_store" / "department_store.sqlite"
    configured = settings.model_copy(update={"analytics_sources": {"department_store": f"sqlite:///{path}"}})

    result = ask(
        question="Clothes 类型产品的平均价格是多少？",
        source_name="department_store",
        model=embedded_model,
        settings=configured,
        database=storage,
        options=AskOptions(analyse=False),
    )

    assert result.rows[0][0] == pytest.approx(715.5366, abs=0.01)
