"""Actions: the board's action log — who will do what by when — filtered by status, KPI and owner;
officers add actions and mark them done or reopen them. Overdue is worked out against today."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.access.signin import current_user
from dashboard.figures.format import format_date
from dashboard.meetings.actions import STATUSES, actions_frame, add_action, mark_done, reopen
from dashboard.meetings.commentary import MAX_TEXT
from dashboard.queries.registry import KPIS, get_kpi
from dashboard.ui.components import data_table, page_header
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.meeting_components import run_write

ANY = "Any"
OVERDUE = "⚠ Overdue"


def _status_words(row: pd.Series) -> str:
    """Symbol and words, never colour alone."""
    if row["overdue"]:
        return OVERDUE
    return "✔ Done" if row["status"] == "done" else "○ Open"


def _filtered(frame: pd.DataFrame) -> pd.DataFrame:
    left, middle, right = st.columns(3)
    status = left.selectbox("Status", [ANY, *STATUSES], key="action_status",
                            format_func=lambda s: s if s == ANY else s.capitalize())
    kpi_names = {get_kpi(k).name: k for k in frame["kpi"].dropna().unique()}
    kpi = middle.selectbox("KPI", [ANY, *sorted(kpi_names)], key="action_kpi")
    owner = right.selectbox("Owner", [ANY, *sorted(frame["owner"].unique())], key="action_owner")
    if status == "overdue":
        frame = frame[frame["overdue"]]
    elif status != ANY:
        frame = frame[frame["status"] == status]
    if kpi != ANY:
        frame = frame[frame["kpi"] == kpi_names[kpi]]
    return frame if owner == ANY else frame[frame["owner"] == owner]


def _show_log(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info("No actions match these filters.")
        return
    data_table(pd.DataFrame({
        "Action": frame["id"], "Description": frame["description"], "Owner": frame["owner"],
        "Due": [format_date(d) for d in frame["due_date"]],
        "Status": [_status_words(r) for _, r in frame.iterrows()],
        "KPI": [get_kpi(k).name if isinstance(k, str) else "–" for k in frame["kpi"]],
        "Done by": frame["done_by"].fillna("–")}), title="Action log")


def _add_form(filters: Filters) -> None:
    kpis = {"(none)": None, **{k.name: k.id for k in KPIS}}
    with st.form("add_action", clear_on_submit=True):
        st.markdown("**Add an action**")
        description = st.text_area("What is to be done", max_chars=MAX_TEXT, key="new_action_text")
        owner = st.text_input("Owner", max_chars=200, key="new_action_owner")
        due = st.date_input("Due by", value=date.today() + timedelta(days=28), format="DD/MM/YYYY",
                            key="new_action_due")
        kpi = st.selectbox("KPI it concerns", list(kpis), key="new_action_kpi")
        if st.form_submit_button("Add action", type="primary"):
            new = run_write(add_action, filters.programme, description, owner, due, kpi=kpis[kpi])
            if new is not None:
                st.success(f"Action {new} added.")


def _change_status(frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    labels = {f"{r.id}: {r.description[:80]}": (r.id, r.status) for r in frame.itertuples()}
    chosen = st.selectbox("Action to update", list(labels), key="action_to_update")
    action_id, status = labels[chosen]
    if status == "open" and st.button("Mark done", key="mark_done", type="primary"):
        if run_write(mark_done, action_id) is not None:
            st.rerun()
    if status == "done" and st.button("Reopen", key="reopen"):
        if run_write(reopen, action_id) is not None:
            st.rerun()


def render(filters: Filters) -> None:
    page_header("Actions", filters, "Every action the board has agreed: who owns it, when it is due "
                "and whether it is done. Open actions past their due date are marked ⚠ Overdue.")
    log = st.container()
    officer = current_user().may("action")
    if officer:
        st.subheader("Update the log")
        _add_form(filters)
    frame = actions_frame(filters.programme, date.today())  # after any addition, so it shows
    with log:
        _show_log(_filtered(frame))
    if officer:
        _change_status(frame)


render(current_filters())
