"""The figures the public sees: every public page, chart, download, pack and ``kpi_cli --public``
reads them here, so each is a selection from one protected table per programme and period.

The whole table (every KPI, the programme and every district) is protected first and a view
only picks rows from it: two views can then never be combined into more than the table shows,
whatever districts or KPIs each asked for (``dashboard.access.public_figures``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from dashboard.access.public_figures import Basis, Rules, protect, rules_from_environment, select
from dashboard.figures.periods import Period, period_of_ym
from dashboard.queries.kpi_values import District, choose_districts, compute_kpis
from dashboard.queries.programmes import data_version, month_range
from dashboard.queries.registry import KPIS

# What a reader can use: the count behind each KPI about people (not pounds of allocation or
# finance lines), and which are a whole number over that count (a mean of whole days, a percentage
# of grants, a score of 1-5). A mean in pounds is left out: pence make its numerator anything.
BASIS = Basis(
    counts={kpi.id: kpi.base_key for kpi in KPIS
            if kpi.kind == "open_cases" or (kpi.kind == "ratio" and kpi.base)},
    scales={kpi.id: kpi.scale for kpi in KPIS
            if kpi.kind == "ratio" and kpi.denominator and kpi.unit != "£"},
    over_time=frozenset(kpi.base_key for kpi in KPIS if kpi.kind == "ratio" and kpi.base),
)


def public_kpis(engine: Engine, programme: str, periods: Sequence[Period],
                kpi_ids: Sequence[str] | None = None, districts: Sequence[str] | None = None,
                by_district: bool = False, rules: Rules | None = None) -> pd.DataFrame:
    """``compute_kpis``' rows as the public may see them, plus a ``suppressed`` column.

    ``periods`` (one grain, in the order wanted) are picked from the protected table of every
    year, quarter and month of the programme's financial years; ``districts`` (names or codes):
    one district's figures stand as the view's own; for several, the combined row is withheld."""
    rules = rules or rules_from_environment()
    span = month_range(engine, programme, date.today())
    years = {p.fy for p in periods}
    if span is not None:
        years |= {period_of_ym(span[0], "year").fy, period_of_ym(span[1], "year").fy}
    table = _protected(engine, programme, min(years), max(years), rules)
    rank = {p.label: i for i, p in enumerate(periods)}
    chosen = table[table["period"].isin(list(rank))]
    area = chosen["district_id"].fillna(-1)
    chosen = chosen.assign(_kpi=chosen["kpi"].map(_KPI_RANK), _area=area,
                           _period=chosen["period"].map(rank))
    chosen = chosen.sort_values(["_kpi", "_area", "_period"]).drop(columns=["_kpi", "_area", "_period"])
    return select(chosen.reset_index(drop=True), kpi_ids, _district_ids(table, districts), by_district)


_KPI_RANK = {kpi.id: i for i, kpi in enumerate(KPIS)}


def _protected(engine: Engine, programme: str, first_fy: int, last_fy: int,
               rules: Rules) -> pd.DataFrame:
    return _protected_table(str(engine.url), data_version(engine), programme, first_fy, last_fy,
                            rules, engine)


@st.cache_data(ttl=600, max_entries=16, show_spinner=False)
def _protected_table(url: str, version: int, programme: str, first_fy: int, last_fy: int,
                     rules: Rules, _engine: Engine) -> pd.DataFrame:
    """Every KPI for the programme and each district, for every year, quarter and month from
    ``first_fy`` to ``last_fy``, protected as one table (rule 7 needs the sums across periods).
    Kept per database (``url``) and data ``version``, so the pages' many views of it cost one
    protection; the engine is not part of the key."""
    fys = range(first_fy, last_fy + 1)
    grains = ([Period(fy, "year") for fy in fys],
              [Period(fy, "quarter", q) for fy in fys for q in range(1, 5)],
              [Period(fy, "month", m) for fy in fys for m in range(1, 13)])
    full = pd.concat([compute_kpis(_engine, programme, g, by_district=True) for g in grains],
                     ignore_index=True)
    return protect(full, rules, BASIS)


def _district_ids(table: pd.DataFrame, wanted: Sequence[str] | None) -> list[int] | None:
    """The ids of the districts named, as the KPI layer reads names and codes."""
    if wanted is None:
        return None
    areas = table.loc[table["district_id"].notna(), ["district_id", "district", "code"]].drop_duplicates()
    known = [District(int(i), name, code) for i, name, code in areas.itertuples(index=False)]
    return [d.id for d in choose_districts(known, wanted)]


def public_programme_to_date(engine: Engine, programme: str, period: Period,
                             kpi_ids: Sequence[str], rules: Rules | None = None) -> pd.DataFrame:
    """The whole programme's figures for the financial year from April to the end of ``period``,
    as the public may see them. Published for the programme only, where figures are exact (rule 1;
    the districts are protected with it so a programme of one district stays hidden), so they add
    no district figure to the protected table."""
    to_date = period.year_to_date()
    if not to_date.index:  # the whole year: a row of the protected table
        return public_kpis(engine, programme, [to_date], kpi_ids, rules=rules)
    full = compute_kpis(engine, programme, [to_date], by_district=True)
    return select(protect(full, rules or rules_from_environment()), kpi_ids, None, by_district=False)
