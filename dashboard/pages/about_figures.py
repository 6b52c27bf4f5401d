"""About the figures: what each KPI measures, how its status is decided and what periods mean, in
a reader's words. KPI names, definitions and targets come from the registry and status words from
``dashboard.figures.style``, so this page says exactly what the tiles, charts and exports use. Code ids
(which a targets return names) are kept to a collapsed part for analysts; the full technical notes
are in docs/kpi-definitions.md."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures.format import format_value
from dashboard.figures.style import rag_label
from dashboard.queries.registry import KPIS
from dashboard.ui.components import data_table

UNIT_WORDS = {"count": "a count", "days": "days", "%": "a percentage", "£": "pounds",
              "rate": "a rate"}


def _target(kpi) -> str:  # noqa: ANN001
    return "none" if kpi.default_target is None else format_value(kpi.default_target, kpi.unit)


def _kpis() -> None:
    st.header("The KPIs", anchor=False)
    st.markdown("Every figure — tiles, charts, tables and downloads — is worked out one way, from "
                "these definitions.")
    frame = pd.DataFrame({
        "KPI": [k.name for k in KPIS], "What it measures": [k.definition for k in KPIS],
        "Measured in": [UNIT_WORDS[k.unit] for k in KPIS], "Better when": [k.better_when for k in KPIS],
        "Default target": [_target(k) for k in KPIS],
    })
    data_table(frame, title="KPIs", column_config={
        "What it measures": st.column_config.TextColumn(width="large")})


def _periods() -> None:
    st.header("Periods", anchor=False)
    st.markdown(
        "- A period is a month (Jun 2019), a quarter of the financial year (2019/20 Q1) or a "
        "financial year (2019/20). The financial year runs 1 April to 31 March; Q1 is April–June, "
        "Q2 July–September, Q3 October–December, Q4 January–March.\n"
        "- \"In the period\" means the date named in the definition falls on or between the "
        "period's first and last day. A case closed on 30 June counts in Q1, not Q2.\n"
        "- Days are whole calendar days between two dates (a grant applied for on 1 February and "
        "completed on 21 June took 140 days).\n"
        "- No data: a count with nothing to count is 0; an average or a rate with nothing to "
        "divide by has no value and shows as \"–\".")


def _statuses() -> None:
    st.header("Status", anchor=False)
    st.markdown(
        "Each figure is compared with its target, taking into account whether higher or lower is "
        "better. Every status is shown with a symbol and words as well as a colour:\n"
        f"- **{rag_label('green')}**: on the good side of the target, or exactly on it (a grant at "
        "exactly 140 days meets the 20-week target).\n"
        f"- **{rag_label('amber')}**: on the wrong side, by no more than the tolerance.\n"
        f"- **{rag_label('red')}**: on the wrong side by more than the tolerance.\n"
        f"- **{rag_label('grey')}**: no target, no figure, or nothing behind the figure (for "
        "example no cases in the period), or a figure withheld to protect privacy.\n\n"
        "The target used is the most specific one set: for that district and financial year; then "
        "that district in any year; then the whole programme for that year; then the whole "
        "programme in any year; then the default target above. The tolerance is set with the "
        "target, in the KPI's own unit, or is 5% of the target when none is set.")


def _public() -> None:
    st.header("Public figures", anchor=False)
    st.markdown(
        "The public view and the published scrutiny pack show the same figures with rules applied "
        "so that nobody can be picked out from a small number:\n"
        "- The whole programme is shown exactly.\n"
        "- For a district, or a group of districts, small counts are shown as \\*, other counts "
        "are rounded to the nearest 5, and an average, percentage or rate based on few cases, "
        "grants or responses is shown as \\*.\n"
        "- Where a district's figure is hidden, another figure is hidden too, so that it cannot be "
        "worked out by subtraction.\n"
        "- Trends charts with a hidden period are drawn without process limits.")


def _for_analysts() -> None:
    with st.expander("For analysts: KPI ids", expanded=False):
        st.markdown("The id of each KPI, as a targets return names it. The full technical notes "
                    "are in the dashboard's documentation (KPI definitions).")
        data_table(pd.DataFrame({"KPI": [k.name for k in KPIS], "Id": [k.id for k in KPIS]}),
                   title="KPI ids")


st.title("About the figures")
st.markdown("What each figure on this dashboard measures, how its status is decided, and what the "
            "periods mean.")
_kpis()
_statuses()
_periods()
_public()
_for_analysts()
st.caption("The same definitions drive every tile, chart, table and download in this dashboard.")
