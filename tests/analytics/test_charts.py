"""Chart choice from the result's shape, and Chinese labels drawn with real glyphs."""

from __future__ import annotations

from pathlib import Path

import pandas
import pytest

from services.analytics.charts import chart_spec, choose_chart, register_fonts, render_png, render_svg
from services.core.errors import ConfigurationError
from services.core.settings import Settings

FONT_DIR = Settings.model_fields["analytics_font_dir"].default
FONT = "Noto Sans CJK SC"


@pytest.mark.parametrize(
    ("frame", "kind"),
    [
        (
            pandas.DataFrame({"month": pandas.date_range("2024-01-01", periods=4, freq="MS"), "revenue": [1, 2, 3, 4]}),
            "line",
        ),
        (pandas.DataFrame({"年份": [2023, 2024, 2025], "收入": [1.0, 2.0, 3.0]}), "line"),
        (pandas.DataFrame({"地区": ["华东", "华北", "华南"], "收入": [3.0, 2.0, 1.5]}), "bar"),
        (pandas.DataFrame({"类别": ["5G", "4G", "宽带"], "占比": [0.5, 0.3, 0.2]}), "pie"),
        (
            pandas.DataFrame({"地区": ["华东", "华东", "华北"], "类别": ["5G", "4G", "5G"], "收入": [1.0, 2.0, 3.0]}),
            "stacked_bar",
        ),
        (pandas.DataFrame({"合计": [10]}), "none"),
        (pandas.DataFrame({"地区": ["华东"], "名称": ["甲"]}), "none"),
        (pandas.DataFrame({"region": []}), "none"),
    ],
)
def test_choose_chart_by_shape(frame: pandas.DataFrame, kind: str) -> None:
    assert choose_chart(frame).kind == kind


def test_choose_chart_line_colors_by_category() -> None:
    frame = pandas.DataFrame(
        {"month": pandas.to_datetime(["2024-01-01", "2024-01-01"]), "地区": ["华东", "华北"], "收入": [1.0, 2.0]}
    )

    choice = choose_chart(frame)

    assert (choice.x, choice.y, choice.color) == ("month", "收入", "地区")


def test_chart_spec_uses_font() -> None:
    frame = pandas.DataFrame({"地区": ["华东", "华北"], "收入": [3.0, 2.0]})

    spec = chart_spec(frame, choose_chart(frame), title="各地区收入", font=FONT)

    assert spec is not None
    assert spec["config"]["font"] == FONT
    assert spec["mark"]["type"] == "bar"


def _render_title(title: str, font: str) -> bytes:
    frame = pandas.DataFrame({"x": ["a"], "y": [1.0]})
    spec = chart_spec(frame, choose_chart(frame), title=title, font=font)
    assert spec is not None
    return render_png(spec, font_dir=FONT_DIR, scale=1.0)


def test_render_draws_distinct_chinese_glyphs() -> None:
    # A missing glyph is drawn the same way for every character, so two
    # different Chinese titles of equal length would give identical images.
    assert _render_title("收入排名", FONT) != _render_title("地区投诉", FONT)


def test_render_without_cjk_font_gives_identical_images() -> None:
    # The control for the test above: a font that does not exist has no
    # Chinese glyphs, and the two titles then render to the same bytes.
    missing = "No Such Font Family"

    assert _render_title("收入排名", missing) == _render_title("地区投诉", missing)


def test_render_svg_has_chinese_text() -> None:
    frame = pandas.DataFrame({"地区": ["华东", "华北"], "收入": [3.0, 2.0]})
    spec = chart_spec(frame, choose_chart(frame), title="各地区收入", font=FONT)
    assert spec is not None

    svg = render_svg(spec, font_dir=FONT_DIR)

    assert "各地区收入" in svg
    assert FONT in svg


def test_register_fonts_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        register_fonts(tmp_path / "no-fonts")

    assert caught.value.code == "analytics.font_missing"
