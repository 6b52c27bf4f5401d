"""A savings programme's packs: the board pack of its programme board and the public scrutiny pack,
from the same tracker, KPI rows and band chart as the Savings tracker page.

For an issued meeting the status of each workstream and the programme's savings KPIs are the
figures frozen when its papers issued; the plan and forecasts are read as they stand.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures import charts
from dashboard.figures import savings as sv
from dashboard.figures.format import format_money, format_value
from dashboard.figures.periods import fy_label, parse_period
from dashboard.meetings.snapshots import live_figures, snapshot_frame
from dashboard.packs.pack import Pack, Section, meeting_parts
from dashboard.packs.tables import PackChart, PackTable
from dashboard.queries import savings as q
from dashboard.queries.programmes import data_as_at
from dashboard.queries.registry import SAVINGS_KPIS, get_kpi

BOARD_SECTIONS = (Section("changes", "What has changed since the last meeting"),
                  Section("savings", "Savings against the plan"),
                  Section("workstreams", "Workstreams"),
                  Section("actions", "Actions"),
                  Section("definitions", "Appendix: how the figures are worked out"))
SCRUTINY_SECTIONS = (Section("savings", "What does success look like, and where does it stand?"),
                     Section("workstreams", "Workstreams"),
                     Section("definitions", "About these figures"))
STATUS_RULE = (f"On track: the year's forecast reaches the year's profiled lower estimate, delivery to "
               f"date is at least {sv.DELIVERED_TOLERANCE:.0%} of the lower target profiled to date, and "
               f"the owner's confidence is not Low. At risk: not on track, but the forecast is at least "
               f"{sv.AT_RISK_SHARE:.0%} of the year's lower estimate. Off track: anything else.")


def _figures(engine: Engine, programme: str, period: str, meeting: dict | None) -> pd.DataFrame:
    """The KPI rows of the period: frozen for an issued meeting, as they stand otherwise."""
    issued = meeting is not None and meeting["status"] == "issued"
    frame = snapshot_frame(meeting["id"], engine) if issued else live_figures(engine, programme, period)
    return frame[frame["period"] == period].set_index("kpi")


def _estimates(found: q.Tracker) -> PackTable:
    return PackTable("Estimates of annual benefit", q.estimates_frame(found),
                     {"Lower estimate": "£", "Upper estimate": "£"},
                     caption="An amount already in the medium-term financial strategy is taken off once.")


def _tiles(figures: pd.DataFrame) -> list[dict]:
    out = []
    for kpi in SAVINGS_KPIS:
        if kpi.id not in figures.index:
            continue
        row = figures.loc[kpi.id]
        out.append({"name": kpi.name, "value": format_value(row["value"], kpi.unit),
                    "target": format_value(row["target"], kpi.unit) if pd.notna(row["target"]) else "–",
                    "rag": row["rag"]})
    return out


def _workstreams(found: q.Tracker, figures: pd.DataFrame, public: bool) -> PackTable:
    frame = found.workstreams
    frozen = [figures.loc[get_kpi(f"savings:{c}").id] if f"savings:{c}" in figures.index else None
              for c in frame["code"]]
    table = pd.DataFrame({
        "Workstream": [f"{c} {w}" for c, w in zip(frame["code"], frame["workstream"], strict=True)],
        "Benefit": frame["benefit_type"], "Lower estimate": frame["lower"], "Upper estimate": frame["upper"],
        "Target to date": [None if f is None else f["target"] for f in frozen],
        "Delivered to date": [None if f is None else f["value"] for f in frozen],
        "Forecast for the year": frame["forecast"],
        "Status": [s if f is None else q.RAG_STATUS.get(f["rag"], s) for f, s in zip(frozen, frame["status"],
                                                                                  strict=True)],
    })
    if not public:
        table["Owner"] = frame["owner"].fillna("–")
    money = ["Lower estimate", "Upper estimate", "Target to date", "Delivered to date",
             "Forecast for the year"]
    return PackTable("Workstreams", table, dict.fromkeys(money, "£"))


def savings_content(engine: Engine, programme: str, period: str, meeting: dict | None,
                    public: bool) -> dict:
    """What both packs show of the programme, for ``period`` (a label)."""
    chosen = parse_period(period)
    found = q.tracker(engine, programme, chosen)
    figures = _figures(engine, programme, chosen.label, meeting)
    band = q.band_frame(engine, programme, chosen)
    title = f"{found.programme}: estimates, target and delivery by month"
    caption = (f"As at {chosen.long_label}: {format_money(found.delivered_to_date)} delivered against a "
               f"profiled target of {format_money(found.profiled_target_lower)}; forecast for "
               f"{fy_label(chosen.fy)} {format_money(found.forecast_year)} (confidence-weighted "
               f"{format_money(found.weighted_forecast)}).")
    return {
        "tiles": _tiles(figures), "estimates": _estimates(found),
        "guarantee": q.guarantee_lines(found), "baseline": q.baseline_words(found) or "",
        "chart": PackChart(charts.savings_band_chart(band, title), alt=f"Line chart with a shaded band. "
                           f"{caption}", caption=caption, height=420),
        "workstreams": _workstreams(found, figures, public), "notes": found.notes,
        "status_rule": STATUS_RULE,
        "definitions": PackTable("How the savings figures are worked out", pd.DataFrame({
            "Figure": [k.name for k in SAVINGS_KPIS], "Definition": [k.definition for k in SAVINGS_KPIS]})),
    }


def savings_pack(kind: str, engine: Engine, programme: str, period: str, meeting: dict | None,
                 today: date, comments: list[dict] | None = None, actions: dict | None = None) -> Pack:
    """The board or scrutiny pack of a savings programme."""
    content = {**savings_content(engine, programme, period, meeting, public=kind == "scrutiny"),
               **meeting_parts(engine, programme, kind, meeting, today, comments, actions)}
    sections = BOARD_SECTIONS if kind == "board" else SCRUTINY_SECTIONS
    return Pack.make(kind, programme, period, meeting, data_as_at(engine, programme, today), today, sections,
                     content, template="savings.html")
