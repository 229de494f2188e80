"""`xingchen analytics ask` with the fake model on the demo source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from apps.cli.main import app
from services.core.settings import get_settings
from services.model.backends.fake import FakeChatModel
from services.model.client import ModelClient

DEMO_SQL = (
    "```sql\nSELECT r.region_name, SUM(k.revenue) AS revenue FROM monthly_kpi k JOIN regions r "
    "ON k.region_id = r.region_id WHERE year(k.month) = 2025 GROUP BY r.region_name ORDER BY revenue DESC\n```"
)


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: ModelClient) -> Iterator[Path]:
    monkeypatch.setenv("XINGCHEN_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XINGCHEN_MODEL_BACKEND", "fake")
    monkeypatch.setattr("services.model.factory.build_model_client", lambda settings: fake_model)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_cli_ask_prints_and_writes_docx(cli_env: Path, fake_chat: FakeChatModel) -> None:
    fake_chat.queue(DEMO_SQL, "华东收入最高。")

    result = CliRunner().invoke(
        app, ["analytics", "ask", "2025年各地区收入排名", "--source", "demo", "--report-dir", str(cli_env / "out")]
    )

    assert result.exit_code == 0, result.output
    assert "SELECT r.region_name" in result.output
    assert "华东" in result.output
    assert "华东收入最高。" in result.output
    assert len(list((cli_env / "out").glob("*.docx"))) == 1
    assert len(list((cli_env / "out").glob("*-chart.png"))) == 1


def test_cli_ask_unknown_source_both_languages(cli_env: Path) -> None:
    result = CliRunner().invoke(app, ["analytics", "ask", "x", "--source", "nope"])

    assert result.exit_code == 2
    assert "数据源“nope”不存在" in result.output
    assert "Data source 'nope' was not found" in result.output


def test_cli_sources_lists_demo(cli_env: Path) -> None:
    result = CliRunner().invoke(app, ["analytics", "sources"])

    assert result.exit_code == 0
    assert result.output.startswith("demo\tduckdb\tdemo")


@pytest.mark.parametrize(
    ("arguments", "chinese", "english"),
    [
        ([""], "问题为空", "The question is empty"),
        (["   "], "问题为空", "The question is empty"),
        (
            ["2025年各地区收入", "--formats", "pdf"],
            "不支持的报告格式“pdf”；支持：md, html, docx",
            "accepted: md, html, docx",
        ),
        (["2025年各地区收入", "--rows", "-3"], "打印的行数 -3 超出范围；允许 1 到 1000", "out of range"),
        (["DELETE FROM monthly_kpi WHERE 1=1"], "只允许只读查询", "asks to change data (DELETE)"),
    ],
)
def test_cli_ask_caller_mistakes_fail_before_the_model(
    cli_env: Path, fake_chat: FakeChatModel, arguments: list[str], chinese: str, english: str
) -> None:
    result = CliRunner().invoke(app, ["analytics", "ask", *arguments])

    assert result.exit_code == 2, result.output
    assert chinese in result.output
    assert english in result.output
    assert fake_chat.calls == []


def test_cli_ask_failed_generation_english_line_has_no_chinese(cli_env: Path, fake_chat: FakeChatModel) -> None:
    fake_chat.queue("I do not know.", "Still no idea.", "Sorry.")

    result = CliRunner().invoke(app, ["analytics", "ask", "2025年各地区收入排名", "--no-report"])

    english = next(line for line in result.output.splitlines() if line.startswith("Error:"))
    assert result.exit_code == 2
    assert "reason: The model's reply contains no SQL query" in english
