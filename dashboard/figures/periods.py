"""Reporting periods on the UK public-sector financial year (April-March, Q1 = April-June).

Periods are written the way boards write them: ``2019/20`` (a financial year), ``2019/20-Q1``
(April-June 2019) and ``2019-06`` (a calendar month). Summary tables key months as
``ym = year * 100 + month``, so every period is a contiguous ``ym`` range.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Grain = Literal["month", "quarter", "year"]
GRAINS: tuple[Grain, ...] = ("month", "quarter", "year")

_YEAR = re.compile(r"^(\d{4})/(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})/(\d{2})-Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def fy_label(fy: int) -> str:
    """``2019`` -> ``2019/20``."""
    return f"{fy}/{(fy + 1) % 100:02d}"


def fy_of(day: date) -> int:
    """Start year of the financial year holding ``day``."""
    return day.year if day.month >= 4 else day.year - 1


def ym_of(day: date) -> int:
    """The ``ym`` of the month holding ``day``: 12 June 2019 -> 201906."""
    return _ym(day.year, day.month)


def _ym(year: int, month: int) -> int:
    return year * 100 + month


def _calendar(fy: int, fy_month: int) -> tuple[int, int]:
    """Calendar (year, month) of month ``fy_month`` (1 = April) of financial year ``fy``."""
    month = (fy_month + 2) % 12 + 1
    return (fy if month >= 4 else fy + 1), month


@dataclass(frozen=True, order=True)
class Period:
    """A month, quarter or financial year. ``index`` is the fy month (1-12) or quarter (1-4); for a
    year, 0 is the whole year and 1-11 the year to the end of that fy month (``year_to_date``)."""

    fy: int
    grain: Grain
    index: int = 0

    @property
    def label(self) -> str:
        if self.grain == "year":
            return fy_label(self.fy)
        if self.grain == "quarter":
            return f"{fy_label(self.fy)}-Q{self.index}"
        year, month = _calendar(self.fy, self.index)
        return f"{year}-{month:02d}"

    @property
    def short_label(self) -> str:
        """For pickers and links: '2019/20', '2019/20 Q1', 'Jun 2019'."""
        if self.grain == "quarter":
            return f"{fy_label(self.fy)} Q{self.index}"
        if self.grain == "month":
            return f"{self.start:%b %Y}"
        return self.label

    @property
    def long_label(self) -> str:
        """How a board paper writes it: 'Quarter 1 2019/20 (Apr–Jun 2019)', 'June 2019'."""
        if self.grain == "year" and self.index:
            return f"Financial year {fy_label(self.fy)} to date (Apr–{self.end:%b %Y})"
        if self.grain == "year":
            return f"Financial year {fy_label(self.fy)}"
        if self.grain == "quarter":
            return (
                f"Quarter {self.index} {fy_label(self.fy)} "
                f"({self.start:%b}–{self.end:%b %Y})"
            )
        return f"{self.start:%B %Y}"

    @property
    def _fy_months(self) -> tuple[int, int]:
        if self.grain == "year":
            return 1, self.index or 12
        if self.grain == "quarter":
            return 3 * self.index - 2, 3 * self.index
        return self.index, self.index

    @property
    def last_fy_month(self) -> int:
        """Month of the financial year (1 = April) the period ends in: the 'to date' cut-off."""
        return self._fy_months[1]

    @property
    def first_ym(self) -> int:
        return _ym(*_calendar(self.fy, self._fy_months[0]))

    @property
    def last_ym(self) -> int:
        return _ym(*_calendar(self.fy, self._fy_months[1]))

    @property
    def start(self) -> date:
        year, month = _calendar(self.fy, self._fy_months[0])
        return date(year, month, 1)

    @property
    def end(self) -> date:
        year, month = _calendar(self.fy, self._fy_months[1])
        return date(year, month, calendar.monthrange(year, month)[1])

    def shift(self, steps: int) -> Period:
        """The period ``steps`` later (negative: earlier) at the same grain."""
        if self.grain == "year":
            return Period(self.fy + steps, "year")
        per_year = 4 if self.grain == "quarter" else 12
        position = self.fy * per_year + (self.index - 1) + steps
        return Period(position // per_year, self.grain, position % per_year + 1)

    def year_to_date(self) -> Period:
        """The financial year from April to the end of this period (the whole year for a year or
        its last quarter or month): what a column headed "to date" holds, never a later month."""
        return Period(self.fy, "year", self.last_fy_month % 12)

    def previous(self) -> Period:
        return self.shift(-1)

    def __str__(self) -> str:
        return self.label


def parse_period(text: str) -> Period:
    """Read ``2019/20``, ``2019/20-Q1`` or ``2019-06``; a ValueError says what is accepted."""
    value = text.strip()
    if match := _QUARTER.match(value):
        fy = _checked_fy(int(match[1]), int(match[2]), value)
        return Period(fy, "quarter", int(match[3]))
    if match := _YEAR.match(value):
        return Period(_checked_fy(int(match[1]), int(match[2]), value), "year")
    if match := _MONTH.match(value):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{value}': month {month} does not exist")
        return period_containing(date(year, month, 1), "month")
    raise ValueError(
        f"'{value}' is not a period. Use a financial year (2019/20), a quarter (2019/20-Q1, "
        "Q1 = April-June) or a month (2019-06)."
    )


def _checked_fy(start: int, end_2digit: int, text: str) -> int:
    if (start + 1) % 100 != end_2digit:
        raise ValueError(f"'{text}' is not a financial year: {start}/ must be followed by "
                         f"{(start + 1) % 100:02d}")
    return start


def period_containing(day: date, grain: Grain) -> Period:
    """The month, quarter or financial year that ``day`` falls in."""
    fy = fy_of(day)
    fy_month = (day.month - 4) % 12 + 1
    if grain == "year":
        return Period(fy, "year")
    if grain == "quarter":
        return Period(fy, "quarter", (fy_month - 1) // 3 + 1)
    return Period(fy, "month", fy_month)


def period_range(first: Period, last: Period) -> list[Period]:
    """Every period from ``first`` to ``last`` inclusive, at their (shared) grain."""
    if first.grain != last.grain:
        raise ValueError("a range of periods needs one grain")
    periods, current = [], first
    while current <= last:
        periods.append(current)
        current = current.shift(1)
    return periods


def period_of_ym(ym: int, grain: Grain) -> Period:
    """The period holding summary month ``ym``."""
    return period_containing(date(ym // 100, ym % 100, 1), grain)
