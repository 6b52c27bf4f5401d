"""Board summary: every headline KPI for the chosen period, against its target."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.components import page_header
from dashboard.filters import Filters, current_filters
from dashboard.format import format_change, format_value
from dashboard.queries.board import HEADLINE_KPIS, kpi_history

RAG_TEXT = {"green": "On target", "amber": "Near target", "red": "Off target", "grey": "No target"}


def _show_tiles(latest: pd.DataFrame, previous: pd.DataFrame) -> None:
    before = previous.set_index("kpi")["value"]
    rows = latest.to_dict("records")
    for start in range(0, len(rows), 3):  # row by row, so a phone reads them in order
        for column, row in zip(st.columns(3), rows[start:start + 3], strict=False):
            _show_tile(column, row, before)


def _show_tile(column, row: dict, before: pd.Series) -> None:  # noqa: ANN001
    change = None
    if pd.notna(row["value"]) and pd.notna(before.get(row["kpi"])):
        change = row["value"] - before[row["kpi"]]
    with column, st.container(border=True):
        st.metric(
            row["name"],
            format_value(row["value"], row["unit"]),
            delta=format_change(change, row["unit"]),
            delta_color="inverse" if row["good"] == "lower" else "normal",
        )
        target = (f" · target {format_value(row['target'], row['unit'])}"
                  if pd.notna(row["target"]) else "")
        st.caption(f"**{RAG_TEXT[row['rag']]}**{target}")


def _show_table(latest: pd.DataFrame) -> None:
    table = pd.DataFrame({
        "KPI": latest["name"],
        "Value": [format_value(v, u) for v, u in zip(latest["value"], latest["unit"], strict=True)],
        "Target": [format_value(v, u) for v, u in zip(latest["target"], latest["unit"], strict=True)],
        "Status": latest["rag"].map(RAG_TEXT),
    })
    st.dataframe(table, hide_index=True, width="stretch")


def render(filters: Filters) -> None:
    page_header("Board summary", filters)
    history = kpi_history(filters.programme, filters.period.label, 1, HEADLINE_KPIS,
                          filters.districts)
    latest = history[history["period"] == filters.period.label]
    previous = history[history["period"] == filters.period.previous().label]
    if (latest["base"].fillna(0) == 0).all():
        st.info("No figures for this period and area. Choose another period or district.")
        return
    _show_tiles(latest, previous)
    with st.expander("Show as table"):
        _show_table(latest)


render(current_filters())
