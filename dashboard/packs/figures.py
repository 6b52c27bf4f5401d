"""The KPI figures a board pack shows: frozen for an issued meeting, live otherwise, in one frame.

The board pack reads everything KPI-shaped (headlines, trends, Making Data Count, league table,
funnel plot, DFG against 20 weeks) from this one frame, so an issued meeting's pack can be made
again at any time and shows exactly what the board was shown.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from dashboard.meetings.snapshots import live_figures, snapshot_frame
from dashboard.queries.programmes import districts_frame
from dashboard.queries.registry import get_kpi

FIGURE_COLUMNS = ["kpi", "name", "unit", "good", "area", "district", "period", "value", "target",
                  "rag", "base"]


def pack_figures(engine: Engine, programme: str, period: str, meeting: dict | None = None) -> pd.DataFrame:
    """Columns ``FIGURE_COLUMNS``: every KPI for the programme (area 0, district None) and each
    district over the periods a meeting's papers show (``dashboard.meetings.snapshots``)."""
    issued = meeting is not None and meeting["status"] == "issued"
    frame = snapshot_frame(meeting["id"], engine) if issued else live_figures(engine, programme, period)
    names = districts_frame(engine, programme).set_index("district_id")["district"].to_dict()
    kpis = [get_kpi(k) for k in frame["kpi"]]
    frame = frame.assign(name=[k.name for k in kpis], unit=[k.unit for k in kpis],
                         good=[k.good for k in kpis],
                         district=[names.get(int(a)) if a else None for a in frame["area"]])
    return frame[FIGURE_COLUMNS].reset_index(drop=True)


def programme_rows(figures: pd.DataFrame) -> pd.DataFrame:
    return figures[figures["area"] == 0]


def district_rows(figures: pd.DataFrame, period: str) -> pd.DataFrame:
    return figures[(figures["area"] != 0) & (figures["period"] == period)]
