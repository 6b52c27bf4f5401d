"""Data quality: completeness of optional fields, suspicious records, and freshness."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from dashboard.db.summaries import (
    CLOSED_BEFORE_REFERRAL,
    FUTURE_DATE,
    GRANT_ABOVE_MAXIMUM,
    SAME_REFERENCE,
)
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import programme_id

SHOWN = 200  # suspicious records listed at most, per check


@cached_query
def completeness(engine: Engine, programme: str) -> pd.DataFrame:
    """Columns: kind, column, district, rows, filled, percent — from the loader's summary."""
    q, d = s.summary_quality, s.districts
    query = (select(q.c.kind, q.c.column, d.c.name.label("district"), q.c.rows, q.c.filled)
             .join_from(q, d, q.c.district_id == d.c.id)
             .where(q.c.programme_id == programme_id(engine, programme))
             .order_by(q.c.kind, q.c.column, d.c.name))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["kind", "column", "district", "rows", "filled"])
    frame["percent"] = 100 * frame["filled"] / frame["rows"].where(frame["rows"] > 0)
    return frame


CHECKS = (CLOSED_BEFORE_REFERRAL, GRANT_ABOVE_MAXIMUM, FUTURE_DATE)


@cached_query
def suspicious(engine: Engine, programme: str, today: date) -> pd.DataFrame:
    """Columns: check, kind, district, reference, date — records a person should look at, at most
    ``SHOWN`` per check, read from the checks the loader keeps (never the raw rows). A date that
    was ahead when loaded is listed while it is still ahead of ``today``."""
    pid = programme_id(engine, programme)
    c, d = s.summary_checks, s.districts
    columns = ["check", "kind", "district", "reference", "date"]
    frames = []
    with engine.connect() as conn:
        for check in CHECKS:
            query = (select(c.c.check, c.c.kind, d.c.name.label("district"), c.c.reference, c.c.date)
                     .join_from(c, d, c.c.district_id == d.c.id)
                     .where(c.c.programme_id == pid, c.c.check == check)
                     .order_by(c.c.kind, d.c.name, c.c.reference).limit(SHOWN))
            if check == FUTURE_DATE:
                query = query.where(c.c.date > today)
            frames.append(pd.DataFrame(conn.execute(query).all(), columns=columns))
        twice = (select(c.c.kind, c.c.reference).where(c.c.programme_id == pid,
                                                       c.c.check == SAME_REFERENCE)
                 .group_by(c.c.kind, c.c.reference).order_by(c.c.kind, c.c.reference).limit(SHOWN))
        frames.append(pd.DataFrame([(SAME_REFERENCE, kind, "", ref, None)
                                    for kind, ref in conn.execute(twice).all()], columns=columns))
    found = pd.concat([f for f in frames if not f.empty] or frames[:1], ignore_index=True)
    found["date"] = [_as_date(v) for v in found["date"]]
    return found


def _as_date(value: object) -> date | None:
    # SQLite hands back ISO text from a DATE column read without its type.
    return value if value is None or isinstance(value, date) else date.fromisoformat(str(value)[:10])


@cached_query
def freshness(engine: Engine, programme: str) -> pd.DataFrame:
    """Columns: district, and the newest record date of each kind of return (None: none sent)."""
    pid = programme_id(engine, programme)
    d = s.districts
    kinds = {"cases": s.summary_cases, "dfg": s.summary_dfg,
             "satisfaction": s.summary_satisfaction, "feedback": s.summary_feedback}
    frame = None
    with engine.connect() as conn:
        for kind, table in kinds.items():
            query = (select(d.c.name.label("district"), func.max(table.c.latest).label(kind))
                     .join_from(table, d, table.c.district_id == d.c.id)
                     .where(table.c.programme_id == pid).group_by(d.c.name))
            part = pd.DataFrame(conn.execute(query).all(), columns=["district", kind])
            part[kind] = [v if v is None or isinstance(v, date) else date.fromisoformat(str(v)[:10])
                          for v in part[kind]]
            frame = part if frame is None else frame.merge(part, on="district", how="outer")
    frame = frame.sort_values("district").reset_index(drop=True)
    # A partner with no return of a kind has no date for it: None, not the NaN the merge leaves.
    return frame.astype(object).where(frame.notna(), None)
