"""Every table a page shows, offered at the end of the page as one Excel workbook.

``data_table`` records each table it draws (the page's unformatted frame, when it gives one) for
this run; ``run_page`` clears the record before the page runs and offers the workbook after it.
Only what this run showed is recorded, so a public visitor's workbook holds only the protected
figures the page showed them. The workbook is built only when the button is pressed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime

import pandas as pd
import streamlit as st

from dashboard.packs.excel import UK_TIME, ExportTable, workbook_bytes

TABLES = "_page_tables"
LABEL = "Download this page's tables (Excel)"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Pages whose tables are already downloads of their own (the Papers page's pack workbook, the
# Returns page's problems and templates) or a file still being checked: no second workbook.
OWN_DOWNLOADS = frozenset({"papers", "returns"})


def start_page() -> None:
    """Forget the tables of the last run: called before each page runs."""
    st.session_state[TABLES] = []


def record(title: str, frame: pd.DataFrame, units: Mapping[str, str | Sequence[str]] | None = None) -> None:
    """Add a table this run showed (``frame`` as it should be exported)."""
    st.session_state.setdefault(TABLES, []).append(ExportTable(title, frame, dict(units or {})))


def recorded() -> list[ExportTable]:
    return list(st.session_state.get(TABLES, []))


def page_workbook(tables: Sequence[ExportTable], page_title: str) -> bytes:
    """The page's tables, one sheet each, and the KPI definitions."""
    return workbook_bytes(tables, definitions=True, title=f"{page_title}: tables")


def file_name(page_title: str, day: date) -> str:
    """``board-summary-2026-11-23.xlsx``."""
    slug = re.sub(r"[^a-z0-9]+", "-", page_title.lower()).strip("-") or "tables"
    return f"{slug}-{day:%Y-%m-%d}.xlsx"


def offer_downloads(page_title: str, url_path: str = "") -> None:
    """After the page: a divider, the workbook of its tables, and where each table's CSV is."""
    tables = tuple(recorded())
    if not tables or url_path in OWN_DOWNLOADS:
        return
    st.divider()
    st.download_button(LABEL, data=lambda: page_workbook(tables, page_title),
                       file_name=file_name(page_title, datetime.now(UK_TIME).date()), mime=XLSX,
                       key="page_tables_xlsx", on_click="ignore", icon=":material/table:")
    st.caption("One sheet per table on this page, numbers kept as numbers, and a sheet of KPI "
               "definitions. Each table's own toolbar (point at the table, top right) downloads "
               "that table alone as CSV.")
