"""Disabled Facilities Grants: both clocks against the 20-week target, drop-out, cost against the
benchmark, what the grants paid for, and spend against allocation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures import charts
from dashboard.figures.format import format_money, format_value
from dashboard.figures.periods import Period
from dashboard.figures.style import rag_label
from dashboard.queries import breakdowns, dfg
from dashboard.queries.board import kpi_history
from dashboard.ui.components import chart, empty_state, how_measured, page_header
from dashboard.ui.filters import Filters, current_filters

CLOCKS = (("dfg_days_application_to_completion", "Application to completion"),
          ("dfg_end_to_end_days", "Enquiry to completion"))
BY_DISTRICT = ("dfg_within_20_weeks", "dfg_drop_out_rate", "dfg_average_cost")


def _show_clocks(filters: Filters) -> None:
    st.subheader("Time to complete a grant, by district and quarter")
    st.caption("Two clocks: the 20-week target runs from the valid application; the customer's "
               "whole wait runs from the first enquiry. Both end when the works are completed.")
    last = Period(filters.period.fy, "quarter", (filters.period.last_fy_month - 1) // 3 + 1)
    for kpi_id, title in CLOCKS:
        table = kpi_history(filters.programme, last.label, 3, (kpi_id,), filters.districts,
                            by_district=True)
        table = table[table["district"].notna()].dropna(subset=["value"])
        if table.empty:
            empty_state(title.lower())
            continue
        target = table["target"].dropna().iloc[0] if table["target"].notna().any() else None
        fig = charts.line_chart(table, "period", "value", f"{title} (average days)", "Average days",
                                "days", series="district", target=target, x_title="Quarter")
        latest = table[table["period"] == table["period"].max()]
        met = int((latest["rag"] == "green").sum())
        summary = (f"{title}, last four quarters. In {latest['period'].iloc[0]}, {met} of "
                   f"{len(latest)} districts met the target." if target else
                   f"{title}, last four quarters, by district.")
        pivot = table.pivot(index="district", columns="period", values="value").round(1)
        chart(fig, summary, pivot.reset_index(), kpi_id)


def _show_district_bars(filters: Filters) -> None:
    table = kpi_history(filters.programme, filters.period.label, 0, BY_DISTRICT, filters.districts,
                        by_district=True)
    for kpi_id in BY_DISTRICT:
        rows = table[(table["kpi"] == kpi_id) & table["district"].notna()].dropna(subset=["value"])
        if rows.empty:
            empty_state("grants")
            continue
        name, unit = rows["name"].iloc[0], rows["unit"].iloc[0]
        target = rows["target"].dropna().iloc[0] if rows["target"].notna().any() else None
        fig = charts.bar_chart(rows, "district", "value", name, charts.unit_axis_title(name, unit),
                               unit, target=target, rag="rag", horizontal=True)
        fig.update_layout(height=320)
        shown = pd.DataFrame({"District": rows["district"],
                              name: [format_value(v, unit) for v in rows["value"]],
                              "Status": rows["rag"].map(rag_label)})
        chart(fig, f"{name} by district in {filters.period.long_label}; bars are shaded by "
              "status and labelled with their values.", shown, f"bar_{kpi_id}")


def _show_mix(filters: Filters) -> None:
    columns = st.columns(2)
    for column, (dimension, title) in zip(columns, (("work_type", "Work types"),
                                                    ("tenure", "Tenures")), strict=True):
        with column:
            mix = breakdowns.dfg_mix(filters.programme, filters.period.label, dimension,
                                     filters.districts)
            if mix.empty:
                empty_state("completed grants")
                continue
            fig = charts.bar_chart(mix, "category", "completed", f"Grants completed: {title.lower()}",
                                   "Grants", "count", horizontal=True)
            shown = pd.DataFrame({title: mix["category"], "Grants": mix["completed"],
                                  "Spend": [format_money(v) for v in mix["grant_sum"]],
                                  "Average": [format_money(v) for v in mix["average_grant"]]})
            chart(fig, f"{title}: most grants were for {mix['category'].iloc[0]}.", shown,
                  f"dfg_{dimension}")


def _show_spend(filters: Filters) -> None:
    st.subheader("Spend against allocation, by district and year")
    st.caption(f"Each year's spend against its whole allocation, to the end of "
               f"{filters.period.long_label} (nothing after it).")
    spend = dfg.spend_by_year(filters.programme, filters.period.last_ym)
    if filters.districts:
        spend = spend[spend["district"].isin(filters.districts)]
    if spend.empty:
        empty_state("spend or allocations")
        return
    fig = charts.grouped_bar_chart(spend, "district", "spend", "financial_year",
                                   "DFG spend by district and year", "Spend", "£")
    export = pd.DataFrame({
        "District": spend["district"], "Year": spend["financial_year"], "Spend": spend["spend"],
        "Allocation": spend["allocation"],
        "Spend as % of allocation": spend["spend_pct"],
        "Change on previous year": spend["change_pct"],
    })
    percent = ["Spend as % of allocation", "Change on previous year"]
    shown = export.assign(Spend=[format_money(v) for v in export["Spend"]],
                          Allocation=[format_money(v) for v in export["Allocation"]],
                          **{c: [format_value(v, "%") for v in export[c]] for c in percent})
    fell = spend[spend["change_pct"] < 0]
    summary = ("Year-on-year change in spend is in the table; "
               + (f"spend fell in {', '.join(sorted(set(fell['district'])))} in at least one year."
                  if not fell.empty else "spend did not fall in any district."))
    chart(fig, summary, shown, "spend", title="DFG spend against allocation", export=export,
          units={"Spend": "£", "Allocation": "£", **dict.fromkeys(percent, "%")})


def render(filters: Filters) -> None:
    page_header("Disabled Facilities Grants", filters)
    _show_clocks(filters)
    _show_district_bars(filters)
    _show_mix(filters)
    _show_spend(filters)
    how_measured(("dfg_days_application_to_completion", "dfg_within_20_weeks",
                  "dfg_end_to_end_days", "dfg_drop_out_rate", "dfg_average_cost",
                  "dfg_spend_vs_allocation"))


render(current_filters())
