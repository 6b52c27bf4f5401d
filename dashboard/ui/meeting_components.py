"""Display pieces of the meeting cycle shared by the board summary, trends, district comparison
and actions pages: commentary, the draft narrative, the Making Data Count table and action counts.

Every comment is somebody's free text, so it reaches Markdown only through ``md_text``; writes go
through ``dashboard.meetings``, which checks the role again on the server.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.access.roles import PermissionDenied
from dashboard.access.signin import current_user
from dashboard.figures.format import format_date, format_value
from dashboard.figures.safe_text import md_text
from dashboard.meetings.actions import action_counts
from dashboard.meetings.commentary import MAX_TEXT, commentary_history, latest_commentary, write_commentary
from dashboard.meetings.narrative import Draft, period_drafts
from dashboard.queries.mdc import mdc_summary
from dashboard.queries.registry import get_kpi
from dashboard.ui.components import data_table
from dashboard.ui.filters import Filters

TRENDS_PAGE = "dashboard/pages/trends.py"
ACTIONS_PAGE = "dashboard/pages/actions.py"
MEETINGS_PAGE = "dashboard/pages/meetings.py"
PROGRAMME = "Programme"
DISCARDED = "_meeting_discarded_drafts"


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def comment_markdown(row: pd.Series) -> str:
    """A comment as Markdown: reason, recommended action, who and when; all free text escaped."""
    text = f"**Reason:** {md_text(row['reason'])}"
    if isinstance(row["recommended_action"], str) and row["recommended_action"]:
        text += f"  \n**Recommended action:** {md_text(row['recommended_action'])}"
    drafted = " (accepted from the draft)" if bool(row["drafted"]) else ""
    return text + (f"  \n*{md_text(row['author'])}, {format_date(_day(row['written_at']))}, "
                   f"version {int(row['version'])}{drafted}*")


def latest_for(filters: Filters) -> pd.DataFrame:
    """The newest version of every comment for the chosen period."""
    return latest_commentary(filters.programme, (filters.period.label,))


def comment_of(latest: pd.DataFrame, kpi_id: str, district: str | None) -> pd.Series | None:
    rows = latest[(latest["kpi"] == kpi_id)
                  & (latest["district"].isna() if district is None else latest["district"] == district)]
    return None if rows.empty else rows.iloc[-1]


def run_write(write: Callable[..., object], *args: object, **kwargs: object) -> object | None:
    """Run a write as the signed-in person: its result (True if it returns nothing), or None after
    showing why it was refused, so a page never shows a traceback for a refused write."""
    try:
        result = write(current_user(), *args, **kwargs)
    except (ValueError, PermissionDenied) as error:
        st.error(md_text(error))
        return None
    return True if result is None else result


def _comment_form(filters: Filters, kpi_ids: tuple[str, ...], areas: list[str | None], key: str) -> None:
    with st.form(key, clear_on_submit=True):
        names = {get_kpi(k).name: k for k in kpi_ids}
        kpi_name = st.selectbox("KPI", list(names), key=f"{key}_kpi") if len(names) > 1 else next(iter(names))
        labels = {area or PROGRAMME: area for area in areas}
        area = labels[st.selectbox("Area", list(labels), key=f"{key}_area")] if len(labels) > 1 else areas[0]
        reason = st.text_area("Reason for the variance", max_chars=MAX_TEXT, key=f"{key}_reason")
        action = st.text_area("Recommended action (optional)", max_chars=MAX_TEXT, key=f"{key}_action")
        if st.form_submit_button("Save comment"):
            version = run_write(write_commentary, filters.programme, names[kpi_name], area,
                            filters.period.label, reason, action)
            if version is not None:
                st.success(f"Saved as version {version}.")


def commentary_panel(filters: Filters, kpi_ids: tuple[str, ...], areas: list[str | None], key: str) -> None:
    """An expander with the latest comment per KPI and area for the period, each comment's earlier
    versions, and for officers a form to add one (an edit is a new version)."""
    # Keyed and rerun on open so the server holds the open state: saving a comment puts it beside
    # its KPI above this panel, and an unkeyed expander that moves is redrawn closed.
    with st.expander("Commentary", key=f"{key}_open", on_change="rerun"):
        shown = st.container()
        if current_user().may("commentary"):
            _comment_form(filters, kpi_ids, areas, key)
        latest = latest_for(filters)  # after any write above, so the new version shows
        with shown:
            found = False
            for kpi_id in kpi_ids:
                for area in areas:
                    row = comment_of(latest, kpi_id, area)
                    if row is None:
                        continue
                    found = True
                    st.markdown(f"**{md_text(get_kpi(kpi_id).name)} — {md_text(area or PROGRAMME)}**  \n"
                                + comment_markdown(row))
                    if int(row["version"]) > 1:
                        history = commentary_history(filters.programme, kpi_id, area, filters.period.label)
                        st.caption("Every version, newest first")
                        data_table(history.assign(written_at=history["written_at"].map(_day)),
                                   title=f"{get_kpi(kpi_id).name}, {area or PROGRAMME}: comments",
                                   units={"written_at": "date"})
            if not found:
                st.markdown(f"No commentary yet for {filters.period.long_label}.")


def mdc_table(filters: Filters) -> None:
    """The Making Data Count summary: latest figure, target, variation and assurance per KPI."""
    table = mdc_summary(filters.programme, filters.period.label, filters.districts)
    st.subheader("Making Data Count summary")
    export = pd.DataFrame({"KPI": table["name"], "Latest": table["value"], "Target": table["target"],
                           "Unit": table["unit"], "Variation": table["variation"],
                           "Assurance": table["assurance"]})
    data_table(pd.DataFrame({
        "KPI": table["name"],
        "Latest": [format_value(v, u) for v, u in zip(table["value"], table["unit"], strict=True)],
        "Target": [format_value(v, u) for v, u in zip(table["target"], table["unit"], strict=True)],
        "Variation": table["variation"], "Assurance": table["assurance"]}),
        title="Making Data Count summary", export=export,
        units=dict.fromkeys(("Latest", "Target"), list(table["unit"])))
    st.page_link(TRENDS_PAGE, label="See any KPI as an XmR chart on Trends", icon=":material/monitoring:")


def action_metrics(filters: Filters) -> None:
    """Open and overdue actions as metrics, with a link to the log."""
    open_count, overdue = action_counts(filters.programme, date.today())
    st.subheader("Actions")
    if open_count == 0:  # a sentence, not two zero tiles beside the KPI tiles
        st.markdown("No open actions.")
    else:
        left, right = st.columns(2)
        left.metric("Open actions", open_count, border=True)
        right.metric("⚠ Overdue actions", overdue, border=True, help="Open and past their due date")
    st.page_link(ACTIONS_PAGE, label="Action log", icon=":material/checklist:")


def _pending(drafts: list[Draft], latest: pd.DataFrame) -> list[Draft]:
    """Drafts nobody has discarded this session and no comment yet covers."""
    discarded = st.session_state.setdefault(DISCARDED, set())
    return [d for d in drafts if (d.kpi, d.district, d.period) not in discarded
            and comment_of(latest, d.kpi, d.district) is None]


def pending_drafts(filters: Filters, periods_back: int, kpi_ids: tuple[str, ...]) -> list[Draft]:
    """The drafted sentences for the period (from its last ``periods_back`` periods of
    ``kpi_ids``) that nobody has accepted or discarded yet."""
    drafts = period_drafts(filters.programme, filters.period.label, periods_back, kpi_ids,
                           filters.districts)
    return _pending(drafts, latest_for(filters))


def drafts_waiting(filters: Filters, periods_back: int, kpi_ids: tuple[str, ...]) -> None:
    """Officers only, on the board summary: one line saying how many drafts wait on the Meetings
    page, so the figures come first (33 draft boxes once buried them)."""
    if not current_user().may("commentary"):
        return
    count = len(pending_drafts(filters, periods_back, kpi_ids))
    if count:
        st.page_link(MEETINGS_PAGE, icon=":material/edit_note:",
                     label=f"{count} draft comment{'s' if count != 1 else ''} waiting for review on "
                           "the Meetings page")


def draft_section(filters: Filters, periods_back: int, kpi_ids: tuple[str, ...],
                  meeting_id: int | None = None) -> None:
    """Officers only: the drafted sentences for the period, each under its KPI's name (and
    district), to accept (as written or edited) or discard; accepted for ``meeting_id`` when the
    drafts are shown for a meeting, so the comment belongs to it."""
    if not current_user().may("commentary"):
        return
    st.subheader("Draft commentary")
    st.caption("Drafted from the figures for KPIs off or close to target, whose status changed, or "
               "showing a special cause. Nothing is saved until you accept it.")
    pending = pending_drafts(filters, periods_back, kpi_ids)
    for draft in pending:
        key = f"draft_{draft.kpi}_{draft.district or 'programme'}"
        name = get_kpi(draft.kpi).name
        with st.container(border=True):
            st.markdown(f"**{md_text(name)}**" + (f" · {md_text(draft.district)}" if draft.district
                                                   else " · whole programme"))
            text = st.text_area(f"Draft for {name}", value=draft.text, key=f"{key}_text",
                                max_chars=MAX_TEXT)
            accept, discard = st.columns(2)
            if accept.button("Accept", key=f"{key}_accept", type="primary"):
                if run_write(write_commentary, filters.programme, draft.kpi, draft.district, draft.period,
                             text, drafted=True, meeting_id=meeting_id) is not None:
                    st.rerun()
            if discard.button("Discard", key=f"{key}_discard"):
                st.session_state[DISCARDED].add((draft.kpi, draft.district, draft.period))
                st.rerun()
    if not pending:
        st.markdown("No drafts waiting for this period.")
