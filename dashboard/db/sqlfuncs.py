"""Date arithmetic that SQLite and PostgreSQL spell differently, as portable SQL expressions.

SQLite stores dates as ISO text and needs ``julianday``/``strftime``; PostgreSQL subtracts dates to
an integer and ``EXTRACT`` returns numeric. Both compile to plain integers here, so summary sums come
back as the same Python ``int`` whichever database holds the data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, case
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):  # noqa: N801 - reads as SQL
    """Whole days from the second date to the first (``later - earlier``)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


class year_month(FunctionElement):  # noqa: N801
    """``year * 100 + month`` of a date, e.g. 201906 for 12 June 2019."""

    type = Integer()
    inherit_cache = True
    name = "year_month"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_postgresql(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"({later} - {earlier})"


@compiles(year_month, "sqlite")
def _ym_sqlite(element: year_month, compiler: Any, **kw: Any) -> str:
    (day,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(strftime('%Y%m', {day}) AS INTEGER)"


@compiles(year_month, "postgresql")
def _ym_postgresql(element: year_month, compiler: Any, **kw: Any) -> str:
    (day,) = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"CAST(EXTRACT(YEAR FROM {day}) * 100 + EXTRACT(MONTH FROM {day}) AS INTEGER)"


def financial_year_of(ym: ColumnElement[int]) -> ColumnElement[int]:
    """Start year of the April-March financial year holding ``ym``: 202001 -> 2019."""
    return ym // 100 - case((ym % 100 < 4, 1), else_=0)


def quarter_of(ym: ColumnElement[int]) -> ColumnElement[int]:
    """Financial quarter 1-4 of ``ym`` (Q1 = April-June)."""
    return (ym % 100 + 8) % 12 // 3 + 1
