"""The Making Data Count summary: per KPI, the latest figure, its target, and the variation and
assurance labels of its XmR chart over the last twelve periods, as the board reads them together."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures import spc
from dashboard.figures.periods import parse_period
from dashboard.queries.board import HEADLINE_KPIS
from dashboard.queries.cache import cached_query
from dashboard.queries.kpi_values import compute_kpis

MDC_PERIODS = 12
# Symbols and words, so the label reads without colour and in black-and-white print.
ASSURANCE_LABELS = {
    "target consistently met": "✔ Target consistently met",
    "target consistently not met": "✖ Target consistently not met",
    "hit and miss": "↕ Hit and miss — target sometimes met",
    None: "– No target to assure against",
}
NOT_ENOUGH = "– Not enough data (fewer than two periods)"
MDC_COLUMNS = ["kpi", "name", "unit", "good", "value", "target", "rag", "variation", "assurance"]


def summarise(history: pd.DataFrame, period: str) -> pd.DataFrame:
    """One row per KPI of ``history`` (programme rows, any periods up to ``period``)."""
    rows = []
    for kpi, group in history.groupby("kpi", sort=False):
        group = group.assign(order=group["period"].map(parse_period)).sort_values("order")
        group = group[group["base"].ne(0).cummax() | (group["period"] == period)]  # from the start
        latest = group[group["period"] == period].iloc[-1]
        values = group["value"].dropna().tolist()
        target = None if pd.isna(latest["target"]) else float(latest["target"])
        if len(values) >= 2 and pd.notna(latest["value"]):
            result = spc.xmr(values, good=latest["good"], target=target)
            variation = spc.VARIATION_LABELS[result.variation]
            assurance = ASSURANCE_LABELS[result.assurance]
        else:
            variation, assurance = NOT_ENOUGH, ASSURANCE_LABELS[None] if target is None else NOT_ENOUGH
        rows.append({"kpi": kpi, "name": latest["name"], "unit": latest["unit"], "good": latest["good"],
                     "value": latest["value"], "target": target, "rag": latest["rag"],
                     "variation": variation, "assurance": assurance})
    return pd.DataFrame(rows, columns=MDC_COLUMNS).astype({"value": float, "target": float})


@cached_query
def _mdc(engine: Engine, programme: str, period: str, districts: tuple[str, ...] | None,
         kpi_ids: tuple[str, ...]) -> pd.DataFrame:
    last = parse_period(period)
    periods = [last.shift(-n) for n in range(MDC_PERIODS - 1, -1, -1)]
    history = compute_kpis(engine, programme, periods, kpi_ids=kpi_ids, districts=districts)
    return summarise(history, last.label)


def mdc_summary(programme: str, period: str, districts: tuple[str, ...] | None = None,
                kpi_ids: tuple[str, ...] = HEADLINE_KPIS) -> pd.DataFrame:
    """Columns ``MDC_COLUMNS``; the value is left unformatted for the page to format by unit."""
    return _mdc(programme, parse_period(period).label,
                None if districts is None else tuple(districts), tuple(kpi_ids))
