"""Counts by category (referral source, work type, ...) and by month, from the summary tables."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from dashboard.db.summaries import DAYS_BANDS, LAST_BAND
from dashboard.figures.periods import parse_period
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import districts_frame, programme_id

DAYS_BAND_ORDER = [label for _, label in DAYS_BANDS] + [LAST_BAND]


def _district_ids(engine: Engine, programme: str, districts: tuple[str, ...] | None) -> list[int] | None:
    if districts is None:
        return None
    frame = districts_frame(engine, programme)
    return list(frame[frame["district"].isin(districts)]["district_id"])


def _scope(table, engine: Engine, programme: str, first_ym: int, last_ym: int,  # noqa: ANN001
           districts: tuple[str, ...] | None) -> list:
    conditions = [table.c.programme_id == programme_id(engine, programme),
                  table.c.ym.between(first_ym, last_ym)]
    ids = _district_ids(engine, programme, districts)
    if ids is not None:
        conditions.append(table.c.district_id.in_(ids))
    return conditions


def _frame(engine: Engine, query, columns: list[str]) -> pd.DataFrame:  # noqa: ANN001
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=columns)


@cached_query
def case_mix(engine: Engine, programme: str, period: str, dimension: str,
             districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Columns: category, cases — cases referred in the period by ``dimension`` (referral_source,
    referral_reason, case_type, worker_role, interventions, referrals_out, care_act_outcomes), or
    cases completed in the period by ``days_band``. Blank categories read "Not recorded"."""
    p = parse_period(period)
    t = s.summary_case_mix
    query = (select(t.c.category, func.sum(t.c.cases).label("cases"))
             .where(*_scope(t, engine, programme, p.first_ym, p.last_ym, districts),
                    t.c.dimension == dimension)
             .group_by(t.c.category))
    frame = _frame(engine, query, ["category", "cases"]).astype({"cases": int})
    frame["category"] = frame["category"].replace("", "Not recorded")
    if dimension == "days_band":
        order = {label: i for i, label in enumerate(DAYS_BAND_ORDER)}
        return frame.sort_values("category", key=lambda c: c.map(order)).reset_index(drop=True)
    return frame.sort_values(["cases", "category"], ascending=[False, True]).reset_index(drop=True)


@cached_query
def dfg_mix(engine: Engine, programme: str, period: str, dimension: str,
            districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Columns: category, completed, grant_sum, average_grant — grants completed in the period
    by ``dimension`` (work_type, tenure, client_group)."""
    p = parse_period(period)
    t = s.summary_dfg_mix
    query = (select(t.c.category, func.sum(t.c.completed).label("completed"),
                    func.sum(t.c.grant_sum).label("grant_sum"))
             .where(*_scope(t, engine, programme, p.first_ym, p.last_ym, districts),
                    t.c.dimension == dimension)
             .group_by(t.c.category))
    frame = _frame(engine, query, ["category", "completed", "grant_sum"])
    frame = frame.astype({"completed": int, "grant_sum": float})
    frame["category"] = frame["category"].replace("", "Not recorded")
    frame["average_grant"] = frame["grant_sum"] / frame["completed"].where(frame["completed"] > 0)
    return frame.sort_values("completed", ascending=False).reset_index(drop=True)


@cached_query
def monthly_cases(engine: Engine, programme: str, first: str, last: str,
                  districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Columns: month (2019-06), referred, completed, closed — per month from ``first`` to
    ``last`` (periods of any grain; months outside data are zero)."""
    start, end = parse_period(first), parse_period(last)
    t = s.summary_cases
    query = (select(t.c.ym, func.sum(t.c.referred).label("referred"),
                    func.sum(t.c.completed).label("completed"), func.sum(t.c.closed).label("closed"))
             .where(*_scope(t, engine, programme, start.first_ym, end.last_ym, districts))
             .group_by(t.c.ym))
    frame = _frame(engine, query, ["ym", "referred", "completed", "closed"]).set_index("ym")
    months = pd.period_range(start.start, end.end, freq="M")
    index = [m.year * 100 + m.month for m in months]
    frame = frame.reindex(index, fill_value=0).astype(int).reset_index(names="ym")
    frame.insert(0, "month", [f"{ym // 100}-{ym % 100:02d}" for ym in frame["ym"]])
    return frame.drop(columns="ym")


@cached_query
def worker_roles(engine: Engine, programme: str, period: str,
                 districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Columns: worker_role, referred, completed, average_days — per role in the period."""
    p = parse_period(period)
    t = s.summary_cases
    query = (select(t.c.worker_role, func.sum(t.c.referred).label("referred"),
                    func.sum(t.c.completed).label("completed"),
                    func.sum(t.c.completed_days_sum).label("days"))
             .where(*_scope(t, engine, programme, p.first_ym, p.last_ym, districts))
             .group_by(t.c.worker_role))
    frame = _frame(engine, query, ["worker_role", "referred", "completed", "days"])
    frame = frame.astype({"referred": int, "completed": int, "days": float})
    frame["worker_role"] = frame["worker_role"].replace("", "Not recorded")
    frame["average_days"] = frame["days"] / frame["completed"].where(frame["completed"] > 0)
    return frame.drop(columns="days").sort_values("worker_role").reset_index(drop=True)


@cached_query
def feedback_by_district(engine: Engine, programme: str, period: str,
                         districts: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Columns: district, compliments, complaints, upheld, resolved, within_20, within_35,
    within_65, response_days (sum), average_response_days — received in the period."""
    p = parse_period(period)
    t, d = s.summary_feedback, s.districts
    sums = {name: func.sum(t.c[column]).label(name) for name, column in (
        ("compliments", "compliments"), ("complaints", "complaints"), ("upheld", "complaints_upheld"),
        ("resolved", "complaints_resolved"), ("within_20", "resolved_within_20"),
        ("within_35", "resolved_within_35"), ("within_65", "resolved_within_65"),
        ("days", "complaint_response_days_sum"))}
    query = (select(d.c.name.label("district"), *sums.values())
             .join_from(t, d, t.c.district_id == d.c.id)
             .where(*_scope(t, engine, programme, p.first_ym, p.last_ym, districts))
             .group_by(d.c.name).order_by(d.c.name))
    frame = _frame(engine, query, ["district", *sums])
    counts = [c for c in sums if c != "days"]
    frame = frame.astype({**dict.fromkeys(counts, int), "days": float})
    frame["average_response_days"] = frame["days"] / frame["resolved"].where(frame["resolved"] > 0)
    return frame.rename(columns={"days": "response_days"})


RESPONSE_MARKERS = (20, 35, 65)  # days: the response-time markers scrutiny asked for


def response_bands(feedback: pd.DataFrame) -> tuple[pd.DataFrame, float | None]:
    """Resolved complaints by cumulative band (answered, complaints, share %) and the average
    response in days, from the summed days (never rebuilt from district means)."""
    resolved = int(feedback["resolved"].sum())
    last = RESPONSE_MARKERS[-1]
    bands = pd.DataFrame({
        "answered": [f"within {days} days" for days in RESPONSE_MARKERS] + [f"over {last} days"],
        "complaints": [int(feedback[f"within_{d}"].sum()) for d in RESPONSE_MARKERS]
        + [resolved - int(feedback[f"within_{last}"].sum())]})
    bands["share"] = 100 * bands["complaints"] / resolved if resolved else float("nan")
    average = float(feedback["response_days"].sum()) / resolved if resolved else None
    return bands, average
