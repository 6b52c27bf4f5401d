"""Council overview: each of the council's services in one place, with its headline, its status in
words and a way to its pages: the housing-support programmes the council holds, and the quality of
its care providers from CQC's files. What a councillor reads first before a scrutiny meeting."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.figures.format import format_date, format_value
from dashboard.figures.safe_text import md_text
from dashboard.queries.board import HEADLINE_KPIS, kpi_history
from dashboard.queries.councils import council_details, council_programmes
from dashboard.queries.providers import NoSnapshot, provider_kpis
from dashboard.ui.components import council_header, rag_badge
from dashboard.ui.filters import Filters, current_filters

VERDICT_WORDS = {"green": "In line with or better than", "amber": "Below", "red": "Well below"}
BOARD_PAGE = "dashboard/pages/board_summary.py"
PROVIDERS_PAGE = "dashboard/pages/provider_quality.py"
_OPEN_BOARD = "_overview_open_board"  # set by a programme's button: open its board summary
STATUS_ORDER = ("red", "amber", "green", "grey")
STATUS_WORDS = (("green", "on target"), ("amber", "close to target"), ("red", "off target"),
                ("grey", "without a target or data"))


def _open(programme: str) -> None:
    """The button's callback: choose the programme in the sidebar, then open its board summary."""
    st.session_state["programme"] = programme
    st.session_state[_OPEN_BOARD] = True


def _programme_status(rows: pd.DataFrame) -> tuple[str, str]:
    """(worst status, the count of headline KPIs at each status, in words)."""
    counts = rows["rag"].value_counts()
    words = ", ".join(f"{int(counts[r])} {w}" for r, w in STATUS_WORDS if r in counts)
    worst = next((r for r in STATUS_ORDER if r in counts and r != "grey"), "grey")
    return worst, words


def _programmes(filters: Filters, council: str) -> None:
    st.header("Housing support and adaptations", anchor=False)
    names = council_programmes(council)
    if not names:
        st.info(f"{md_text(council)} holds no housing-support programme yet.")
        return
    for name in names:
        with st.container(border=True):
            st.subheader(md_text(name), anchor=False)
            try:
                rows = kpi_history(name, filters.period.label, 0, HEADLINE_KPIS, public=filters.public)
            except ValueError:
                rows = pd.DataFrame(columns=["rag"])
            if rows.empty:
                st.markdown(f"No figures for {filters.period.long_label}.")
            else:
                worst, words = _programme_status(rows)
                st.markdown(f"{rag_badge(worst)} Headline KPIs for {filters.period.long_label}: "
                            f"{words}.")
            if name == filters.programme:
                st.page_link(BOARD_PAGE, label=f"{name}: board summary", icon=":material/dashboard:")
            else:
                st.button(f"Open {name}'s board summary", key=f"open_{name}", on_click=_open,
                          args=(name,), icon=":material/dashboard:")


def _providers(council: str, as_at: date) -> None:
    st.header("Quality of care providers", anchor=False)
    with st.container(border=True):
        try:
            kpis = provider_kpis(council, as_at)
        except NoSnapshot:
            st.info("No CQC care directory is loaded for this period. Load CQC's HSCA Active "
                    "Locations file with python -m data_loaders load.")
            return
        value = {(r.kpi, r.group): r.value for r in kpis.itertuples()}
        good = value.get(("provider_good_or_outstanding_pct", "council"))
        others = value.get(("provider_good_or_outstanding_pct", "comparators"))
        england = value.get(("provider_good_or_outstanding_pct", "england"))
        inadequate = value.get(("provider_inadequate_count", "council"))
        if good is None or pd.isna(good):
            st.markdown(f"CQC's file of {format_date(kpis.attrs['as_at'])} lists no rated services in "
                        f"{md_text(council)}.")
        else:
            compared = others if others is not None and not pd.isna(others) else england
            verdict = ("green" if compared is None or pd.isna(compared) or good >= compared - 0.5
                       else "amber" if good >= compared - 5 else "red")
            words = VERDICT_WORDS[verdict]
            against = "its comparator councils" if compared is others else "England"
            st.markdown(f"{rag_badge(verdict)} {words} {against}: "
                        f"**{format_value(good, '%')}** of rated services Good or Outstanding "
                        f"(comparators {format_value(others, '%')}, "
                        f"England {format_value(england, '%')}); "
                        f"{format_value(inadequate, 'count')} rated Inadequate. CQC file of "
                        f"{format_date(kpis.attrs['as_at'])}.")
        st.page_link(PROVIDERS_PAGE, label="Provider quality: ratings, inspections and changes",
                     icon=":material/verified:")


def main() -> None:
    if st.session_state.pop(_OPEN_BOARD, False):
        st.switch_page(BOARD_PAGE)
    filters = current_filters()
    council = filters.council or ""
    details = council_details(council)
    as_at = min(filters.period.end, date.today())
    council_header("Council overview", filters, None,
                   "Each service the council oversees, with its headline and status for the period.")
    if details is not None and details["comparators"]:
        st.caption(f"{md_text(str(details['kind']))}. Compared with: "
                   f"{md_text('; '.join(details['comparators']))}.")
    _programmes(filters, council)
    _providers(council, as_at)


main()
