"""Import log: every load, who made it and when, with the file's fingerprint, so any figure can
be traced back to the return it came from."""

from __future__ import annotations

import streamlit as st

from dashboard.components import data_table, empty_state, page_header
from dashboard.filters import Filters, current_filters
from dashboard.queries import context, returns

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
    shown = log.assign(loaded_at=log["loaded_at"].map(lambda t: f"{t:%d/%m/%Y %H:%M}"),
                       sha256=log["sha256"].str[:12])
    data_table(
        shown[["id", "loaded_at", "loaded_by", "kind", "file_name", "districts", "inserted",
               "updated", "unchanged", "sha256", "warnings"]].rename(columns={
                   "id": "Load", "loaded_at": "When", "loaded_by": "By", "kind": "Return",
                   "file_name": "File", "districts": "Partners", "inserted": "Inserted",
                   "updated": "Updated", "unchanged": "Unchanged", "sha256": "SHA-256 (start)",
                   "warnings": "Warnings"}), title="Import log")
    st.caption(f"{len(log):,} load(s) shown, newest first. Rejected files are never loaded and so "
               "never appear here; the SHA-256 identifies the exact file loaded.")


render(current_filters())
