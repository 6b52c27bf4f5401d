"""UK formatting of figures: £ with thousands separators, %, days, day-first dates."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date

import pandas as pd

MISSING = "–"
SUPPRESSED = "*"  # a figure withheld under the public-figures rules (dashboard.access.public_figures)


DIGITS = {"£": 0, "£p": 2, "%": 1, "days": 1, "rate": 2, "count": 0}  # "£p": pounds and pence


def _shown(value: float, digits: int) -> float:
    """The value as it will print: one that rounds to zero prints as 0, never as -0.0."""
    return 0.0 if round(value, digits) == 0 else value


def format_value(value: float | None, unit: str, suppressed: bool = False) -> str:
    """``7396.0, '£'`` -> ``£7,396``; ``97.94, '%'`` -> ``97.9%``; no value -> an en dash;
    ``suppressed`` -> ``*``, so "withheld" never reads as "no data"."""
    if suppressed:
        return SUPPRESSED
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    value = _shown(value, DIGITS.get(unit, 0))
    if unit == "£":
        return f"-£{abs(value):,.0f}" if value < 0 else f"£{value:,.0f}"
    if unit == "£p":
        return f"-£{abs(value):,.2f}" if value < 0 else f"£{value:,.2f}"
    if unit == "%":
        return f"{value:,.1f}%"
    if unit == "days":
        return f"{value:,.1f} days"
    if unit == "rate":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def format_change(change: float | None, unit: str, points: bool = True) -> str | None:
    """A change between periods: percentages change by points (``points``), not per cent."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return None
    change = _shown(change, DIGITS.get(unit, 0))
    if unit == "%" and points:
        return f"{change:+,.1f} pts"
    text = format_value(abs(change), unit)
    return ("+" if change >= 0 else "-") + text


def count_of(number: int, singular: str, plural: str | None = None) -> str:
    """``1 load``, ``3 loads``, ``1,204 problems``: a count in words a reader says aloud."""
    return f"{number:,} {singular if number == 1 else (plural or singular + 's')}"


def format_money(value: float | None, pence: bool = False) -> str:
    """``3919000`` -> ``£3,919,000``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    value = _shown(value, 2 if pence else 0)
    text = f"{abs(value):,.2f}" if pence else f"{abs(value):,.0f}"
    return f"-£{text}" if value < 0 else f"£{text}"


def format_date(day: date | None) -> str:
    """``date(2019, 6, 12)`` -> ``12 June 2019`` (day first, as board papers write it)."""
    return MISSING if day is None else f"{day.day} {day:%B %Y}"


def format_month(day: date | None) -> str:
    """``date(2019, 6, 12)`` -> ``June 2019``: public case studies never give an exact day."""
    return MISSING if day is None else f"{day:%B %Y}"


_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_LABEL = re.compile(r"^(\d{4}/\d{2})-Q([1-4])$")


def format_period_label(label: object) -> object:
    """A period key as an axis shows it: ``2016-04`` -> ``Apr 2016``, ``2019/20-Q1`` ->
    ``2019/20 Q1``; a financial year, or anything else, is returned as it is."""
    if not isinstance(label, str):
        return label
    if month := _MONTH_LABEL.match(label):
        year, number = int(month[1]), int(month[2])
        return f"{date(year, number, 1):%b %Y}" if 1 <= number <= 12 else label
    if quarter := _QUARTER_LABEL.match(label):
        return f"{quarter[1]} Q{quarter[2]}"
    return label


def with_money(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """The frame with these columns shown as pounds (the unformatted frame is what exports)."""
    return with_units(frame, dict.fromkeys(columns, "£"))


def with_units(frame: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """The frame with each named column shown in its unit, the UK way (the unformatted frame is
    what exports)."""
    return frame.assign(**{c: [format_value(None if pd.isna(v) else float(v), u) for v in frame[c]]
                           for c, u in units.items() if c in frame})
