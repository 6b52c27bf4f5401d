"""A pack's tables held once, unformatted, with a unit per column: the PDF prints them formatted
the way the pages show figures, and the Excel workbook keeps the numbers as numbers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.format import format_date, format_value

NUMERIC_UNITS = ("count", "days", "%", "£", "£p", "rate")


def _cell(value: object, unit: str) -> str:
    if unit in NUMERIC_UNITS:
        return format_value(None if value is None or pd.isna(value) else float(value), unit)
    if unit == "date":
        if value is None or (not isinstance(value, date) and pd.isna(value)):
            return "–"
        day = value.date() if isinstance(value, datetime) else value
        return format_date(day if isinstance(day, date) else pd.Timestamp(day).date())
    return "–" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


@dataclass(frozen=True)
class PackTable:
    """``units`` maps a column to count, days, %, £, rate or date; any other column is text."""

    title: str
    frame: pd.DataFrame
    units: Mapping[str, str] = field(default_factory=dict)
    caption: str | None = None

    def unit(self, column: str) -> str:
        return self.units.get(column, "text")

    @property
    def columns(self) -> list[str]:
        return [str(c) for c in self.frame.columns]

    @property
    def numeric(self) -> list[int]:
        """Positions of the columns to right-align."""
        return [i for i, c in enumerate(self.frame.columns) if self.unit(c) in NUMERIC_UNITS]

    @property
    def rows(self) -> list[list[str]]:
        """Every cell formatted as the pages format it."""
        units = [self.unit(c) for c in self.frame.columns]
        return [[_cell(v, u) for v, u in zip(row, units, strict=True)]
                for row in self.frame.itertuples(index=False)]


@dataclass(frozen=True)
class PackChart:
    """A figure from ``dashboard.figures.charts`` with the words that stand in for it (alt text) and say
    what it shows (caption); drawn to an image only when the PDF is made."""

    fig: go.Figure
    alt: str
    caption: str
    width: int = 680
    height: int = 340
