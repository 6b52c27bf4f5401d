"""Sums of summary-table columns per district and period, aggregated in the database.

Each function returns one row per (district_id, period) — ``district_id`` is NULL for finance lines
of partners that are not districts — so a programme total is the sum of the rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, Select, case, func, literal, select

from dashboard.db import schema as s
from dashboard.figures.periods import Grain, Period, fy_label
from dashboard.figures.vocabulary import INCOME_COST_LINES


def _period_columns(table, grain: Grain) -> list:  # noqa: ANN001 - a summary Table
    if grain == "month":
        return [table.c.ym]
    if grain == "quarter":
        return [table.c.fy, table.c.quarter]
    return [table.c.fy]


def _district_filter(table, district_ids: Sequence[int] | None) -> list:  # noqa: ANN001
    return [] if district_ids is None else [table.c.district_id.in_(list(district_ids))]


def _period_sums_query(table_name: str, columns: Sequence[str], programme_id: int,
                       periods: Sequence[Period], district_ids: Sequence[int] | None,
                       worker_role: str | None) -> Select:
    table = s.metadata.tables[table_name]
    grain = periods[0].grain
    keys = [table.c.district_id, *_period_columns(table, grain)]
    if "theme" in table.c:
        keys.append(table.c.theme)
    conditions = [
        table.c.programme_id == programme_id,
        table.c.ym.between(periods[0].first_ym, periods[-1].last_ym),
        *_district_filter(table, district_ids),
    ]
    if worker_role is not None and "worker_role" in table.c:
        conditions.append(table.c.worker_role == worker_role)
    query = (
        select(*keys, *(func.sum(table.c[name]).label(name) for name in columns))
        .where(*conditions)
        .group_by(*keys)
    )
    return query


def _label(row: dict, grain: Grain) -> str:
    if grain == "month":
        return f"{row['ym'] // 100}-{row['ym'] % 100:02d}"
    if grain == "quarter":
        return f"{fy_label(row['fy'])}-Q{row['quarter']}"
    return fy_label(row["fy"])


def period_sum_rows(
    engine: Engine,
    table_name: str,
    columns: Sequence[str],
    programme_id: int,
    periods: Sequence[Period],
    district_ids: Sequence[int] | None = None,
    worker_role: str | None = None,
) -> list[dict]:
    """One dict per district (None: finance lines of partners that are not districts), period
    label and, for satisfaction, theme, holding the sum of each of ``columns`` as a float.

    ``periods`` share one grain and are contiguous; rows exist only where the summary has data.
    Satisfaction sums are kept per theme because each theme is its own KPI.
    """
    grain = periods[0].grain
    query = _period_sums_query(table_name, columns, programme_id, periods, district_ids, worker_role)
    with engine.connect() as conn:
        found = conn.execute(query).mappings().all()
    return [{"district_id": row["district_id"], "period": _label(row, grain),
             **({"theme": row["theme"]} if "theme" in row else {}),
             **{c: float(row[c] or 0) for c in columns}} for row in found]


def net_open_by_month(
    engine: Engine,
    programme_id: int,
    until_ym: int,
    district_ids: Sequence[int] | None = None,
    worker_role: str | None = None,
) -> pd.DataFrame:
    """Columns: district_id, ym, net (referrals − closures in that month), up to ``until_ym``.

    Open cases at a period end are the running total of ``net`` to that month, because a case is
    open from its referral month until its closure month.
    """
    t = s.summary_cases
    conditions = [t.c.programme_id == programme_id, t.c.ym <= until_ym,
                  *_district_filter(t, district_ids)]
    if worker_role is not None:
        conditions.append(t.c.worker_role == worker_role)
    query = (
        select(t.c.district_id, t.c.ym, func.sum(t.c.referred - t.c.closed).label("net"))
        .where(*conditions)
        .group_by(t.c.district_id, t.c.ym)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["district_id", "ym", "net"])


def spend_by_month(
    engine: Engine, programme_id: int, fys: Sequence[int], district_ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """Columns: district_id, fy, ym, spend — completed-grant amounts by completion month."""
    t = s.summary_dfg
    query = (
        select(t.c.district_id, t.c.fy, t.c.ym, func.sum(t.c.grant_sum).label("spend"))
        .where(t.c.programme_id == programme_id, t.c.fy.in_(list(fys)),
               *_district_filter(t, district_ids))
        .group_by(t.c.district_id, t.c.fy, t.c.ym)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["district_id", "fy", "ym", "spend"])
    return frame.astype({"spend": float})


def allocation_total_expression():  # noqa: ANN201 - SQL expression
    """A district's capital allocation for a year: DFG capital grant + local capital + social care
    capital (the last two optional). The one place this sum is written."""
    a = s.allocations
    return (a.c.dfg_capital_grant + func.coalesce(a.c.local_capital, 0)
            + func.coalesce(a.c.social_care_capital, 0))


def allocation_totals(
    engine: Engine, programme_id: int, fys: Sequence[int], district_ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """Columns: district_id, fy, allocation (DFG capital grant + local + social care capital)."""
    a = s.allocations
    query = select(a.c.district_id, a.c.fy, allocation_total_expression().label("allocation")).where(
        a.c.programme_id == programme_id, a.c.fy.in_(list(fys)), *_district_filter(a, district_ids)
    )
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["district_id", "fy", "allocation"])
    return frame.astype({"allocation": float})


def adverse_variance_expression():  # noqa: ANN201 - SQL expression
    """Actual − budget, reversed for income lines, so a positive figure is always adverse."""
    f = s.finance
    return case(
        (f.c.cost_line.in_(INCOME_COST_LINES), f.c.budget - f.c.actual),
        else_=f.c.actual - f.c.budget,
    )


def variance_by_month(
    engine: Engine, programme_id: int, fys: Sequence[int], district_ids: Sequence[int] | None = None
) -> pd.DataFrame:
    """Columns: district_id, fy, month, variance, lines — per partner district (NULL: others)."""
    f = s.finance
    query = (
        select(
            f.c.district_id,
            f.c.fy,
            f.c.month,
            func.sum(adverse_variance_expression()).label("variance"),
            func.count(literal(1)).label("lines"),
        )
        .where(f.c.programme_id == programme_id, f.c.fy.in_(list(fys)))
        .group_by(f.c.district_id, f.c.fy, f.c.month)
    )
    if district_ids is not None:
        query = query.where(f.c.district_id.in_(list(district_ids)))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["district_id", "fy", "month", "variance", "lines"])
    return frame.astype({"variance": float, "lines": int})
