"""Facts computed with pandas: totals, top and bottom items, shares, growth and outliers.

The narrative may only quote these numbers; `narrative.verify_numbers` checks that it does.
"""

from __future__ import annotations

import math

import pandas
from pydantic import BaseModel, Field

from services.analytics.charts import split_columns
from services.core.i18n import Language

MAX_MEASURES = 3
OUTLIER_Z = 2.5


class Fact(BaseModel):
    """One computed statement with the numbers it quotes."""

    kind: str = Field(description="total, mean, max, min, top, share, mom, yoy, outlier, rows, value")
    text: str
    values: list[float] = Field(default_factory=list, description="Every number the text quotes, unrounded.")


def format_number(value: float) -> str:
    """Thousands separators; two decimals below 1000 unless the value is whole."""
    if math.isnan(value):
        return "-"
    if float(value).is_integer():
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def format_percent(ratio: float) -> str:
    return f"{ratio * 100:.1f}%"


def compute_facts(frame: pandas.DataFrame, *, language: Language = "zh") -> list[Fact]:
    """Return the facts of a result; an empty result gives a single fact that states it."""
    zh = language == "zh"
    if frame.empty:
        return [Fact(kind="rows", text="查询没有返回数据。" if zh else "The query returned no rows.", values=[0])]

    times, categories, measures = split_columns(frame)
    facts: list[Fact] = [
        Fact(
            kind="rows",
            text=f"结果共 {len(frame)} 行。" if zh else f"The result has {len(frame)} rows.",
            values=[len(frame)],
        )
    ]
    if len(frame) == 1 and measures:
        for measure in measures[:MAX_MEASURES]:
            value = float(frame[measure].iloc[0])
            facts.append(
                Fact(
                    kind="value",
                    text=f"{measure} 为 {format_number(value)}。" if zh else f"{measure} is {format_number(value)}.",
                    values=[value],
                )
            )
        return facts

    label: str | None = None
    if categories:
        label = categories[0]
    elif times:
        label = times[0]
    for measure in measures[:MAX_MEASURES]:
        facts.extend(_measure_facts(frame, measure, label, zh))
        if times:
            facts.extend(_growth_facts(frame, times[0], measure, categories, zh))
    return facts


def _label_of(frame: pandas.DataFrame, label: str | None, index: object) -> str:
    if label is None:
        return f"#{index}"
    value = frame.loc[index, label]
    if isinstance(value, pandas.Timestamp):
        return value.strftime("%Y-%m") if value.day == 1 else value.strftime("%Y-%m-%d")
    return str(value)


def _measure_facts(frame: pandas.DataFrame, measure: str, label: str | None, zh: bool) -> list[Fact]:
    series = pandas.to_numeric(frame[measure], errors="coerce").dropna()
    if series.empty:
        return []
    facts: list[Fact] = []
    total = float(series.sum())
    mean = float(series.mean())
    facts.append(
        Fact(
            kind="total",
            text=f"{measure} 合计 {format_number(total)}。" if zh else f"Total {measure} is {format_number(total)}.",
            values=[total],
        )
    )
    facts.append(
        Fact(
            kind="mean",
            text=f"{measure} 平均 {format_number(mean)}。" if zh else f"Average {measure} is {format_number(mean)}.",
            values=[mean],
        )
    )

    top_index = series.idxmax()
    bottom_index = series.idxmin()
    top, bottom = float(series[top_index]), float(series[bottom_index])
    top_label, bottom_label = _label_of(frame, label, top_index), _label_of(frame, label, bottom_index)
    facts.append(
        Fact(
            kind="max",
            text=f"{measure} 最高的是 {top_label}，为 {format_number(top)}。"
            if zh
            else f"Highest {measure}: {top_label} with {format_number(top)}.",
            values=[top],
        )
    )
    facts.append(
        Fact(
            kind="min",
            text=f"{measure} 最低的是 {bottom_label}，为 {format_number(bottom)}。"
            if zh
            else f"Lowest {measure}: {bottom_label} with {format_number(bottom)}.",
            values=[bottom],
        )
    )

    if total > 0 and (series >= 0).all() and len(series) > 1:
        share = top / total
        facts.append(
            Fact(
                kind="share",
                text=f"{top_label} 占 {measure} 合计的 {format_percent(share)}。"
                if zh
                else f"{top_label} accounts for {format_percent(share)} of total {measure}.",
                values=[share * 100],
            )
        )
        if len(series) >= 3:
            top3 = series.sort_values(ascending=False).head(3)
            names = (
                "、".join(_label_of(frame, label, index) for index in top3.index)
                if zh
                else ", ".join(_label_of(frame, label, index) for index in top3.index)
            )
            share3 = float(top3.sum()) / total
            facts.append(
                Fact(
                    kind="top",
                    text=f"前三名 {names} 合计占 {format_percent(share3)}。"
                    if zh
                    else f"The top three ({names}) account for {format_percent(share3)}.",
                    values=[share3 * 100, 3],
                )
            )

    if len(series) >= 8:
        std = float(series.std())
        if std > 0:
            for index, value in series.items():
                z = (float(value) - mean) / std
                if abs(z) >= OUTLIER_Z:
                    name = _label_of(frame, label, index)
                    facts.append(
                        Fact(
                            kind="outlier",
                            text=f"{name} 的 {measure}（{format_number(float(value))}）明显偏离平均值。"
                            if zh
                            else f"{name} is an outlier in {measure} ({format_number(float(value))}).",
                            values=[float(value)],
                        )
                    )
    return facts


def _growth_facts(frame: pandas.DataFrame, time: str, measure: str, categories: list[str], zh: bool) -> list[Fact]:
    # Growth is computed on the measure summed per period, over every category.
    periods = frame.groupby(time)[measure].sum(numeric_only=False).sort_index()
    periods = pandas.to_numeric(periods, errors="coerce").dropna()
    if len(periods) < 2:
        return []
    facts: list[Fact] = []
    latest_key, previous_key = periods.index[-1], periods.index[-2]
    latest, previous = float(periods.iloc[-1]), float(periods.iloc[-2])
    name, previous_name = _period_name(latest_key), _period_name(previous_key)
    if previous != 0:
        growth = (latest - previous) / abs(previous)
        facts.append(
            Fact(
                kind="mom",
                text=(
                    f"{name} 的 {measure} 为 {format_number(latest)}，"
                    f"比上一期 {previous_name}（{format_number(previous)}）变化 {format_percent(growth)}。"
                    if zh
                    else f"{measure} in {name} is {format_number(latest)}, "
                    f"{format_percent(growth)} versus {previous_name} ({format_number(previous)})."
                ),
                values=[latest, previous, growth * 100],
            )
        )
    if isinstance(latest_key, pandas.Timestamp):
        year_ago = latest_key - pandas.DateOffset(years=1)
        if year_ago in periods.index and float(periods[year_ago]) != 0:
            base = float(periods[year_ago])
            growth = (latest - base) / abs(base)
            facts.append(
                Fact(
                    kind="yoy",
                    text=f"{name} 的 {measure} 同比变化 {format_percent(growth)}（去年同期 {format_number(base)}）。"
                    if zh
                    else f"{measure} in {name} changed {format_percent(growth)} year over year "
                    f"(a year earlier: {format_number(base)}).",
                    values=[growth * 100, base],
                )
            )
    return facts


def _period_name(key: object) -> str:
    if isinstance(key, pandas.Timestamp):
        return key.strftime("%Y-%m") if key.day == 1 else key.strftime("%Y-%m-%d")
    return str(key)
