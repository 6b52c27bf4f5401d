"""Disabled Facilities Grant spend by district and year, and the change from the year before."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from dashboard.figures.periods import fy_label, parse_period, period_of_ym
from dashboard.queries import summary_sums as sums
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import districts_frame, programme_id
from dashboard.queries.ratios import percent_of


@cached_query
def spend_by_year(engine: Engine, programme: str, up_to: int | None = None) -> pd.DataFrame:
    """Columns: district, financial_year, fy, spend, allocation, change_pct, spend_pct.

    ``spend`` is the grant amount of DFGs completed in the year (the ``dfg_spend_vs_allocation``
    numerator); ``change_pct`` is the change from the district's previous year, as the
    Lightbulb board reported it (NaN for a district's first year). ``up_to`` (a ``ym``): as at the
    end of that month, so the last year is spend to date against its whole allocation, and no
    later year appears.
    """
    pid = programme_id(engine, programme)
    t, a, d = s.summary_dfg, s.allocations, s.districts
    spend = (select(d.c.name.label("district"), t.c.fy, func.sum(t.c.grant_sum).label("spend"))
             .join_from(t, d, t.c.district_id == d.c.id)
             .where(t.c.programme_id == pid, *([] if up_to is None else [t.c.ym <= up_to]))
             .group_by(d.c.name, t.c.fy))
    last_fy = None if up_to is None else period_of_ym(up_to, "year").fy
    allocated = (select(d.c.name.label("district"), a.c.fy,
                        sums.allocation_total_expression().label("allocation"))
                 .join_from(a, d, a.c.district_id == d.c.id)
                 .where(a.c.programme_id == pid, *([] if last_fy is None else [a.c.fy <= last_fy])))
    with engine.connect() as conn:
        spent = pd.DataFrame(conn.execute(spend).mappings().all(),
                             columns=["district", "fy", "spend"])
        budget = pd.DataFrame(conn.execute(allocated).mappings().all(),
                              columns=["district", "fy", "allocation"])
    frame = spent.merge(budget, on=["district", "fy"], how="outer")
    frame[["spend", "allocation"]] = frame[["spend", "allocation"]].astype(float)
    frame["spend"] = frame["spend"].fillna(0.0)
    frame = frame.sort_values(["district", "fy"]).reset_index(drop=True)
    previous = frame.groupby("district")["spend"].shift(1)
    consecutive = frame.groupby("district")["fy"].shift(1) == frame["fy"] - 1
    frame["change_pct"] = (100 * (frame["spend"] - previous) / previous.where(previous > 0)).where(
        consecutive)
    frame["spend_pct"] = percent_of(frame["spend"], frame["allocation"])
    frame.insert(1, "financial_year", frame["fy"].map(fy_label))
    return frame


FORECAST_COLUMNS = ["district", "spend_to_date", "months", "forecast", "allocation", "forecast_gap"]


def year_end_forecast(engine: Engine, programme: str, period: str) -> pd.DataFrame:
    """Columns ``FORECAST_COLUMNS``, a row per district then one with district None (all).

    A straight-line forecast of the financial year's DFG spend from the months to the end of
    ``period`` (spend to date × 12 ÷ months), against the year's allocation; ``forecast_gap`` is
    forecast − allocation, so a negative gap is a likely underspend. Boards use it to move money
    between districts before the year ends, not as an accounting forecast.
    """
    p = parse_period(period)
    pid = programme_id(engine, programme)
    names = districts_frame(engine, programme).set_index("district_id")["district"]
    spend = sums.spend_by_month(engine, pid, [p.fy])
    spend = spend[spend["ym"] <= p.last_ym].groupby("district_id")["spend"].sum()
    allocation = sums.allocation_totals(engine, pid, [p.fy]).groupby("district_id")["allocation"].sum()
    frame = pd.DataFrame({"district": names.astype(object),
                          "spend_to_date": spend.reindex(names.index).fillna(0.0),
                          "allocation": allocation.reindex(names.index)}).reset_index(drop=True)
    total = {"district": None, "spend_to_date": frame["spend_to_date"].sum(),
             "allocation": frame["allocation"].sum(min_count=1)}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame["months"] = p.last_fy_month
    frame["forecast"] = frame["spend_to_date"] * 12 / p.last_fy_month
    frame["forecast_gap"] = frame["forecast"] - frame["allocation"]
    return frame[FORECAST_COLUMNS].astype({"spend_to_date": float, "forecast": float,
                                           "allocation": float, "forecast_gap": float})
