"""Who has sent which return: the submission tracker and the import log."""

from __future__ import annotations

import os
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from dashboard.db import schema as s
from dashboard.figures.periods import parse_period
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import programme_id

TRACKED_KINDS = ("cases", "dfg", "satisfaction", "feedback", "finance")
DEFAULT_DUE_DAY = 10


def due_day() -> int:
    """Day of the following month by which a period's returns are due (DASHBOARD_RETURN_DUE_DAY)."""
    return int(os.environ.get("DASHBOARD_RETURN_DUE_DAY", DEFAULT_DUE_DAY))


def due_date(period_end: date, day: int) -> date:
    following = date(period_end.year + period_end.month // 12, period_end.month % 12 + 1, 1)
    return following.replace(day=min(day, 28))


@cached_query
def submissions(engine: Engine, programme: str, period: str, day: int, today: date) -> pd.DataFrame:
    """Columns: district, kind, loads, rows, last_loaded, status, due — one row per district and
    tracked return kind. A return counts for the period when a load covered any day of it."""
    p = parse_period(period)
    pid = programme_id(engine, programme)
    log, cover, d = s.import_log, s.import_districts, s.districts
    query = (
        select(d.c.name.label("district"), log.c.kind, func.count(log.c.id).label("loads"),
               func.sum(cover.c.rows).label("rows"), func.max(log.c.loaded_at).label("last_loaded"))
        .join_from(cover, log, cover.c.import_id == log.c.id)
        .join(d, cover.c.district_id == d.c.id)
        .where(log.c.programme_id == pid, log.c.kind.in_(TRACKED_KINDS),
               cover.c.first_date <= p.end, cover.c.last_date >= p.start)
        .group_by(d.c.name, log.c.kind)
    )
    with engine.connect() as conn:
        sent = pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["district", "kind", "loads", "rows", "last_loaded"])
        names = conn.execute(select(d.c.name).where(d.c.programme_id == pid).order_by(d.c.name))
        grid = pd.MultiIndex.from_product([list(names.scalars()), TRACKED_KINDS],
                                          names=["district", "kind"])
    frame = sent.set_index(["district", "kind"]).reindex(grid).reset_index()
    frame[["loads", "rows"]] = frame[["loads", "rows"]].fillna(0).astype(int)
    due = due_date(p.end, day)
    frame["due"] = due
    frame["status"] = ["Received" if loads else ("Overdue" if today > due else "Not yet due")
                       for loads in frame["loads"]]
    return frame


@cached_query
def import_log(engine: Engine, programme: str, district: str | None = None,
               period: str | None = None) -> pd.DataFrame:
    """Columns: id, loaded_at, loaded_by, kind, file_name, sha256, inserted, updated, unchanged,
    warnings, districts — newest first; optionally only loads covering a district or period."""
    pid = programme_id(engine, programme)
    log, cover, d = s.import_log, s.import_districts, s.districts
    conditions = [log.c.programme_id == pid]
    covering = select(cover.c.import_id).join(d, cover.c.district_id == d.c.id)
    if district:
        covering = covering.where(d.c.name == district)
    if period:
        p = parse_period(period)
        covering = covering.where(and_(cover.c.first_date <= p.end, cover.c.last_date >= p.start))
    if district or period:
        conditions.append(log.c.id.in_(covering))
    query = (select(log.c.id, log.c.loaded_at, log.c.loaded_by, log.c.kind, log.c.file_name,
                    log.c.sha256, log.c.rows_inserted.label("inserted"),
                    log.c.rows_updated.label("updated"), log.c.rows_unchanged.label("unchanged"),
                    log.c.warnings)
             .where(*conditions).order_by(log.c.id.desc()).limit(500))
    names = (select(cover.c.import_id, d.c.name).join(d, cover.c.district_id == d.c.id)
             .join(log, cover.c.import_id == log.c.id).where(log.c.programme_id == pid))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["id", "loaded_at", "loaded_by", "kind", "file_name", "sha256",
                                      "inserted", "updated", "unchanged", "warnings"])
        covered = pd.DataFrame(conn.execute(names).all(), columns=["id", "district"])
    partners = covered.groupby("id")["district"].apply(lambda n: ", ".join(sorted(n)))
    # a programme without districts covers none: the column is text, empty
    frame["districts"] = frame["id"].map(partners).astype(object).fillna("")
    return frame
