"""Trends: any KPI over time as an XmR chart, so the board can tell signal from noise.

Public view: limits come from the figures shown (rounded below programme level); if any period is
withheld the series is drawn without limits, since no honest limits exist without it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access.public_figures import footnote, suppressed_mask
from dashboard.figures import charts, spc
from dashboard.figures.format import format_value
from dashboard.queries.board import kpi_history
from dashboard.queries.registry import KPIS
from dashboard.ui.components import chart, empty_state, how_measured, page_header
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.meeting_components import commentary_panel

PERIODS_BACK = {"month": 23, "quarter": 11, "year": 4}
UNIT_TEXT = {"days": " days", "%": "%", "£": "", "count": "", "rate": ""}


def _choose_kpi() -> str:
    names = {kpi.name: kpi.id for kpi in KPIS}
    chosen = st.selectbox("KPI", list(names), key="kpi", bind="query-params",
                          index=list(names.values()).index("avg_days_to_complete"))
    return names[chosen]


def _show_labels(result: spc.SpcResult) -> None:
    left, right = st.columns(2)
    left.markdown(f"**Variation:** {spc.VARIATION_LABELS[result.variation]}")
    assurance = result.assurance or "no target to assure against"
    right.markdown(f"**Assurance:** {assurance.capitalize()}")


def _show_without_limits(series: pd.DataFrame, row: pd.Series, filters: Filters,
                         target: float | None) -> None:
    """Public view with withheld periods: limits from the other periods alone would misdescribe the
    process, and limits from every period would give the withheld figures away, so none are drawn."""
    hidden = suppressed_mask(series)
    st.markdown(f"**No process limits:** {hidden.sum()} of these {len(series)} periods are withheld "
                "to protect privacy, so the figures shown are plotted as they are, without process "
                "limits or special-cause tests: limits worked out without those periods would "
                "misdescribe the process, and limits worked out with them would give them away.")
    fig = charts.line_chart(series, "period", "value", f"{row['name']}: {filters.programme}",
                            charts.unit_axis_title(row["name"], row["unit"]), row["unit"], target=target)
    table = pd.DataFrame({"Period": series["period"],
                          "Value": [format_value(v, row["unit"], suppressed=s) for v, s in
                                    zip(series["value"], hidden, strict=True)]})
    summary = (f"{row['name']} by period; {hidden.sum()} of {len(series)} periods withheld (gaps in "
               "the line, * in the table), so no process limits are shown.")
    chart(fig, summary, table, "spc")


def render(filters: Filters) -> None:
    page_header("Trends", filters, "Statistical process control in the NHS *Making Data Count* "
                "style: the process limits show how much the figure varies by chance; points "
                "marked ◆ (improving) or ■ (concerning) are unlikely to be chance.")
    kpi_id = _choose_kpi()
    history = kpi_history(filters.programme, filters.period.label,
                          PERIODS_BACK[filters.period.grain], (kpi_id,), filters.districts,
                          public=filters.public)
    series = history[history["value"].notna() | suppressed_mask(history)]  # figures, shown or withheld
    if len(series) < 2:
        empty_state("trend (at least two periods with figures are needed)")
        return
    row = series.iloc[-1]
    target = None if pd.isna(row["target"]) else float(row["target"])
    good = row["good"]
    if filters.public:
        st.caption(f"\\* {footnote()}")
    if suppressed_mask(series).any():
        _show_without_limits(series, row, filters, target)
        how_measured([kpi_id])
        return
    result = spc.xmr(series["value"].tolist(), good=good, target=target)
    _show_labels(result)
    fig = charts.spc_chart(result, series["period"].tolist(), f"{row['name']}: {filters.programme}",
                           charts.unit_axis_title(row["name"], row["unit"]), row["unit"],
                           target=target, good=good)
    table = pd.DataFrame({
        "Period": series["period"],
        "Value": [format_value(v, row["unit"]) for v in series["value"]],
        "Special cause": ["; ".join(r) or "–" for r in result.reasons],
    })
    chart(fig, spc.describe(result, row["name"], UNIT_TEXT[row["unit"]]), table, "spc")
    if not filters.public:
        commentary_panel(filters, (kpi_id,), list(filters.districts or [None]), "trends_comment")
    how_measured([kpi_id])


render(current_filters())
