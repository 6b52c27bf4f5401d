"""The figures a meeting's papers show, frozen when it is issued.

Per KPI in the registry, for the programme (area 0) and each district, for the meeting's period and
the ``PERIODS_BEFORE`` periods of the same grain before it: value, target, RAG and base; on the
meeting's own period also the Making Data Count variation and assurance over those periods. With
them, the commentary (latest version per KPI, area and period) and the actions as they stood, as
compact JSON. Both tables are append-only in the database (``dashboard.db.append_only``).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select

from dashboard.db import schema as s
from dashboard.db.engine import database_url, get_engine
from dashboard.figures.periods import Period, parse_period
from dashboard.figures.spc import xmr
from dashboard.queries import care, savings
from dashboard.queries.kpi_values import compute_kpis
from dashboard.queries.programmes import programme_family_of
from dashboard.queries.registry import KPI_IDS, get_kpi

PERIODS_BEFORE = 11  # the papers show a year of months (or three years of quarters) of history
SNAPSHOT_COLUMNS = ["kpi", "area", "period", "value", "target", "rag", "base", "variation",
                    "assurance"]


def _engine(engine: Engine | None) -> Engine:
    """The configured database unless a caller (a test, the CLI) passes its own."""
    return engine or get_engine(database_url())


def shown_periods(period: str) -> list[Period]:
    """The periods a meeting on ``period`` shows, oldest first."""
    last = parse_period(period)
    return [last.shift(-n) for n in range(PERIODS_BEFORE, -1, -1)]


def live_figures(engine: Engine, programme: str, period: str) -> pd.DataFrame:
    """What the snapshot of a meeting on ``period`` would hold if it were issued now."""
    periods = shown_periods(period)
    family = programme_family_of(engine, programme)
    if family == "savings":
        return _savings_figures(engine, programme, periods)
    if family == "care":
        return _care_figures(engine, programme, periods)
    table = compute_kpis(engine, programme, periods, kpi_ids=KPI_IDS, by_district=True)
    frame = table.assign(area=table["district_id"].fillna(0).astype(int))
    frame = frame[["kpi", "area", "period", "value", "target", "rag", "base"]]
    frame = frame.assign(variation=None, assurance=None).astype({"variation": object,
                                                                  "assurance": object})
    own = parse_period(period).label
    for (kpi_id, _area), rows in frame.groupby(["kpi", "area"], sort=False):
        values = rows["value"].dropna()
        if len(values) < 2:
            continue
        kpi = get_kpi(str(kpi_id))
        last = rows[rows["period"] == own]
        target = last["target"].iloc[0] if len(last) else None
        result = xmr(list(values), kpi.good, None if pd.isna(target) else float(target))
        index = last.index
        frame.loc[index, "variation"] = result.variation
        frame.loc[index, "assurance"] = result.assurance
    return frame.reset_index(drop=True)[SNAPSHOT_COLUMNS]


def _savings_figures(engine: Engine, programme: str, periods: list[Period]) -> pd.DataFrame:
    """A savings programme's figures (its registry KPIs and each workstream's delivered to date)
    for each period, the programme as a whole (area 0)."""
    frames = [savings.kpi_rows(savings.tracker(engine, programme, p)).assign(period=p.label, area=0)
              for p in periods]
    frame = pd.concat(frames, ignore_index=True).assign(variation=None, assurance=None)
    return frame.astype({"variation": object, "assurance": object})[SNAPSHOT_COLUMNS]


def _care_figures(engine: Engine, programme: str, periods: list[Period]) -> pd.DataFrame:
    """A care-at-home programme's KPIs for each period, the programme as a whole (area 0)."""
    frame = pd.concat([care.care_kpis(engine, programme, p) for p in periods], ignore_index=True)
    frame = frame.assign(area=0, base=1.0, variation=None, assurance=None)
    return frame.astype({"variation": object, "assurance": object})[SNAPSHOT_COLUMNS]


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _rows_json(rows: list) -> str:
    return json.dumps([{k: _json_value(v) for k, v in row.items()} for row in rows],
                      separators=(",", ":"), ensure_ascii=False)


def documents(conn: Connection, programme_id: int) -> tuple[str, str]:
    """The latest version of each comment, and every action as it stands, as compact JSON."""
    c = s.commentary
    newest = (select(c.c.kpi, c.c.area, c.c.period, func.max(c.c.version).label("version"))
              .where(c.c.programme_id == programme_id)
              .group_by(c.c.kpi, c.c.area, c.c.period).subquery())
    comments = conn.execute(
        select(c.c.kpi, c.c.area, c.c.period, c.c.version, c.c.reason, c.c.recommended_action,
               c.c.author, c.c.written_at)
        .join(newest, (c.c.kpi == newest.c.kpi) & (c.c.area == newest.c.area)
              & (c.c.period == newest.c.period) & (c.c.version == newest.c.version))
        .where(c.c.programme_id == programme_id).order_by(c.c.kpi, c.c.area, c.c.period)
    ).mappings().all()
    a = s.actions
    actions = conn.execute(
        select(a.c.id, a.c.description, a.c.owner, a.c.due_date, a.c.status, a.c.kpi,
               a.c.meeting_id, a.c.created_at, a.c.done_at)
        .where(a.c.programme_id == programme_id).order_by(a.c.id)
    ).mappings().all()
    return _rows_json(comments), _rows_json(actions)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def write_snapshot(conn: Connection, meeting_id: int, programme_id: int,
                   figures: pd.DataFrame) -> None:
    """Insert the frozen figures and documents inside the caller's (issuing) transaction."""
    rows = [{"meeting_id": meeting_id, "kpi": r.kpi, "area": int(r.area), "period": r.period,
             "value": _number(r.value), "target": _number(r.target), "rag": r.rag,
             "base": _number(r.base), "variation": r.variation, "assurance": r.assurance}
            for r in figures.itertuples(index=False)]
    if rows:
        conn.execute(insert(s.snapshot_kpis), rows)
    comments, actions = documents(conn, programme_id)
    conn.execute(insert(s.snapshot_documents).values(meeting_id=meeting_id, commentary=comments,
                                                     actions=actions))


def snapshot_frame(meeting_id: int, engine: Engine | None = None) -> pd.DataFrame:
    """The frozen figures of an issued meeting (empty for a draft). Columns: ``SNAPSHOT_COLUMNS``."""
    t = s.snapshot_kpis
    query = (select(*[t.c[name] for name in SNAPSHOT_COLUMNS]).where(t.c.meeting_id == meeting_id)
             .order_by(t.c.kpi, t.c.area, t.c.period))
    with _engine(engine).connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=SNAPSHOT_COLUMNS).astype(
        {"value": float, "target": float, "base": float})


def snapshot_documents(meeting_id: int, engine: Engine | None = None) -> dict[str, list]:
    """``{"commentary": [...], "actions": [...]}`` as they stood when the meeting was issued."""
    t = s.snapshot_documents
    with _engine(engine).connect() as conn:
        row = conn.execute(select(t.c.commentary, t.c.actions)
                           .where(t.c.meeting_id == meeting_id)).first()
    if row is None:
        return {"commentary": [], "actions": []}
    return {"commentary": json.loads(row.commentary), "actions": json.loads(row.actions)}
