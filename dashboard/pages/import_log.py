"""Import log: every load, who made it and when, with the file's fingerprint, so any figure can
be traced back to the return it came from."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures.format import count_of
from dashboard.queries import context, returns
from dashboard.ui.components import data_table, empty_state, page_header
from dashboard.ui.filters import Filters, current_filters

ANY = "All partners"


def render(filters: Filters) -> None:
    page_header("Import log", filters)
    left, right = st.columns(2)
    partners = [ANY, *context.districts(filters.programme)["district"]]
    partner = left.selectbox("Partner", partners, key="log_partner")
    in_period = right.checkbox(f"Only loads covering {filters.period.long_label}", key="log_period")
    log = returns.import_log(filters.programme, None if partner == ANY else partner,
                             filters.period.label if in_period else None)
    if log.empty:
        empty_state("loads")
        return
    # The columns a reader needs first, in plain words and day-first dates, at widths that fit a
    # laptop; the full fingerprint and the row counts are in the Excel download.
    shown = pd.DataFrame({
        "Load": log["id"],
        "When": log["loaded_at"].map(lambda t: f"{t:%d/%m/%Y %H:%M}"),
        "By": log["loaded_by"],
        "Return": log["kind"],
        "File": log["file_name"],
        "Partners": log["districts"],
        "Rows added": log["inserted"],
        "Rows changed": log["updated"],
        "Warnings": log["warnings"],
        "File fingerprint": log["sha256"].str[:12],
    })
    export = shown.assign(**{"Rows unchanged": log["unchanged"],
                             "File fingerprint": log["sha256"]})
    config = {"Load": st.column_config.NumberColumn(width=45),
              "When": st.column_config.TextColumn(width=120),
              "By": st.column_config.TextColumn(width=70),
              "Return": st.column_config.TextColumn(width=80),
              "File": st.column_config.TextColumn(width=130),
              "Partners": st.column_config.TextColumn(width=110),
              "Rows added": st.column_config.NumberColumn(width=75),
              "Rows changed": st.column_config.NumberColumn(width=90),
              "Warnings": st.column_config.TextColumn(width=65),
              "File fingerprint": st.column_config.TextColumn(
                  width=105, help="The start of the file's SHA-256: the Excel download has it whole")}
    data_table(shown, title="Import log", export=export, column_config=config)
    st.caption(f"{count_of(len(log), 'load')} shown, newest first. Rejected files are never loaded and so "
               "never appear here; the fingerprint (SHA-256) identifies the exact file loaded.")


render(current_filters())
