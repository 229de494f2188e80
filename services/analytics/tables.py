"""Result tables as display text: numbers with thousands separators and the same decimals down a column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Decimals shown for a column of fractions: amounts (some value of 1 or more) get 2,
# ratios and shares (every value below 1) get 4, so 0.0123 does not show as 0.01.
AMOUNT_DECIMALS = 2
RATIO_DECIMALS = 4
# A whole-number column whose values all lie here is taken for years: 2024, not 2,024.
YEAR_RANGE = range(1900, 2101)


@dataclass(frozen=True)
class DisplayTable:
    """Cells as text, and which columns hold numbers (those are right-aligned)."""

    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def column_decimals(values: list[Any]) -> int | None:
    """Decimals for a column, or None when it is not numeric (some value is text, or there is no value)."""
    present = [value for value in values if value is not None]
    if not present or not all(_is_number(value) for value in present):
        return None
    if all(isinstance(value, int) or float(value).is_integer() for value in present):
        return 0
    return AMOUNT_DECIMALS if max(abs(value) for value in present) >= 1 else RATIO_DECIMALS


def display_table(columns: list[str], rows: list[list[Any]]) -> DisplayTable:
    decimals = [column_decimals([row[index] for row in rows if index < len(row)]) for index in range(len(columns))]
    separator = [
        "" if places == 0 and all(row[index] is None or row[index] in YEAR_RANGE for row in rows) else ","
        for index, places in enumerate(decimals)
    ]
    text_rows: list[list[str]] = []
    for row in rows:
        cells: list[str] = []
        for index, value in enumerate(row):
            places = decimals[index] if index < len(decimals) else None
            if value is None:
                cells.append("")
            elif places is None:
                cells.append(str(value))
            else:
                cells.append(f"{value:{separator[index]}.{places}f}")
        text_rows.append(cells)
    return DisplayTable(columns=list(columns), rows=text_rows, numeric=[places is not None for places in decimals])
