"""A care-at-home programme's packs: the board pack of the board commissioning it and the public
scrutiny pack, from the same KPIs, provider table and chart functions as the Care at home page.

For an issued meeting the KPI tiles are the figures frozen when its papers issued; the charts and
the provider table are read as they stand, as at the period's end.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures import charts
from dashboard.figures.format import format_value
from dashboard.figures.periods import parse_period
from dashboard.meetings.snapshots import snapshot_frame
from dashboard.packs.pack import Pack, Section, meeting_parts
from dashboard.packs.tables import PackChart, PackTable
from dashboard.queries import care
from dashboard.queries.programmes import data_as_at
from dashboard.queries.registry import CARE_KPIS

BOARD_SECTIONS = (Section("changes", "What has changed since the last meeting"),
                  Section("care", "Hours, waiting and cost"),
                  Section("providers", "Providers"),
                  Section("actions", "Actions"),
                  Section("definitions", "Appendix: how the figures are worked out"))
SCRUTINY_SECTIONS = (Section("care", "Hours, waiting and cost"), Section("providers", "Providers"),
                     Section("definitions", "About these figures"))


def _tiles(engine: Engine, programme: str, period: str, meeting: dict | None) -> list[dict]:
    if meeting is not None and meeting["status"] == "issued":
        frozen = snapshot_frame(meeting["id"], engine)
        figures = frozen[frozen["period"] == period].set_index("kpi")
    else:
        figures = care.care_kpis(engine, programme, parse_period(period)).set_index("kpi")
    return [{"name": kpi.name, "value": format_value(figures.loc[kpi.id, "value"], kpi.unit),
             "target": format_value(figures.loc[kpi.id, "target"], kpi.unit),
             "rag": figures.loc[kpi.id, "rag"]} for kpi in CARE_KPIS if kpi.id in figures.index]


def care_content(engine: Engine, programme: str, period: str, meeting: dict | None) -> dict:
    chosen = parse_period(period)
    months = care.month_ends(chosen)
    monthly = care.hours_by_month(engine, programme, (months[0].first_ym, months[-1].last_ym))
    waiting = care.waiting_series(engine, programme, chosen)
    providers = care.provider_table(engine, programme, chosen)
    below = providers[providers["entry_rule"].str.startswith("Below")]["provider"].tolist()
    content: dict = {"tiles": _tiles(engine, programme, chosen.label, meeting), "hours_chart": None,
                     "waiting_chart": None, "days_chart": None, "below": below}
    if len(monthly):
        title = f"{programme}: hours a week, commissioned and delivered"
        last = monthly.iloc[-1]
        words = (f"{format_value(last['commissioned'], 'count')} hours a week commissioned and "
                 f"{format_value(last['delivered'], 'count')} delivered in the latest month.")
        content["hours_chart"] = PackChart(charts.care_hours_chart(monthly, title),
                                           alt=f"Line chart. {words}", caption=words)
    if len(waiting) >= 2:
        fig, result = charts.care_waiting_chart(waiting, f"People waiting at each month's end: {programme}")
        words = (f"{result.variation.capitalize()}: {waiting['waiting'].iloc[-1]:,.0f} people waiting at the "
                 "end of the period.")
        content["waiting_chart"] = PackChart(fig, alt=f"XmR chart of people waiting. {words}", caption=words)
    days = waiting.dropna(subset=["median_days"])
    if len(days) >= 2:
        title = f"Median days to service, month by month: {programme}"
        fig, result = charts.care_waiting_chart(waiting, title, "median_days", "Median days to service",
                                                "days")
        words = (f"{result.variation.capitalize()}: a median of {days['median_days'].iloc[-1]:,.1f} days "
                 "from request to service in the latest month.")
        content["days_chart"] = PackChart(fig, alt=f"XmR chart of median days to service. {words}",
                                          caption=words)
    content["providers"] = PackTable("Providers", pd.DataFrame({
        "Provider": providers["provider"], "Framework": providers["framework"],
        "Hours a week": providers["delivered"], "Share": providers["share"],
        "Quality": providers["quality"], "Framework entry": providers["entry_rule"]}),
        {"Hours a week": "count", "Share": "%"})
    content["definitions"] = PackTable("How the care figures are worked out", pd.DataFrame({
        "Figure": [k.name for k in CARE_KPIS], "Definition": [k.definition for k in CARE_KPIS]}))
    return content


def care_pack(kind: str, engine: Engine, programme: str, period: str, meeting: dict | None, today: date,
              comments: list[dict] | None = None, actions: dict | None = None) -> Pack:
    """The board or scrutiny pack of a care-at-home programme."""
    content = {**care_content(engine, programme, period, meeting),
               **meeting_parts(engine, programme, kind, meeting, today, comments, actions)}
    sections = BOARD_SECTIONS if kind == "board" else SCRUTINY_SECTIONS
    return Pack.make(kind, programme, period, meeting, data_as_at(engine, programme, today), today, sections,
                     content, template="care.html")
