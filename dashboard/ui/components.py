"""Small Streamlit building blocks every page uses, so pages stay layout only.

Each chart goes out with a one-sentence text summary and a "show as table" alternative, so a
councillor using a screen reader or a black-and-white printout gets the same information. Text from
returns is shown literally (``dashboard.figures.safe_text``): summaries are plain text, and every table
goes through :func:`data_table`, whose cells are safe in the CSV its toolbar downloads, and which
records the table for the page's Excel workbook (``dashboard.ui.table_downloads``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.figures.charts import title_of
from dashboard.figures.format import format_date
from dashboard.figures.safe_text import csv_safe_frame, md_text
from dashboard.figures.style import RAG_STREAMLIT_COLOURS, rag_label
from dashboard.queries import context
from dashboard.queries.registry import get_kpi
from dashboard.ui import table_downloads
from dashboard.ui.filters import Filters, current_filters, link_params

DEFINITIONS_PAGE = "dashboard/pages/about_figures.py"
TRENDS_PAGE = "dashboard/pages/trends.py"
PLOTLY_CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
Units = Mapping[str, str | Sequence[str]]  # a column's unit, or one per row (dashboard.packs.excel)


def page_header(title: str, filters: Filters, intro: str | None = None) -> None:
    """Title, what is shown (programme, period, area) and how fresh the data is."""
    st.title(title)
    as_at = context.data_as_at(filters.programme)
    area = f" · {md_text(filters.area_label)}" if filters.family == "housing" else ""  # others: none
    st.caption(f"**{md_text(filters.programme)}** · {filters.period.long_label}{area} · "
               f"data as at {format_date(as_at)}")
    if intro:
        st.markdown(intro)


def council_header(title: str, filters: Filters, as_at: date | None, intro: str | None = None) -> None:
    """Title, the council and period shown, and the date of the CQC file the figures come from
    (``as_at``; None on a page with no one file behind it)."""
    st.title(title)
    source = f" · CQC care directory as at {format_date(as_at)}" if as_at else ""
    st.caption(f"**{md_text(filters.council or '')}** · {filters.period.long_label}{source}")
    if intro:
        st.markdown(intro)


def chart(fig: go.Figure, summary: str, frame: pd.DataFrame, key: str, *, title: str | None = None,
          export: pd.DataFrame | None = None, units: Units | None = None) -> None:
    """The chart, its summary (plain text: it names districts and categories), and the same
    figures as a table on request, exported under the chart's title unless given one."""
    st.plotly_chart(fig, config=PLOTLY_CONFIG, key=key)
    st.caption(md_text(summary))
    with st.expander("Show as table"):
        data_table(frame, title=title or title_of(fig) or None,
                   export=export, units=units)


def data_table(frame: pd.DataFrame, hide_index: bool = True, *, title: str | None = None,
               export: pd.DataFrame | None = None, units: Units | None = None,
               **options: object) -> None:
    """``st.dataframe`` with every text cell safe to open in a spreadsheet: Streamlit 1.67 offers
    its "Download as CSV" (and copy) on every table, with no per-table switch to turn it off.

    The table is also recorded for the page's Excel workbook, as the sheet ``title``: ``export``
    is the same rows unformatted (numbers as numbers, a status in words) where the page formats
    figures into text, and ``units`` names each numeric column's unit (count, days, %, £, rate,
    date; or one per row) so Excel formats it. Without ``export`` the shown frame is recorded."""
    st.dataframe(csv_safe_frame(frame), hide_index=hide_index, width="stretch", **options)
    if export is None:
        export = frame if hide_index else frame.reset_index()
    table_downloads.record(title or "Table", export, units)


def empty_state(what: str) -> None:
    st.info(f"No {what} for this period and area. Try another period, or all districts.")


def trend_link_params(kpi_id: str) -> dict[str, str | list[str]]:
    """Query parameters opening the Trends page on ``kpi_id``, in the view shown now. The Trends
    page's KPI picker keeps its choice in ``?kpi=`` as the KPI's name (the option shown)."""
    return {**link_params(current_filters()), "kpi": get_kpi(kpi_id).name}


def how_measured(kpi_ids: Iterable[str], trends: bool = True) -> None:
    """Plain-English definitions of the KPIs on the page, each with a link to its trend (a
    programme's KPIs: ``trends``), and a link to the full list."""
    with st.expander("How is this measured?"):
        for kpi_id in kpi_ids:
            kpi = get_kpi(kpi_id)
            target = "none" if kpi.default_target is None else f"{kpi.default_target:,g}"
            st.markdown(f"**{kpi.name}** — {kpi.definition} "
                        f"Better when {kpi.better_when}. Default target: {target}.")
            if trends:
                st.page_link(TRENDS_PAGE, label=f"{kpi.name}: see its trend",
                             icon=":material/monitoring:", query_params=trend_link_params(kpi_id))
        st.page_link(DEFINITIONS_PAGE, label="About the figures: every KPI and how status is decided",
                     icon=":material/menu_book:")


def rag_badge(rag: str) -> str:
    """Markdown for a status: coloured, but also a symbol and words (never colour alone)."""
    return f":{RAG_STREAMLIT_COLOURS[rag]}-badge[{rag_label(rag)}]"
