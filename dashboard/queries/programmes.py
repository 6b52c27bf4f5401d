"""Programmes, their districts, and how fresh the data is."""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd
from sqlalchemy import ColumnElement, Engine, case, func, select

from dashboard.db import schema as s
from dashboard.db.councils import council_writes
from dashboard.db.programmes import UnknownProgramme, programme_family, programme_id, programme_names
from dashboard.figures.periods import ym_of

__all__ = ["UnknownProgramme", "data_as_at", "data_version", "districts_frame", "month_range",
           "programme_id", "programme_names"]


def districts_frame(engine: Engine, programme: str) -> pd.DataFrame:
    """Columns: district_id, district, code, aliases — in name order."""
    pid = programme_id(engine, programme)
    d = s.districts
    query = (
        select(d.c.id.label("district_id"), d.c.name.label("district"), d.c.code, d.c.aliases)
        .where(d.c.programme_id == pid)
        .order_by(d.c.name)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["district_id", "district", "code", "aliases"])


def programme_family_of(engine: Engine, programme: str) -> str:
    """"housing", "savings" or "care" (an empty programme counts as one of districts)."""
    with engine.connect() as conn:
        return programme_family(conn, programme_id(engine, programme)) or "housing"


def data_version(engine: Engine) -> int:
    """Id of the newest load plus the count of council-level writes (CQC files, contracts,
    councils): part of every cache key, so a load anywhere refreshes the pages. Both only grow,
    so every write moves the version on."""
    with engine.connect() as conn:
        newest = int(conn.execute(select(func.coalesce(func.max(s.import_log.c.id), 0))).scalar())
        return newest + council_writes(conn)


def savings_ym() -> ColumnElement[int]:
    """The calendar ``ym`` of a savings delivery return's financial year and month (1 = April)."""
    d = s.savings_delivery
    return case((d.c.month <= 9, d.c.fy * 100 + d.c.month + 3), else_=(d.c.fy + 1) * 100 + d.c.month - 9)


def _monthly_returns_months(engine: Engine, pid: int, now: int) -> tuple[int, int] | None:
    """First and last month of a savings or care-at-home programme's monthly returns (and care
    requests, by their monthly summary), up to ``now``: these programmes have no districts."""
    requests = s.summary_care_requests
    sources = ((s.savings_delivery, savings_ym(), []), (s.care_hours, s.care_hours.c.ym, []),
               (requests, requests.c.ym, [requests.c.arrived > 0]))
    found = []
    with engine.connect() as conn:
        for table, ym, months_with in sources:
            low, high = conn.execute(select(func.min(ym), func.max(ym))
                                     .where(table.c.programme_id == pid, ym <= now, *months_with)).one()
            if low is not None:
                found.append((int(low), int(high)))
    return (min(p[0] for p in found), max(p[1] for p in found)) if found else None


def data_as_at(engine: Engine, programme: str, today: date) -> date | None:
    """Date of the newest case, grant, survey answer or feedback record of the programme, up to
    ``today``: a record dated in the future is a slip to check (the Data quality page lists it),
    never the date the figures speak for. A savings or care-at-home programme: the end of its
    newest month of returns (or today, within that month)."""
    pid = programme_id(engine, programme)
    now = ym_of(today)
    if (months := _monthly_returns_months(engine, pid, now)) is not None:
        year, month = divmod(months[1], 100)
        return min(date(year, month, calendar.monthrange(year, month)[1]), today)
    latest = [
        select(func.max(table.c.latest)).where(table.c.programme_id == pid, table.c.ym <= now)
        .scalar_subquery()
        for table in s.SUMMARY_TABLES
    ]
    with engine.connect() as conn:
        values = [_as_date(v) for v in conn.execute(select(*latest)).one() if v is not None]
    # This month's newest record may itself lie ahead of today: say "as at today" then.
    return min(max(values), today) if values else None


def month_range(engine: Engine, programme: str, today: date) -> tuple[int, int] | None:
    """First and last ``ym`` holding any record of the programme, up to ``today``'s month, to
    offer only real periods and open on the latest one that has happened."""
    pid = programme_id(engine, programme)
    now = ym_of(today)
    bounds = [
        select(func.min(table.c.ym), func.max(table.c.ym))
        .where(table.c.programme_id == pid, table.c.ym <= now)
        for table in s.SUMMARY_TABLES
    ]
    with engine.connect() as conn:
        pairs = [conn.execute(query).one() for query in bounds]
    found = [pair for pair in pairs if pair[0] is not None]
    if (monthly := _monthly_returns_months(engine, pid, now)) is not None:
        found.append(monthly)
    if not found:
        return None
    return min(int(p[0]) for p in found), max(int(p[1]) for p in found)


def _as_date(value: object) -> date:
    # SQLite hands back the ISO text of a MAX() over a date column.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
