"""Customer satisfaction and feedback: survey themes over time with how many answered,
compliments and complaints by district, and how fast complaints are answered."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures import charts
from dashboard.figures.format import count_of, format_value
from dashboard.figures.vocabulary import SURVEY_THEMES, theme_kpi_id
from dashboard.queries import breakdowns
from dashboard.queries.board import kpi_history
from dashboard.queries.registry import get_kpi
from dashboard.ui.components import chart, empty_state, how_measured, page_header
from dashboard.ui.filters import Filters, current_filters

THEME_KPIS = tuple(theme_kpi_id(theme) for theme in SURVEY_THEMES)


def _show_themes(filters: Filters) -> None:
    st.subheader("Survey themes")
    history = kpi_history(filters.programme, filters.period.label, 3, THEME_KPIS, filters.districts)
    if history["value"].isna().all():
        empty_state("survey answers")
        return
    history["theme"] = [get_kpi(k).theme for k in history["kpi"]]
    target = history["target"].dropna().iloc[0] if history["target"].notna().any() else None
    fig = charts.line_chart(history.dropna(subset=["value"]), "period", "value",
                            "Satisfaction by survey theme (% of the best score)", "Score", "%",
                            series="theme", target=target)
    latest = history[history["period"] == filters.period.label].dropna(subset=["value"])
    lowest = latest.loc[latest["value"].idxmin()] if not latest.empty else None
    shown = history.dropna(subset=["value"])["period"].nunique()  # none from before the survey began
    summary = (f"Six survey themes over {count_of(shown, 'period')} (mean score as a percentage of "
               "the best score, not the share satisfied). " + (
        f"Lowest this period: {lowest['theme']} at {format_value(lowest['value'], '%')}."
        if lowest is not None else "No answers this period."))
    answered = history[history["period"].isin(history.dropna(subset=["value"])["period"])]
    table = answered.pivot(index="theme", columns="period", values="value").map(
        lambda v: format_value(v, "%"))  # "–" where a theme had no answers, never "None"
    answers = history[history["period"] == filters.period.label].set_index("theme")["base"]
    table["answers this period"] = answers.astype(int)
    chart(fig, summary, table.reset_index(), "themes")


def _show_feedback(filters: Filters) -> None:
    st.subheader("Compliments and complaints by district")
    feedback = breakdowns.feedback_by_district(filters.programme, filters.period.label,
                                               filters.districts)
    if feedback.empty or feedback[["compliments", "complaints"]].to_numpy().sum() == 0:
        empty_state("compliments or complaints")
        return
    long = feedback.melt(id_vars="district", value_vars=["compliments", "complaints"],
                         var_name="kind", value_name="count")
    fig = charts.grouped_bar_chart(long, "district", "count", "kind",
                                   "Compliments and complaints received", "Received", "count")
    chart(fig, f"{feedback['compliments'].sum():,} compliments and {feedback['complaints'].sum():,} "
          f"complaints in {filters.period.long_label}.",
          feedback[["district", "compliments", "complaints", "upheld"]], "feedback")
    _show_response_times(feedback)


def _show_response_times(feedback: pd.DataFrame) -> None:
    bands, average = breakdowns.response_bands(feedback)
    resolved = int(feedback["resolved"].sum())
    if not resolved:
        st.caption("No complaints were resolved in this period.")
        return
    fig = charts.bar_chart(bands, "answered", "share", "Complaints answered within 20, 35 and 65 days",
                           "Share of resolved complaints", "%")
    chart(fig, f"Of {resolved:,} resolved complaints, {bands['share'].iloc[0]:.0f}% were answered "
          f"within 20 days; average {average:.1f} days. Bands are cumulative up to 65 days.",
          bands.round(1), "response")


def render(filters: Filters) -> None:
    page_header("Customer satisfaction and feedback", filters)
    _show_themes(filters)
    _show_feedback(filters)
    how_measured(("satisfaction_overall", *THEME_KPIS[:-1], "complaints_per_100_cases"))


render(current_filters())
