"""Savings tracker: a savings programme from its plan's estimates to the pounds delivered, as at the
end of the period chosen: the plan's summary worked out from its workstreams, each workstream's
delivery against its profiled target with its status and lead KPI, the band chart, the guarantee
test and the commentary."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures import savings as sv
from dashboard.figures.charts import savings_band_chart
from dashboard.figures.format import format_money, format_value, with_money
from dashboard.figures.periods import fy_label
from dashboard.figures.safe_text import md_text
from dashboard.figures.style import RAG_WORDS
from dashboard.queries import savings as q
from dashboard.queries.registry import SAVINGS_KPI_IDS, get_kpi
from dashboard.ui.components import chart, data_table, how_measured, page_header, rag_badge
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.meeting_components import commentary_panel

STATUS_RULE = (
    f"On track: the year's forecast reaches the year's profiled lower estimate, what is delivered "
    f"to date is at least {sv.DELIVERED_TOLERANCE:.0%} of the lower target profiled to date, and the "
    f"owner's confidence is not Low. At risk: not on track, but the forecast is at least "
    f"{sv.AT_RISK_SHARE:.0%} of the year's lower estimate. Off track: anything else. No return: "
    "the workstream has a target this year but no delivery return yet. Not started: its first "
    "year has not come. The confidence-weighted forecast counts what is delivered in full and the rest "
    "of the forecast at " + ", ".join(f"{w:.0%} ({c})" for c, w in sv.CONFIDENCE_WEIGHTS.items())
    + "; none given counts as Low.")


def _tiles(found: q.Tracker, kpis: pd.DataFrame) -> None:
    judged = kpis.set_index("kpi")
    columns = [*st.columns(2), *st.columns(2)]  # two a row: the names fit a laptop and a phone
    for column, kpi_id in zip(columns, SAVINGS_KPI_IDS, strict=True):
        kpi, row = get_kpi(kpi_id), judged.loc[kpi_id]
        target = "" if pd.isna(row["target"]) else f" · target {format_value(row['target'], kpi.unit)}"
        with column:
            st.metric(kpi.name, format_value(row["value"], kpi.unit), border=True, help=kpi.definition)
            st.markdown(f"{rag_badge(row['rag'])}{target}")
    counts = found.workstreams["status"].value_counts()
    st.markdown(" · ".join(f"{status}: {int(counts[status])}" for status in q.STATUS_RAG if status in counts))


def _summary(found: q.Tracker) -> None:
    st.subheader("The plan's estimates of annual benefit")
    export = q.estimates_frame(found)
    money = ("Lower estimate", "Upper estimate")
    data_table(with_money(export, money), title="Estimates of annual benefit", export=export,
               units=dict.fromkeys(money, "£"))
    st.caption("Worked out from the workstreams: an amount already counted in the medium-term financial "
               "strategy (MTFS) is taken off once, from the workstream that carries it.")
    for line in q.guarantee_lines(found):
        st.markdown(md_text(line))
    if (words := q.baseline_words(found)) is not None:
        st.markdown(md_text(words))


def _band(filters: Filters, found: q.Tracker) -> None:
    band = q.page_band(filters.programme, filters.period.label)
    title = f"{found.programme}: estimates, target and delivery by month"
    summary = (f"As at {filters.period.long_label}: {format_money(found.delivered_to_date)} delivered "
               f"against a profiled target of {format_money(found.profiled_target_lower)} to date; "
               f"forecast for {fy_label(filters.period.fy)} {format_money(found.forecast_year)} "
               f"(confidence-weighted {format_money(found.weighted_forecast)}).")
    table = pd.DataFrame({"Month": [f"{d:%b %Y}" for d in band["date"]], "Lower estimate": band["lower"],
                          "Upper estimate": band["upper"], "Profiled target to date": band["target_to_date"],
                          "Delivered to date": band["delivered"], "Forecast for the year": band["forecast"],
                          "Confidence-weighted forecast": band["weighted"]})
    money = [c for c in table.columns if c != "Month"]
    chart(savings_band_chart(band, title), summary, with_money(table, money), key="savings_band",
          title=title, export=table, units=dict.fromkeys(money, "£"))


def _lead_words(filters: Filters, frame: pd.DataFrame) -> pd.Series:
    """Each workstream's lead KPI for the period, from the council's programme that reports it."""
    lead = q.page_lead_kpis(filters.programme, tuple(k for k in frame["lead_kpi"].dropna() if k),
                            filters.period.label).set_index("kpi")

    def words(kpi_id: object) -> str:
        if not isinstance(kpi_id, str) or not kpi_id:
            return "–"
        if kpi_id not in lead.index:
            return f"{get_kpi(kpi_id).name}: not reported by a programme of the council"
        row = lead.loc[kpi_id]
        return (f"{row['name']}: {format_value(row['value'], row['unit'])} "
                f"({RAG_WORDS[row['rag']].lower()}, {row['source']})")

    return frame["lead_kpi"].map(words)


def _workstreams(filters: Filters, found: q.Tracker) -> None:
    st.subheader("Workstreams")
    frame = found.workstreams
    # Three narrow tables rather than one wide one: each fits a laptop without scrolling sideways.
    delivery = pd.DataFrame({
        "Code": frame["code"], "Target to date": frame["target_to_date"],
        "Delivered to date": frame["delivered"], "Forecast for the year": frame["forecast"],
        "Confidence": frame["confidence"].fillna("–"), "Status": frame["status"],
        "Owner": frame["owner"].fillna("–")})
    money = ["Target to date", "Delivered to date", "Forecast for the year"]
    data_table(with_money(delivery, money), title="Delivery by workstream", export=delivery,
               units=dict.fromkeys(money, "£"))
    st.caption(STATUS_RULE)
    for note in found.notes:
        st.caption(md_text(note))
    plan = pd.DataFrame({
        "Code": frame["code"], "Workstream": frame["workstream"], "Benefit": frame["benefit_type"],
        "Lower estimate": frame["lower"], "Upper estimate": frame["upper"],
        "Already in the MTFS": frame["in_mtfs"]})
    money = ["Lower estimate", "Upper estimate", "Already in the MTFS"]
    st.markdown("**The plan**: each workstream's estimate of its full annual benefit.")
    data_table(with_money(plan, money), title="The plan by workstream", export=plan,
               units=dict.fromkeys(money, "£"))
    st.markdown("**The evidence beside the money**: each workstream's lead KPI, for the same period.")
    data_table(pd.DataFrame({"Code": frame["code"], "Cohort": frame["cohort"],
                             "Lead KPI": _lead_words(filters, frame)}), title="Lead KPIs")
    notes = frame[frame["note"].notna()]
    if len(notes) and not filters.public:
        with st.expander("Notes with this month's returns"):
            data_table(pd.DataFrame({"Code": notes["code"], "Note": notes["note"]}), title="Return notes")


def main() -> None:
    filters = current_filters()
    page_header("Savings tracker", filters,
                "From the plan's estimates to the pounds delivered: each workstream's delivery against "
                "its profiled target, as at the end of the period chosen.")
    try:
        found = q.page_tracker(filters.programme, filters.period.label)
    except q.NotSavings as error:
        st.info(md_text(error))
        return
    kpis = q.kpi_rows(found)
    _tiles(found, kpis)
    _summary(found)
    _band(filters, found)
    _workstreams(filters, found)
    how_measured(SAVINGS_KPI_IDS, trends=False)
    ids = (*SAVINGS_KPI_IDS, *(f"savings:{code}" for code in found.workstreams["code"]))
    commentary_panel(filters, ids, [None], key="savings_comments")


main()
