"""Meetings: the board's and scrutiny committee's meetings, what changed since the last one, and
issuing a meeting's papers, which freezes the figures they show for good."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.access import PermissionDenied
from dashboard.access.signin import current_user
from dashboard.figures.format import format_date, format_value
from dashboard.figures.periods import parse_period
from dashboard.figures.safe_text import md_text
from dashboard.figures.style import rag_label
from dashboard.meetings.changes import what_changed
from dashboard.meetings.commentary import meeting_commentary
from dashboard.meetings.meetings import KINDS, create_meeting, list_meetings
from dashboard.meetings.snapshots import snapshot_frame
from dashboard.packs import make
from dashboard.packs.errors import PackError
from dashboard.queries.board import HEADLINE_KPIS
from dashboard.queries.registry import get_kpi
from dashboard.ui.components import data_table, page_header
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.meeting_components import draft_section

DONE = "meetings_done_message"
DRAFT_PERIODS = 11  # drafts look back over the twelve periods the board summary's tiles show
CONFIRM = "I understand issued figures can never change"


def _write(action, *args: object, done: Callable[[object], str]) -> None:  # noqa: ANN001
    """A meetings write as the signed-in person (checked again on the server); ``done`` says what
    happened, shown after the page reruns."""
    try:
        result = action(current_user(), *args)
    except (PermissionDenied, ValueError, PackError) as error:
        st.error(md_text(error))
        return
    st.session_state[DONE] = done(result)
    st.session_state.pop("meeting_choice", None)  # show the newest meeting, or the one just issued
    st.rerun()


def _create_form(programme: str, period: str) -> None:
    with st.expander("Create a meeting", expanded=False), st.form("create_meeting"):
        title = st.text_input("Title", max_chars=200, key="meeting_title")
        left, middle, right = st.columns(3)
        day = left.date_input("Date", value=date.today(), format="DD/MM/YYYY", key="meeting_date")
        kind = middle.selectbox("Kind", KINDS, key="meeting_kind")
        on = right.text_input("Period its papers report on", value=period, key="meeting_period",
                              help="2019/20, 2019/20-Q1 or 2019-06")
        if st.form_submit_button("Create meeting", type="primary"):
            _write(create_meeting, programme, day, kind, on, title,
                   done=lambda meeting_id: f"Meeting {meeting_id} created as a draft.")


def _headlines(meeting: pd.Series) -> None:
    frozen = snapshot_frame(int(meeting["id"]))
    own = frozen[(frozen["period"] == meeting["period"]) & (frozen["area"] == 0)
                 & frozen["kpi"].isin(HEADLINE_KPIS)]
    if own.empty:
        st.info("No headline figures were frozen for this meeting's period.")
        return
    shown = pd.DataFrame({
        "KPI": [get_kpi(k).name for k in own["kpi"]],
        "Value": [format_value(v, get_kpi(k).unit) for k, v in zip(own["kpi"], own["value"], strict=True)],
        "Status": own["rag"].map(rag_label),
        "Variation": own["variation"].fillna("–"),
    })
    data_table(shown, title="Headline figures as frozen")


def _issue(meeting: pd.Series) -> None:
    st.markdown("**Issue this meeting**: its papers' figures, commentary and actions are frozen, "
                "and the PDF made from them is kept with its SHA-256 (the Papers page offers it).")
    sure = st.checkbox(CONFIRM, key=f"confirm_issue_{meeting['id']}")
    if st.button("Issue this meeting", type="primary", disabled=not sure, key="issue_meeting"):
        with st.spinner("Freezing the figures and making the papers…"):
            _write(make.issue_with_papers, int(meeting["id"]),
                   done=lambda kept: f"Meeting issued: its figures are frozen and its papers kept "
                                     f"({kept.pages} pages, SHA-256 {kept.sha256[:16]}…).")


def _chosen(meeting: pd.Series, programme: str, may_write: bool) -> bool:
    """The chosen meeting; True when its drafts were offered (a draft meeting, an officer)."""
    st.subheader(md_text(meeting["title"]))
    if meeting["status"] == "issued":
        st.success(f"Issued {meeting['issued_at']:%d/%m/%Y %H:%M} by {md_text(meeting['issued_by'])}.")
    else:
        st.info("Draft: the figures below are live and will change as returns arrive.")
    st.markdown("#### What changed since the last meeting")
    sections = what_changed(programme, int(meeting["id"])).sections()
    for title, lines in sections:
        st.markdown(f"**{title}**\n\n" + "\n".join(f"- {md_text(line)}" for line in lines))
    if not sections:
        st.markdown("Nothing to compare with: no earlier issued meeting of this kind.")
    if meeting["status"] == "issued":
        st.markdown("#### Headline figures as issued")
        _headlines(meeting)
    _written_for(meeting)
    if meeting["status"] == "draft" and may_write:
        draft_section(Filters(programme, parse_period(meeting["period"]), None), DRAFT_PERIODS,
                      HEADLINE_KPIS, meeting_id=int(meeting["id"]))
        _issue(meeting)
        return True
    return False


def _written_for(meeting: pd.Series) -> None:
    """The commentary written for this meeting (it also shows in each KPI's history)."""
    written = meeting_commentary(int(meeting["id"]))
    st.markdown("#### Commentary written for this meeting")
    if written.empty:
        st.markdown("None yet.")
        return
    data_table(pd.DataFrame({
        "KPI": [get_kpi(k).name for k in written["kpi"]],
        "Area": written["district"].fillna("Programme"),
        "Period": [parse_period(p).short_label for p in written["period"]],
        "Version": written["version"], "Reason": written["reason"],
        "Recommended action": written["recommended_action"].fillna("–"), "By": written["author"]}),
        title="Commentary for this meeting")


def _label(row: pd.Series) -> str:
    return f"{format_date(row['meeting_date'])} · {row['kind']} · {row['title']} ({row['status']})"


filters = current_filters()
page_header("Meetings", filters, "Board and scrutiny meetings. Issuing a meeting freezes the "
            "figures its papers show, so the next meeting can say exactly what changed.")
if DONE in st.session_state:
    st.success(st.session_state.pop(DONE))
user = current_user()
may_write = user is not None and user.may("meeting")
if may_write:
    _create_form(filters.programme, filters.period.label)
meetings = list_meetings(filters.programme)
if meetings.empty:
    st.info("No meetings for this programme yet.")
else:
    table = meetings.assign(meeting_date=meetings["meeting_date"].map(format_date))
    data_table(table.drop(columns=["issued_at"]).rename(columns={
        "id": "Id", "meeting_date": "Date", "title": "Title", "kind": "Kind", "period": "Period",
        "status": "Status", "issued_by": "Issued by"}), title="Meetings")
    labels = {_label(row): row for _, row in meetings.iterrows()}
    choice = st.selectbox("Meeting", list(labels), index=0, key="meeting_choice",
                          help="Newest first")
    drafted = _chosen(labels[choice], filters.programme, may_write)
if meetings.empty or not drafted:
    draft_section(filters, DRAFT_PERIODS, HEADLINE_KPIS)
