"""Care at home: what a board commissioning care at home, and the councillors scrutinising it, watch
every month: hours bought and delivered, who is waiting and for how long, what an hour costs, and
whether the hours come from good providers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures import charts
from dashboard.figures.format import format_value, with_units
from dashboard.figures.periods import parse_period
from dashboard.figures.safe_text import md_text
from dashboard.queries import care
from dashboard.queries.registry import CARE_KPI_IDS, get_kpi
from dashboard.ui.components import chart, data_table, how_measured, page_header, rag_badge
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.meeting_components import commentary_panel

TILES = ("care_hours_commissioned_weekly", "care_hours_delivered_pct", "care_cost_per_hour",
         "care_people_waiting", "care_hours_waiting_weekly", "care_days_to_service_median",
         "care_hours_good_or_better_pct", "care_off_framework_pct", "care_top5_share_pct")


def _tiles(kpis: pd.DataFrame) -> None:
    whole = kpis[kpis["framework"].isna()].set_index("kpi")
    for start in range(0, len(TILES), 3):
        for column, kpi_id in zip(st.columns(3), TILES[start:start + 3], strict=True):
            kpi, row = get_kpi(kpi_id), whole.loc[kpi_id]
            target = "" if pd.isna(row["target"]) else f" · target {format_value(row['target'], kpi.unit)}"
            with column:
                st.metric(kpi.name, format_value(row["value"], kpi.unit), border=True, help=kpi.definition)
                if row["rag"] != "grey" or target:
                    st.markdown(f"{rag_badge(row['rag'])}{target}")


def _month_labels(frame: pd.DataFrame) -> list[str]:
    return [parse_period(f"{ym // 100}-{ym % 100:02d}").short_label for ym in frame["ym"]]


def _hours(filters: Filters) -> None:
    st.subheader("Hours commissioned and delivered")
    monthly = care.page_hours(filters.programme, filters.period.label)
    if monthly.empty:
        st.info("No hours returned for the twelve months to the end of this period.")
        return
    title = f"{filters.programme}: hours a week, commissioned and delivered"
    last = monthly.iloc[-1]
    summary = (f"{format_value(last['commissioned'], 'count')} hours a week commissioned and "
               f"{format_value(last['delivered'], 'count')} delivered in the latest month shown.")
    table = pd.DataFrame({"Month": _month_labels(monthly), "Commissioned (a week)": monthly["commissioned"],
                          "Delivered (a week)": monthly["delivered"], "Spend": monthly["spend"]})
    chart(charts.care_hours_chart(monthly, title), summary, table, key="care_hours", title=title,
          units={"Commissioned (a week)": "count", "Delivered (a week)": "count", "Spend": "£"})
    left, right = st.columns(2)
    for column, by, heading in ((left, "framework", "By framework"),
                                (right, "client_group", "By client group")):
        found = care.page_hours(filters.programme, filters.period.label, by)
        latest = found[found["ym"] == found["ym"].max()] if len(found) else found
        with column:
            st.markdown(f"**{heading}**, {filters.period.long_label}")
            export = pd.DataFrame({heading.removeprefix("By ").capitalize(): latest["framework"],
                                   "Commissioned (a week)": latest["commissioned"],
                                   "Delivered (a week)": latest["delivered"]})
            units = {"Commissioned (a week)": "count", "Delivered (a week)": "count"}
            data_table(with_units(export, units), title=f"Hours {heading.lower()}", export=export,
                       units=units)


def _waiting(filters: Filters) -> None:
    st.subheader("Waiting for care at home")
    series = care.page_waiting(filters.programme, filters.period.label)
    labels = [parse_period(m).short_label for m in series["month"]]
    table = pd.DataFrame({"Month": labels, "People waiting": series["waiting"],
                          "Hours a week waiting": series["hours"],
                          "Median days to service": series["median_days"]})
    units = {"People waiting": "count", "Hours a week waiting": "count", "Median days to service": "days"}
    left, right = st.columns(2)
    for column, (name, y_title, unit, key) in zip((left, right), (
            ("waiting", "People waiting", "count", "care_waiting"),
            ("median_days", "Median days to service", "days", "care_days")), strict=True):
        with column:
            shown = series.dropna(subset=[name])
            if len(shown) < 2:
                st.info(f"Too few months with a figure for a control chart of {y_title.lower()} yet.")
                continue
            title = f"{y_title}, month by month: {filters.programme}"
            fig, result = charts.care_waiting_chart(series, title, name, y_title, unit)
            latest = format_value(float(shown[name].iloc[-1]), unit)
            chart(fig, f"{result.variation.capitalize()}: {latest} in "
                  f"{parse_period(shown['month'].iloc[-1]).short_label}.", table, key=key, title=title,
                  units=units)


def _cost(filters: Filters, kpis: pd.DataFrame) -> None:
    st.subheader("What an hour costs, by framework")
    rows = kpis[(kpis["kpi"] == "care_cost_per_hour") & kpis["framework"].notna()].dropna(subset=["value"])
    if rows.empty:
        st.info("No hours delivered in this period.")
        return
    price = care.reference_price()
    title = f"Cost per hour delivered by framework, {filters.period.long_label}"
    words = ", ".join(f"{r.framework} {format_value(r.value, '£p')}" for r in rows.itertuples())
    against = f" Reference price {format_value(price, '£p')}." if price else (
        " No reference price is set (DASHBOARD_CARE_REFERENCE_PRICE).")
    chart(charts.bar_chart(rows, "framework", "value", title, "£ per hour", "£p", target=price,
                           horizontal=True), words + "." + against,
          pd.DataFrame({"Framework": rows["framework"], "Cost per hour": rows["value"]}),
          key="care_cost", title=title, units={"Cost per hour": "£p"})


def _providers(filters: Filters, kpis: pd.DataFrame) -> None:
    st.subheader("Providers")
    table = care.page_providers(filters.programme, filters.period.label)
    top = kpis[(kpis["kpi"] == "care_top5_share_pct") & kpis["framework"].isna()]["value"]
    if len(top) and pd.notna(top.iloc[0]):
        st.markdown(f"The five largest providers deliver {format_value(top.iloc[0], '%')} of the hours; "
                    f"{len(table):,} providers delivered hours in {filters.period.long_label}.")
    below = table[table["entry_rule"].str.startswith("Below")]
    if len(below):
        st.markdown("Below the new framework's entry rule (grade 3 or more at the last two inspections): "
                    + md_text(", ".join(below["provider"])) + ".")
    export = pd.DataFrame({"Provider": table["provider"], "Framework": table["framework"],
                           "Hours a week": table["delivered"], "Share": table["share"],
                           "Quality": table["quality"]})
    units = {"Hours a week": "count", "Share": "%"}
    data_table(with_units(export, units), title="Providers", export=export, units=units)
    st.markdown("**The new framework's entry rule**: grade 3 or more at each of the last two inspections "
                "(4 or more at both: eligible for uplifts).")
    data_table(pd.DataFrame({"Provider": table["provider"], "Framework entry": table["entry_rule"]}),
               title="Framework entry rule")


def main() -> None:
    filters = current_filters()
    page_header("Care at home", filters, "Hours bought and delivered, who is waiting and for how long, what "
                "an hour costs, and whether the hours come from good providers.")
    kpis = care.page_kpis(filters.programme, filters.period.label, True)
    _tiles(kpis)
    _hours(filters)
    _waiting(filters)
    _cost(filters, kpis)
    _providers(filters, kpis)
    how_measured(CARE_KPI_IDS, trends=False)
    commentary_panel(filters, CARE_KPI_IDS, [None], key="care_comments")


main()
