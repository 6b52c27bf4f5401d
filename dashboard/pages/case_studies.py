"""Case studies: the evidence behind the numbers, as readable cards. Only case studies whose
resident consented to publication are ever fetched, so none can leak into a pack or a screen.
Every word from the return is shown as plain text; the headings around it are ours."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.access import Role
from dashboard.access.signin import current_user
from dashboard.figures.format import format_date, format_month
from dashboard.figures.safe_text import md_text
from dashboard.figures.vocabulary import REFERRAL_REASONS, REFERRALS_OUT
from dashboard.queries import case_studies
from dashboard.ui.components import empty_state, page_header
from dashboard.ui.filters import Filters, current_filters

ANY = "Any"
SECTIONS = (("main_issues", "Main issues"), ("actions_taken", "Actions taken"),
            ("referrals_made", "Referrals made to"), ("benefits", "How it helped"),
            ("others_involved", "Who else was involved"), ("ongoing_support", "Ongoing support"))


def _filters() -> tuple[str, str | None, str | None]:
    search, reason, referral = st.columns([2, 1, 1])
    text = search.text_input("Search", placeholder="e.g. bathing, hospital, stairlift",
                             key="case_search")
    chosen_reason = reason.selectbox("Referral reason", [ANY, *REFERRAL_REASONS], key="case_reason")
    chosen_referral = referral.selectbox("Referral made to", [ANY, *REFERRALS_OUT],
                                         key="case_referral")
    return (text, None if chosen_reason == ANY else chosen_reason,
            None if chosen_referral == ANY else chosen_referral)


def _dates(study: pd.Series, when: Callable[[date], str]) -> str:
    start, end = study["start_date"], study["end_date"]
    if pd.isna(start):
        return ""
    return f" · worked with {when(start)} to {when(end) if pd.notna(end) else 'now'}"


def _show_card(study: pd.Series, public: bool) -> None:
    when = format_month if public else format_date  # the public never sees an exact day
    with st.container(border=True):
        st.subheader(md_text(study["title"]), anchor=False)  # no anchor: no link made of its words
        referral = ", ".join(v for v in (study["referral_source"], study["referral_reason"])
                             if isinstance(v, str) and v)
        about = (f"{study['district']} · submitted {when(study['date_submitted'])}"
                 f"{' · referred by ' + referral if referral else ''}{_dates(study, when)}")
        st.caption(md_text(about))
        for column, heading in SECTIONS:
            if isinstance(study[column], str) and study[column].strip():
                st.markdown(f"**{heading}:** {md_text(study[column])}")
        if isinstance(study["quote"], str) and study["quote"].strip():
            quote = md_text(study["quote"].strip('“”" '))
            st.markdown(f"> “{quote}”")


def render(filters: Filters) -> None:
    page_header("Case studies", filters, "Stories from residents who agreed to share them, "
                "following the programme's case-study template. Text is checked for details that "
                "could identify a person (names, addresses, postcodes, NHS numbers and the like) "
                "when it is loaded, and again before it is shown.")
    text, reason, referral = _filters()
    screened = current_user().role < Role.OFFICER
    found = case_studies.published_case_studies(filters.programme, filters.districts, text,
                                                reason, referral, screened, filters.period.label)
    st.caption(f"Case studies whose work with the resident overlapped {filters.period.long_label}, "
               "or that were submitted in it.")
    withheld = case_studies.withheld_count(filters.programme)
    if withheld:
        st.caption(f"{withheld} case {'study is' if withheld == 1 else 'studies are'} not shown "
                   "because the resident did not consent to publication.")
    if found.empty:
        empty_state("case studies match")
        return
    st.caption(f"{len(found)} case {'study' if len(found) == 1 else 'studies'} shown.")
    for _, study in found.iterrows():
        _show_card(study, filters.public)


render(current_filters())
