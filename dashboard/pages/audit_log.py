"""Audit trail (administrators): who signed in, loaded a return, edited commentary, targets, actions
or roles, issued a meeting or downloaded a pack, and when — and a check that nobody has altered it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st

from dashboard.access.audit import ACTION_LABELS
from dashboard.queries.audit import UK_TIME, audit_actors, audit_entries, check_chain
from dashboard.ui.components import data_table, page_header
from dashboard.ui.filters import Filters, current_filters

EVERYONE = "Everyone"
ALL_ACTIONS = "All actions"
SHOWN = 1000
COLUMNS = {"id": "Entry", "at": "When (UK time)", "actor": "Who", "role": "Role", "action": "Action",
           "programme": "Programme", "detail": "Detail"}


def _days(chosen: object) -> tuple[date | None, date | None]:
    """The picked range; while only the first day is picked, everything from it."""
    picked = list(chosen) if isinstance(chosen, tuple | list) else [chosen]
    return (picked + [None, None])[0], (picked + [None, None])[1]


def render(filters: Filters) -> None:
    page_header("Audit trail", filters,
                intro="Every sign-in, load, edit, meeting issued and pack downloaded, across all "
                      "programmes. Entries are added, never changed or removed.")
    today = datetime.now(UK_TIME).date()
    when, who, what = st.columns(3)
    since, until = _days(when.date_input("Between", (today - timedelta(days=30), today),
                                         max_value=today, format="DD/MM/YYYY", key="audit_days"))
    actor = who.selectbox("Who", [EVERYONE, *audit_actors()], key="audit_actor")
    codes = {label: code for code, label in ACTION_LABELS.items()}
    action = what.selectbox("Action", [ALL_ACTIONS, *codes], key="audit_action")
    entries = audit_entries(since, until, None if actor == EVERYONE else actor, codes.get(action), SHOWN)
    if entries.empty:
        st.info("No audit entries match. Try a longer date range, everyone or all actions.")
    else:
        shown = entries.assign(action=entries["action"].map(lambda a: ACTION_LABELS.get(a, a)),
                               programme=entries["programme"].fillna(""),
                               detail=entries["detail"].fillna(""))
        data_table(shown[list(COLUMNS)].rename(columns=COLUMNS), title="Audit trail", column_config={
            COLUMNS["at"]: st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm:ss")})
        full = len(entries) == SHOWN
        more = f" (the newest {SHOWN:,}; narrow the filters to see older ones)" if full else ""
        st.caption(f"{len(entries):,} {'entry' if len(entries) == 1 else 'entries'} shown, newest "
                   f"first{more}.")

    st.subheader("Has anyone altered the trail?")
    st.markdown("Each entry carries a fingerprint of itself and of the entry before it, so an entry "
                "changed, removed or slipped in directly in the database breaks the chain. The check "
                "reads every entry and changes nothing.")
    if st.button("Check the chain", key="audit_check", icon=":material/verified_user:"):
        with st.spinner("Checking every entry…"):
            result = check_chain()
        if result.ok:
            st.success(f"{result.message}.", icon=":material/check_circle:")
            if result.last_hash:
                st.caption(f"Newest fingerprint: `{result.last_hash}`. The chain cannot show entries "
                           "cut off its end; a note of this fingerprint (in the minutes, say) can.")
        else:
            st.error(f"{result.message}. Report this to the data protection officer; do not edit "
                     "the audit table.", icon=":material/error:")


render(current_filters())
