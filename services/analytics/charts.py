"""Pick a chart from the result's shape, build its Vega-Lite spec with Altair, render it offline.

Time on the x axis gives a line, one category gives a bar, shares of a whole
give a pie (or a stacked bar past eight slices), two categories give a stacked bar.
vl-convert renders without a browser; it does not read fontconfig, so the CJK
font folder from the settings is registered once before the first render.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path
from typing import Any, Literal

import altair
import pandas
import vl_convert
from pydantic import BaseModel

from services.core.errors import ConfigurationError, UpstreamError

logger = logging.getLogger(__name__)

ChartKind = Literal["line", "bar", "pie", "stacked_bar", "none"]

MAX_CHART_ROWS = 500
MAX_PIE_SLICES = 8
_TIME_NAME = re.compile(r"(month|date|day|year|time|period|月|日期|年|时间|周期)", re.IGNORECASE)
_SHARE_NAME = re.compile(r"(share|ratio|percent|pct|proportion|占比|比例|份额|比重)", re.IGNORECASE)

_registered_fonts: set[str] = set()
_font_lock = threading.Lock()


class ChartChoice(BaseModel):
    """The chart type and the columns on each channel."""

    kind: ChartKind
    x: str | None = None
    y: str | None = None
    color: str | None = None
    reason: str = ""


def is_time_column(frame: pandas.DataFrame, column: str) -> bool:
    series = frame[column]
    if pandas.api.types.is_datetime64_any_dtype(series):
        return True
    if not _TIME_NAME.search(column):
        return False
    if pandas.api.types.is_integer_dtype(series):
        return bool(series.between(1900, 2100).all())
    sample = series.dropna().astype(str).head(20)
    return bool(len(sample)) and bool(sample.str.match(r"^\d{4}([-/年]\d{1,2})?").all())


def numeric_columns(frame: pandas.DataFrame) -> list[str]:
    return [
        str(column)
        for column in frame.columns
        if pandas.api.types.is_numeric_dtype(frame[column]) and not pandas.api.types.is_bool_dtype(frame[column])
    ]


def split_columns(frame: pandas.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """Return (time columns, category columns, measure columns); key-like numbers count as categories."""
    times = [str(column) for column in frame.columns if is_time_column(frame, str(column))]
    measures = [column for column in numeric_columns(frame) if column not in times and not _is_identifier(column)]
    categories = [str(column) for column in frame.columns if str(column) not in times and str(column) not in measures]
    return times, categories, measures


def _is_identifier(column: str) -> bool:
    return bool(re.search(r"(^id$|_id$|编号|代码|code$)", column, re.IGNORECASE))


def _looks_like_share(frame: pandas.DataFrame, column: str) -> bool:
    if _SHARE_NAME.search(column):
        return True
    values = frame[column].dropna()
    if values.empty or (values < 0).any():
        return False
    total = float(values.sum())
    return abs(total - 1.0) < 0.01 or (abs(total - 100.0) < 0.5 and bool((values <= 100).all()))


def choose_chart(frame: pandas.DataFrame) -> ChartChoice:
    """Choose the chart that fits the result's columns and row count."""
    if frame.empty or len(frame.columns) < 2:
        return ChartChoice(kind="none", reason="fewer than two columns or no rows")
    times, categories, measures = split_columns(frame)
    if not measures:
        return ChartChoice(kind="none", reason="no numeric column")
    measure = measures[0]

    if times:
        color = categories[0] if categories and frame[categories[0]].nunique() <= 12 else None
        return ChartChoice(kind="line", x=times[0], y=measure, color=color, reason="time column")
    if not categories:
        return ChartChoice(kind="none", reason="no category or time column")
    if len(categories) >= 2 and frame[categories[1]].nunique() <= 12:
        return ChartChoice(kind="stacked_bar", x=categories[0], y=measure, color=categories[1], reason="two categories")
    if _looks_like_share(frame, measure):
        if frame[categories[0]].nunique() <= MAX_PIE_SLICES:
            return ChartChoice(kind="pie", x=categories[0], y=measure, reason="shares of a whole")
        return ChartChoice(kind="stacked_bar", x=None, y=measure, color=categories[0], reason="many shares")
    return ChartChoice(kind="bar", x=categories[0], y=measure, reason="one category")


def chart_spec(frame: pandas.DataFrame, choice: ChartChoice, *, title: str, font: str) -> dict[str, Any] | None:
    """Return the Vega-Lite spec (a dict) for `choice`, or None when no chart fits."""
    if choice.kind == "none" or choice.y is None:
        return None
    data = frame.head(MAX_CHART_ROWS).copy()
    for column in data.columns:
        if pandas.api.types.is_datetime64_any_dtype(data[column]):
            data[column] = data[column].dt.strftime("%Y-%m-%d")
    base = altair.Chart(data, title=title)
    y = altair.Y(f"{choice.y}:Q", title=choice.y)

    if choice.kind == "line":
        x_type = "T" if pandas.api.types.is_datetime64_any_dtype(frame[choice.x]) else "O"
        encoding: dict[str, Any] = {"x": altair.X(f"{choice.x}:{x_type}", title=choice.x), "y": y}
        if choice.color:
            encoding["color"] = altair.Color(f"{choice.color}:N", title=choice.color)
        chart = base.mark_line(point=True).encode(**encoding)
    elif choice.kind == "bar":
        chart = base.mark_bar().encode(
            x=altair.X(f"{choice.x}:N", sort="-y", title=choice.x, axis=altair.Axis(labelAngle=0)), y=y
        )
    elif choice.kind == "pie":
        chart = base.mark_arc().encode(
            theta=altair.Theta(f"{choice.y}:Q"), color=altair.Color(f"{choice.x}:N", title=choice.x)
        )
    elif choice.x is None:
        # Shares of many items: one bar split into the items' parts of the whole.
        chart = base.mark_bar().encode(
            x=altair.X(f"sum({choice.y}):Q", stack="normalize", title=choice.y),
            color=altair.Color(f"{choice.color}:N", title=choice.color),
        )
    else:
        chart = base.mark_bar().encode(
            x=altair.X(f"{choice.x}:N", title=choice.x, axis=altair.Axis(labelAngle=0)),
            y=altair.Y(f"sum({choice.y}):Q", title=choice.y),
            color=altair.Color(f"{choice.color}:N", title=choice.color),
        )

    chart = (
        chart.properties(width=560, height=320)
        .configure(font=font)
        .configure_axis(labelFont=font, titleFont=font)
        .configure_legend(labelFont=font, titleFont=font)
        .configure_title(font=font, fontSize=16)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def register_fonts(font_dir: Path) -> None:
    """Register `font_dir` with vl-convert once per process; raises when the folder is missing."""
    key = str(font_dir)
    with _font_lock:
        if key in _registered_fonts:
            return
        if not font_dir.is_dir():
            raise ConfigurationError("analytics.font_missing", path=key)
        vl_convert.register_font_directory(key)
        _registered_fonts.add(key)
    logger.info("chart fonts registered from %s", key)


def render_png(spec: dict[str, Any], *, font_dir: Path, scale: float = 2.0) -> bytes:
    register_fonts(font_dir)
    try:
        png: bytes = vl_convert.vegalite_to_png(spec, scale=scale)
    except Exception as exc:  # noqa: BLE001  (vl-convert raises plain ValueError/RuntimeError)
        logger.warning("chart rendering failed: %s", exc)
        raise UpstreamError("analytics.chart_failed", reason=str(exc)[:300]) from exc
    return png


def render_svg(spec: dict[str, Any], *, font_dir: Path) -> str:
    register_fonts(font_dir)
    try:
        svg: str = vl_convert.vegalite_to_svg(spec)
    except Exception as exc:  # noqa: BLE001  (vl-convert raises plain ValueError/RuntimeError)
        logger.warning("chart rendering failed: %s", exc)
        raise UpstreamError("analytics.chart_failed", reason=str(exc)[:300]) from exc
    return svg
