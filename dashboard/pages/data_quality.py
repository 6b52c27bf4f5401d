"""Data quality: how complete each partner's returns are, records worth a second look, and how
up to date each partner is."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.figures.format import format_date
from dashboard.queries import quality
from dashboard.ui.components import data_table, empty_state, page_header
from dashboard.ui.filters import Filters, current_filters

RETURNS = {"cases": "Cases", "dfg": "DFG", "satisfaction": "Satisfaction", "feedback": "Feedback"}


def field_name(kind: str, column: str) -> str:
    """``cases``, ``assessment_date`` -> ``Cases: assessment date``."""
    return f"{RETURNS.get(kind, kind.capitalize())}: {column.replace('_', ' ')}"


def _show_completeness(filters: Filters) -> None:
    st.subheader("Completeness of optional fields")
    frame = quality.completeness(filters.programme)
    if filters.districts:
        frame = frame[frame["district"].isin(filters.districts)]
    if frame.empty:
        empty_state("returns")
        return
    frame = frame.assign(field=[field_name(k, c) for k, c in
                                zip(frame["kind"], frame["column"], strict=True)])
    percent = frame.pivot(index="field", columns="district", values="percent").round(0)
    percent = percent.rename_axis(index="Field", columns=None)
    st.caption("Percentage of rows with the field filled in, by partner. Low figures weaken the "
               "breakdowns that use the field.")
    data_table(percent.map(lambda v: "–" if pd.isna(v) else f"{v:.0f}%"), hide_index=False,
               title="Completeness of optional fields", export=percent.reset_index(),
               units=dict.fromkeys(percent.columns, "%"),
               column_config={"Field": st.column_config.TextColumn(width=190)})


def _show_suspicious(filters: Filters) -> None:
    st.subheader("Records to check")
    found = quality.suspicious(filters.programme, date.today())
    if filters.districts:
        found = found[found["district"].isin(filters.districts) | (found["district"] == "")]
    if found.empty:
        st.success("No suspicious records: no grants above the mandatory maximum, no dates in the "
                   "future, no case closed before its referral, no reference sent by two districts.")
        return
    counts = found.groupby("check").size()
    st.caption(" · ".join(f"{name}: {n}" for name, n in counts.items()))
    shown = pd.DataFrame({"Check": found["check"], "Return": found["kind"].map(RETURNS),
                          "Partner": found["district"], "Reference": found["reference"],
                          "Date": found["date"].map(lambda d: format_date(d) if d else "")})
    data_table(shown, title="Records to check", column_config={
        "Check": st.column_config.TextColumn(width=300),
        "Return": st.column_config.TextColumn(width=90),
        "Partner": st.column_config.TextColumn(width=160),
        "Reference": st.column_config.TextColumn(width=150),
        "Date": st.column_config.TextColumn(width=140)})


def _show_freshness(filters: Filters) -> None:
    st.subheader("Latest record by partner and return")
    fresh = quality.freshness(filters.programme)
    if filters.districts:
        fresh = fresh[fresh["district"].isin(filters.districts)]
    shown = fresh.set_index("district").map(format_date).rename(columns=RETURNS)
    data_table(shown.rename_axis(index="Partner"), hide_index=False,
               title="Latest record by partner")


def render(filters: Filters) -> None:
    page_header("Data quality", filters)
    _show_completeness(filters)
    _show_suspicious(filters)
    _show_freshness(filters)


render(current_filters())
