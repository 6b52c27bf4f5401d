"""Papers: the board pack and the scrutiny pack for a meeting or a period, as PDF and Excel, and
issuing a meeting with its papers kept. The public sees the scrutiny papers kept for issued
meetings and the scrutiny pack's tables (public-figures rules applied); making a PDF needs a
signed-in viewer, so nobody can set the server drawing PDFs without signing in."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard.access.roles import PermissionDenied
from dashboard.access.signin import current_user
from dashboard.figures.format import format_date
from dashboard.figures.periods import parse_period
from dashboard.figures.safe_text import md_text
from dashboard.meetings.meetings import list_meetings
from dashboard.meetings.papers import kept_papers
from dashboard.packs import make
from dashboard.packs.errors import PackError
from dashboard.packs.pack import KINDS, Pack
from dashboard.ui.components import data_table, page_header
from dashboard.ui.filters import current_filters
from dashboard.ui.meeting_components import run_write

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MADE = "_papers_made"
CONFIRM = "I understand issuing freezes the figures and keeps this PDF for good"


def _file_name(pack: Pack, suffix: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", pack.title).strip("-").lower()[:80] + suffix


def _choose(programme: str, period_label: str, may_board: bool) -> tuple[str, dict | None, str]:
    meetings = list_meetings(programme) if may_board else pd.DataFrame()
    kinds = list(KINDS) if may_board else ["scrutiny"]
    left, right = st.columns(2)
    kind = left.radio("Pack", kinds, format_func=lambda k: KINDS[k][0], key="papers_kind",
                      horizontal=True)
    # Options are meeting ids (0: the sidebar's period), so issuing keeps the choice.
    rows = {int(row["id"]): row for row in meetings.to_dict("records")}
    labels = {0: f"The period chosen in the sidebar ({parse_period(period_label).long_label})",
              **{i: f"{format_date(r['meeting_date'])} · {r['title']} ({r['status']})"
                 for i, r in rows.items()}}
    meeting = rows.get(right.selectbox("For", list(labels), format_func=labels.get, key="papers_for"))
    if meeting is not None:
        kind = meeting["kind"]
    return kind, meeting, period_label


def _preview(pack: Pack) -> None:
    st.markdown("**Contents:** " + md_text(" · ".join(s["heading"] for s in pack.context["sections"])))
    with st.expander("Preview the tables in this pack"):
        for table in pack.tables:
            st.markdown(f"**{md_text(table.title)}**")
            data_table(pd.DataFrame(table.rows, columns=table.columns), title=table.title)


def _published(programme: str) -> None:
    """The public's papers: the scrutiny packs kept when their meetings were issued."""
    published = make.published_papers(programme)
    if not published:
        st.info(f"No scrutiny papers have been published for {md_text(programme)} yet. The tables "
                "below are the figures the public view shows for the period chosen.")
        return
    st.markdown("**Published scrutiny papers** (as issued to the committee, with the SHA-256 to "
                "check a copy against):")
    for meeting, kept in published:
        label = f"{format_date(meeting['meeting_date'])} · {meeting['title']}"
        left, right = st.columns([3, 2])
        left.markdown(f"{md_text(label)} ({kept.pages} pages)  \n`{kept.sha256[:16]}…`")
        right.download_button("Download the PDF", kept.pdf, f"meeting-{kept.meeting_id}-papers.pdf",
                              PDF, key=f"papers_published_{kept.meeting_id}",
                              icon=":material/picture_as_pdf:")


def _make(pack: Pack, key: str) -> None:
    if st.button("Make the PDF", type="primary", key="papers_make"):
        with st.status("Making the pack…", expanded=True) as status:
            bar = st.progress(0.0, text="Starting")
            try:
                st.session_state[MADE] = (key, *make.files_for(
                    current_user(), pack, progress=lambda share, doing: bar.progress(share, text=doing)))
            except (PackError, PermissionDenied) as error:
                status.update(label="The pack could not be made", state="error")
                st.error(md_text(error))
                return
            status.update(label="The pack is ready", state="complete", expanded=False)
    made = st.session_state.get(MADE)
    if made and made[0] == key:
        left, right = st.columns(2)
        left.download_button("Download the PDF", made[1], _file_name(pack, ".pdf"), PDF,
                             key="papers_pdf", icon=":material/picture_as_pdf:")
        right.download_button("Download its tables (Excel)", made[2], _file_name(pack, ".xlsx"), XLSX,
                              key="papers_xlsx", icon=":material/table:")


def _issued(meeting: dict, may_issue: bool) -> None:
    kept = kept_papers(int(meeting["id"]))
    if kept is None:
        st.info("This meeting was issued without its papers kept.")
        if may_issue and st.button("Keep the papers now (from the frozen figures)", key="papers_keep"):
            if run_write(make.keep_issued_papers, int(meeting["id"])) is not None:
                st.rerun()
        return
    st.success(f"Issued papers: {kept.pages} pages, made {kept.made_at:%d/%m/%Y %H:%M} by "
               f"{md_text(kept.made_by)}.")
    st.markdown("SHA-256 of the PDF, to check a copy against:")
    st.code(kept.sha256, language=None)
    st.download_button("Download the issued papers", kept.pdf, f"meeting-{kept.meeting_id}-papers.pdf",
                       PDF, key="papers_kept", icon=":material/picture_as_pdf:")


def _issue(meeting: dict) -> None:
    st.markdown("**Issue this meeting with its papers**: its figures, commentary and actions are "
                "frozen, and the PDF made from them is kept with its SHA-256.")
    sure = st.checkbox(CONFIRM, key=f"papers_confirm_{meeting['id']}")
    if st.button("Issue with papers", type="primary", disabled=not sure, key="papers_issue"):
        with st.spinner("Freezing the figures and making the papers…"):
            kept = run_write(make.issue_with_papers, int(meeting["id"]))
        if kept is not None:
            st.rerun()


filters = current_filters()
page_header("Papers", filters, "The papers for a meeting, made from the same figures the pages "
            "show: the board pack for the programme board, and the scrutiny pack for councillors "
            "and publication (it applies the public-figures rules).")
user = current_user()
may_board = user is not None and user.may("download_pack")
kind, meeting, period_label = _choose(filters.programme, filters.period.label, may_board)
if meeting is not None and meeting["status"] == "issued":
    _issued(meeting, user is not None and user.may("issue_meeting"))
try:
    pack = make.pack_for_view(kind, filters.programme, None if meeting else period_label,
                              None if meeting is None else int(meeting["id"]))
except ValueError as error:
    st.error(md_text(error))
    st.stop()
if may_board:
    _preview(pack)
    _make(pack, f"{kind}|{filters.programme}|{period_label}|{meeting and meeting['id']}")
else:
    _published(filters.programme)
    _preview(pack)
if meeting is not None and meeting["status"] == "draft" and user is not None and user.may("issue_meeting"):
    _issue(meeting)
