"""Cases and the customer journey: demand, throughput, waiting time, and where people come from
and go next."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures import charts
from dashboard.figures.format import format_period_label, format_value
from dashboard.figures.periods import Period
from dashboard.queries import breakdowns
from dashboard.queries.board import kpi_history
from dashboard.ui.components import chart, data_table, empty_state, how_measured, page_header
from dashboard.ui.filters import Filters, current_filters

MONTHS_SHOWN = 12
MIX = (("referral_source", "Referral sources"), ("referral_reason", "Reasons for referral"),
       ("case_type", "Case types"), ("referrals_out", "Referrals made to other services"),
       ("care_act_outcomes", "Care Act outcomes recorded"), ("interventions", "Interventions"))


def _show_flow(filters: Filters) -> None:
    last_month = Period(filters.period.fy, "month", filters.period.last_fy_month)
    first_month = last_month.shift(-(MONTHS_SHOWN - 1))
    flow = breakdowns.monthly_cases(filters.programme, first_month.label, last_month.label,
                                    filters.districts)
    open_cases = kpi_history(filters.programme, last_month.label, MONTHS_SHOWN - 1,
                             ("open_cases",), filters.districts)
    flow["open at month end"] = open_cases["value"].astype(int).to_numpy()
    long = flow.melt(id_vars="month", value_vars=["referred", "completed", "open at month end"],
                     var_name="measure", value_name="cases")
    fig = charts.line_chart(long, "month", "cases", "Referrals, completions and open cases by month",
                            "Cases", "count", series="measure", x_title="Month")
    summary = (f"In the {MONTHS_SHOWN} months to {last_month.long_label}: "
               f"{flow['referred'].sum():,} referrals, {flow['completed'].sum():,} completions; "
               f"{flow['open at month end'].iloc[-1]:,} cases open at the end.")
    table = flow.assign(month=flow["month"].map(format_period_label))  # Apr 2019, as on the axis
    chart(fig, summary, table.rename(columns=str.capitalize), "flow")


def _show_days(filters: Filters) -> None:
    st.subheader("How long cases take")
    left, right = st.columns(2)
    with left:
        bands = breakdowns.case_mix(filters.programme, filters.period.label, "days_band",
                                    filters.districts)
        if bands.empty:
            empty_state("completed cases")
        else:
            fig = charts.bar_chart(bands, "category", "cases", "Days from referral to completion",
                                   "Cases completed", "count")
            chart(fig, f"{bands['cases'].sum():,} cases completed in {filters.period.long_label}; "
                  f"most often in the band {bands.loc[bands['cases'].idxmax(), 'category']}.",
                  bands.rename(columns={"category": "Days", "cases": "Cases"}), "bands")
    with right:
        trend = kpi_history(filters.programme, filters.period.label, 7, ("avg_days_to_complete",),
                            filters.districts)
        target = trend["target"].dropna().iloc[-1] if trend["target"].notna().any() else None
        fig = charts.line_chart(trend, "period", "value", "Average days to complete a case",
                                "Average days", "days", target=target)
        shown = trend.assign(value=[format_value(v, "days") for v in trend["value"]])
        chart(fig, "Average days to complete, last eight periods, against the target of "
              f"{format_value(target, 'days')}.", shown[["period", "value", "rag"]], "days")


def _show_mix(filters: Filters) -> None:
    st.subheader("Where cases come from and where they go")
    columns = st.columns(2)
    for i, (dimension, title) in enumerate(MIX):
        with columns[i % 2]:
            mix = breakdowns.case_mix(filters.programme, filters.period.label, dimension,
                                      filters.districts)
            if mix.empty:
                empty_state(title.lower())
                continue
            fig = charts.bar_chart(mix, "category", "cases", title, "Cases", "count", horizontal=True)
            chart(fig, f"{title}: most common is {mix['category'].iloc[0]} "
                  f"({mix['cases'].iloc[0]:,} of {mix['cases'].sum():,}).",
                  mix.rename(columns={"category": title, "cases": "Cases"}), f"mix_{dimension}")


def _show_roles(filters: Filters) -> None:
    st.subheader("By worker role")
    roles = breakdowns.worker_roles(filters.programme, filters.period.label, filters.districts)
    shown = pd.DataFrame({"Worker role": roles["worker_role"], "Referred": roles["referred"],
                          "Completed": roles["completed"],
                          "Average days": [format_value(v, "days") for v in roles["average_days"]]})
    data_table(shown, title="By worker role")


def render(filters: Filters) -> None:
    page_header("Cases and customer journey", filters)
    history = kpi_history(filters.programme, filters.period.label, 0,
                          ("cases_completed", "open_cases"), filters.districts)
    if (history["base"].fillna(0) == 0).all():
        empty_state("cases")
        return
    _show_flow(filters)
    _show_days(filters)
    _show_mix(filters)
    _show_roles(filters)
    how_measured(("cases_completed", "avg_days_to_complete", "open_cases"))


render(current_filters())
