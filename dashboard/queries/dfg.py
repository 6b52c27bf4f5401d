"""Disabled Facilities Grant spend by district and year, and the change from the year before."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from dashboard.periods import fy_label
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import programme_id


@cached_query
def spend_by_year(engine: Engine, programme: str) -> pd.DataFrame:
    """Columns: district, financial_year, fy, spend, allocation, change_pct.

    ``spend`` is the grant amount of DFGs completed in the year (the ``dfg_spend_vs_allocation``
    numerator); ``change_pct`` is the change from the district's previous year, as the
    Lightbulb board reported it (NaN for a district's first year).
    """
    pid = programme_id(engine, programme)
    t, a, d = s.summary_dfg, s.allocations, s.districts
    spend = (select(d.c.name.label("district"), t.c.fy, func.sum(t.c.grant_sum).label("spend"))
             .join_from(t, d, t.c.district_id == d.c.id)
             .where(t.c.programme_id == pid).group_by(d.c.name, t.c.fy))
    allocated = (select(d.c.name.label("district"), a.c.fy,
                        (a.c.dfg_capital_grant + func.coalesce(a.c.local_capital, 0)
                         + func.coalesce(a.c.social_care_capital, 0)).label("allocation"))
                 .join_from(a, d, a.c.district_id == d.c.id).where(a.c.programme_id == pid))
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
    frame.insert(1, "financial_year", frame["fy"].map(fy_label))
    return frame
