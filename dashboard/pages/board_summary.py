"""Board summary: every headline KPI for the chosen period against its target, with its recent
trend, and how far the service has come since its first period."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access.public_figures import footnote, suppressed_mask
from dashboard.figures.format import format_change, format_value
from dashboard.figures.periods import parse_period
from dashboard.figures.style import CHANGE_COLOURS, RAG_WORDS, change_verdict, rag_label
from dashboard.queries import context
from dashboard.queries.board import HEADLINE_KPIS, JOURNEY_KPIS, kpi_history
from dashboard.queries.registry import GOOD_WORDS
from dashboard.ui.components import data_table, how_measured, page_header, rag_badge
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.meeting_components import (
    action_metrics,
    comment_markdown,
    comment_of,
    drafts_waiting,
    latest_for,
    mdc_table,
)

SPARK_PERIODS = 12


def _show_tile(column, row: dict, previous: float | None, history: list[float],  # noqa: ANN001
               comment: pd.Series | None) -> None:
    change = row["value"] - previous if pd.notna(row["value"]) and pd.notna(previous) else None
    hidden = bool(row.get("suppressed", False))
    verdict = change_verdict(row["good"], row["value"], previous, row["target"])
    with column:
        st.metric(
            row["name"], format_value(row["value"], row["unit"], suppressed=hidden),
            delta=format_change(change, row["unit"]),
            # The colour says whether the change is better or worse (grey when withheld or
            # unchanged); the status is in words and symbols beside it.
            delta_color=CHANGE_COLOURS["same" if hidden else verdict],
            border=True, chart_data=history or None,
            help=(f"Last {len(history)} periods shown as a line; green when the latest change is "
                  f"better, red when worse. Better when {GOOD_WORDS[row['good']]}."),
        )
        target = f" Target {format_value(row['target'], row['unit'])}." if pd.notna(row["target"]) else ""
        status = "Withheld to protect privacy (see the note below)." if hidden else rag_badge(row["rag"])
        st.markdown(f"{status}{target}")
        if comment is not None:
            st.markdown(comment_markdown(comment))


def _show_tiles(history: pd.DataFrame, period: str, comments: pd.DataFrame | None,
                area: str | None) -> pd.DataFrame:
    history = history.assign(suppressed=suppressed_mask(history))
    started = history[history["base"] != 0]["period"].min()  # no zeros before the start; NaN: hidden
    history = history[history["period"] >= started] if isinstance(started, str) else history
    latest = history[history["period"] == period]
    before = history[history["period"] == parse_period(period).previous().label].set_index("kpi")
    rows = latest.to_dict("records")
    for start in range(0, len(rows), 3):  # row by row, so a phone reads the tiles in order
        for column, row in zip(st.columns(3), rows[start:start + 3], strict=False):
            series = history[history["kpi"] == row["kpi"]]["value"].dropna().tolist()
            comment = None if comments is None else comment_of(comments, row["kpi"], area)
            _show_tile(column, row, before["value"].get(row["kpi"]), series, comment)
    return latest.assign(previous=latest["kpi"].map(before["value"]),
                         previous_suppressed=latest["kpi"].map(before["suppressed"]).eq(True))


def _show_table(latest: pd.DataFrame) -> None:
    units = latest["unit"]
    shown = pd.DataFrame({
        "KPI": latest["name"],
        "This period": [format_value(v, u, suppressed=s) for v, u, s in
                        zip(latest["value"], units, latest["suppressed"], strict=True)],
        "Previous period": [format_value(v, u, suppressed=s) for v, u, s in
                            zip(latest["previous"], units, latest["previous_suppressed"], strict=True)],
        "Target": [format_value(v, u) for v, u in zip(latest["target"], units, strict=True)],
        "Better when": latest["good"].map(GOOD_WORDS),
        "Status": latest["rag"].map(rag_label).mask(latest["suppressed"], "* Withheld"),
    })
    export = pd.DataFrame({  # the same rows unformatted for the workbook: a withheld figure is empty
        "KPI": latest["name"], "This period": latest["value"].mask(latest["suppressed"]),
        "Previous period": latest["previous"].mask(latest["previous_suppressed"]),
        "Target": latest["target"], "Unit": units, "Better when": latest["good"].map(GOOD_WORDS),
        "Status": latest["rag"].map(RAG_WORDS).mask(latest["suppressed"], "Withheld"),
    })
    with st.expander("Show as table"):
        data_table(shown, title="Board summary", export=export,
                   units=dict.fromkeys(("This period", "Previous period", "Target"), list(units)))


def _show_journey(filters: Filters, periods_back: int) -> None:
    """Each KPI's first period with a figure → target → now, as a scrutiny committee asks it."""
    history = kpi_history(filters.programme, filters.period.label, periods_back, JOURNEY_KPIS,
                          filters.districts, public=filters.public).dropna(subset=["value"])
    st.subheader("Since the service began")
    lines = []
    for _kpi, rows in history.groupby("kpi", sort=False):
        start, current = rows.iloc[0], rows.iloc[-1]
        if start["period"] == current["period"] or current["period"] != filters.period.label:
            continue
        unit = current["unit"]
        target = f" → target {format_value(current['target'], unit)}" if pd.notna(current["target"]) else ""
        lines.append(f"- **{current['name']}**: {format_value(start['value'], unit)} in "
                     f"{parse_period(start['period']).long_label}{target} → "
                     f"**{format_value(current['value'], unit)}** in {filters.period.long_label}")
    st.markdown("\n".join(lines) if lines else "Not enough data yet to compare.")


def render(filters: Filters) -> None:
    page_header("Board summary", filters, "Each tile shows the figure for the period, the change "
                "from the period before, the last twelve periods as a line, and its status.")
    history = kpi_history(filters.programme, filters.period.label, SPARK_PERIODS - 1, HEADLINE_KPIS,
                          filters.districts, public=filters.public)
    latest = history[history["period"] == filters.period.label]
    if (latest["base"] == 0).all():  # a suppressed base (NaN) is a figure withheld, not none
        st.info("No figures for this period and area. Choose another period or district.")
        return
    # Commentary is for the board, not the public view; it is on the programme or one district.
    area = filters.districts[0] if filters.districts and len(filters.districts) == 1 else None
    commented = not filters.public and (filters.districts is None or area is not None)
    latest = _show_tiles(history, filters.period.label, latest_for(filters) if commented else None, area)
    if filters.public:
        st.caption(f"\\* {footnote()}")
    _show_table(latest)
    if not filters.public:
        mdc_table(filters)
        action_metrics(filters)
        drafts_waiting(filters, SPARK_PERIODS - 1, HEADLINE_KPIS)
    periods = context.available_periods(filters.programme, filters.period.grain)  # newest first
    _show_journey(filters, len(periods) - 1 - periods.index(filters.period.label))
    how_measured(HEADLINE_KPIS)


render(current_filters())
