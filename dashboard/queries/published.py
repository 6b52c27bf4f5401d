"""The figures the public sees: every public page, chart, download, pack and ``kpi_cli --public``
reads them here, so each is a selection from one protected table per programme and period.

The whole table (every KPI, the programme and every district) is protected first and a view
only picks rows from it: two views can then never be combined into more than the table shows,
whatever districts or KPIs each asked for (``dashboard.access.public_figures``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from dashboard.access.public_figures import Ratio, Rules, protect, select
from dashboard.periods import Period
from dashboard.queries.kpi_values import compute_kpis
from dashboard.queries.registry import KPIS

# Ratios of a whole number to a count: a mean of whole days, a percentage of grants, a score of 1-5.
# A mean in pounds is left out: pence make its numerator anything, so it cannot be inverted.
RATIOS: dict[str, Ratio] = {
    kpi.id: Ratio(kpi.scale, "+".join(kpi.base))
    for kpi in KPIS if kpi.kind == "ratio" and kpi.denominator and kpi.unit != "£"
}


def public_kpis(engine: Engine, programme: str, periods: Sequence[Period],
                kpi_ids: Sequence[str] | None = None, districts: Sequence[str] | None = None,
                by_district: bool = False, rules: Rules | None = None) -> pd.DataFrame:
    """``compute_kpis``' rows as the public may see them, plus a ``suppressed`` column.

    ``districts`` (names or codes): one district's figures stand as the view's own; for several,
    the combined row is withheld (see ``select``)."""
    full = compute_kpis(engine, programme, periods, by_district=True)
    protected = protect(full, rules, RATIOS)
    return select(protected, kpi_ids, _district_ids(full, districts), by_district)


def _district_ids(table: pd.DataFrame, wanted: Sequence[str] | None) -> list[int] | None:
    """The ids of the districts named (by name or code, any case); unknown names are an error."""
    if wanted is None:
        return None
    areas = table.loc[table["district_id"].notna(), ["district_id", "district", "code"]].drop_duplicates()
    ids: dict[str, int] = {}
    for row in areas.itertuples():
        ids[str(row.district).lower()] = ids[str(row.code).lower()] = int(row.district_id)
    unknown = [w for w in wanted if w.strip().lower() not in ids]
    if unknown:
        raise ValueError(f"Unknown district(s): {', '.join(unknown)}. "
                         f"Districts: {', '.join(areas['district'])}.")
    return list(dict.fromkeys(ids[w.strip().lower()] for w in wanted))
