"""Data quality: completeness of optional fields, suspicious records, and freshness."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, literal, or_, select, union_all

from dashboard.db import schema as s
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import programme_id

MANDATORY_GRANT_MAXIMUM = 30_000  # England's mandatory DFG maximum, in pounds
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


def _checks(pid: int, today: date) -> list:
    c, g, f, d = s.cases, s.dfg, s.feedback, s.districts

    def listed(table, ref, reason: str, condition, day):  # noqa: ANN001, ANN202
        return (select(literal(reason).label("check"), literal(table.name).label("kind"),
                       d.c.name.label("district"), table.c[ref].label("reference"),
                       day.label("date"))
                .join_from(table, d, table.c.district_id == d.c.id)
                .where(table.c.programme_id == pid, condition).limit(SHOWN))

    return [
        listed(c, "case_ref", "Closed before referral", c.c.closed_date < c.c.referral_date,
               c.c.closed_date),
        listed(g, "dfg_ref", f"Grant above the £{MANDATORY_GRANT_MAXIMUM:,} mandatory maximum",
               g.c.grant_amount > MANDATORY_GRANT_MAXIMUM, g.c.completion_date),
        listed(c, "case_ref", "Date in the future",
               or_(c.c.referral_date > today, c.c.closed_date > today), c.c.referral_date),
        listed(g, "dfg_ref", "Date in the future",
               or_(g.c.enquiry_date > today, g.c.completion_date > today), g.c.enquiry_date),
        listed(f, "feedback_ref", "Date in the future", f.c.received_date > today,
               f.c.received_date),
    ]


@cached_query
def suspicious(engine: Engine, programme: str, today: date) -> pd.DataFrame:
    """Columns: check, kind, district, reference, date — records a person should look at."""
    pid = programme_id(engine, programme)
    frames = []
    with engine.connect() as conn:
        for query in _checks(pid, today):
            frames.append(pd.DataFrame(conn.execute(query.subquery().select()).mappings().all(),
                                       columns=["check", "kind", "district", "reference", "date"]))
        frames.append(_duplicates(conn, pid))
    return pd.concat(frames, ignore_index=True)


def _duplicates(conn, pid: int) -> pd.DataFrame:  # noqa: ANN001
    """The same reference sent by more than one district: a likely double count."""
    parts = []
    for table, ref in ((s.cases, "case_ref"), (s.dfg, "dfg_ref"), (s.feedback, "feedback_ref")):
        parts.append(select(literal(table.name).label("kind"), table.c[ref].label("reference"))
                     .where(table.c.programme_id == pid)
                     .group_by(table.c[ref])
                     .having(func.count(func.distinct(table.c.district_id)) > 1))
    rows = conn.execute(union_all(*parts).subquery().select().limit(SHOWN)).all()
    return pd.DataFrame([("Same reference in more than one district", kind, "", ref, None)
                         for kind, ref in rows],
                        columns=["check", "kind", "district", "reference", "date"])


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
