"""Council overview: each of the council's services in one place, with its headline, its status in
words and a way to its pages: the housing-support programmes the council holds, and the quality of
its care providers from CQC's files. What a councillor reads first before a scrutiny meeting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.figures.format import format_date, format_money, format_value
from dashboard.figures.safe_text import md_text
from dashboard.queries import care, savings
from dashboard.queries.board import HEADLINE_KPIS, kpi_history
from dashboard.queries.context import data_as_at, programme_family
from dashboard.queries.councils import council_details, council_programmes
from dashboard.queries.providers import NoSnapshot, provider_kpis
from dashboard.ui.components import council_header, rag_badge
from dashboard.ui.filters import Filters, current_filters

VERDICT_WORDS = {"green": "In line with or better than", "amber": "Below", "red": "Well below"}
BOARD_PAGE = "dashboard/pages/board_summary.py"
PROVIDERS_PAGE = "dashboard/pages/provider_quality.py"
SAVINGS_PAGE = "dashboard/pages/savings.py"
CARE_PAGE = "dashboard/pages/care_at_home.py"
_OPEN_PAGE = "_overview_open_page"  # set by a programme's button: the page to open
STATUS_ORDER = ("red", "amber", "green", "grey")
STATUS_WORDS = (("green", "on target"), ("amber", "close to target"), ("red", "off target"),
                ("grey", "without a target or data"))


def _open(programme: str, page: str) -> None:
    """The button's callback: choose the programme in the sidebar, then open its first page."""
    st.session_state["programme"] = programme
    st.session_state[_OPEN_PAGE] = page


def _way_in(filters: Filters, name: str, page: str, what: str) -> None:
    if name == filters.programme:
        st.page_link(page, label=f"{name}: {what}", icon=":material/dashboard:")
    else:
        st.button(f"Open {name}'s {what}", key=f"open_{name}", on_click=_open, args=(name, page),
                  icon=":material/dashboard:")


def _programme_status(rows: pd.DataFrame) -> tuple[str, str]:
    """(worst status, the count of headline KPIs at each status, in words)."""
    counts = rows["rag"].value_counts()
    words = ", ".join(f"{int(counts[r])} {w}" for r, w in STATUS_WORDS if r in counts)
    worst = next((r for r in STATUS_ORDER if r in counts and r != "grey"), "grey")
    return worst, words


def _housing_headline(filters: Filters, name: str) -> str:
    try:
        rows = kpi_history(name, filters.period.label, 0, HEADLINE_KPIS, public=filters.public)
    except ValueError:
        rows = pd.DataFrame(columns=["rag"])
    if rows.empty:
        return f"No figures for {filters.period.long_label}."
    worst, words = _programme_status(rows)
    return f"{rag_badge(worst)} Headline KPIs for {filters.period.long_label}: {words}."


def _savings_headline(filters: Filters, name: str) -> str:
    found = savings.page_tracker(name, filters.period.label)
    if found.workstreams["status"].isin([savings.NO_RETURN, savings.NOT_STARTED]).all():
        as_at = data_as_at(name)
        return (f"No delivery return for {filters.period.long_label}"
                + (f"; the newest is for {as_at:%B %Y}." if as_at else "."))
    judged = savings.kpi_rows(found).set_index("kpi")
    off = int(judged.loc["savings_workstreams_off_track", "value"])
    return (f"{rag_badge(judged.loc['savings_delivered_to_date', 'rag'])} "
            f"{format_money(found.delivered_to_date)} delivered against a profiled target of "
            f"{format_money(found.profiled_target_lower)} to the end of {filters.period.long_label}; "
            f"{off} of {len(found.workstreams)} workstreams off track.")


def _care_headline(filters: Filters, name: str) -> str:
    found = care.page_kpis(name, filters.period.label).set_index("kpi")["value"]
    if pd.isna(found["care_hours_commissioned_weekly"]):
        return f"No hours returned for {filters.period.long_label}."
    hours, delivered, waiting, good = (
        format_value(found[k], u) for k, u in (("care_hours_commissioned_weekly", "count"),
                                               ("care_hours_delivered_pct", "%"),
                                               ("care_people_waiting", "count"),
                                               ("care_hours_good_or_better_pct", "%")))
    return (f"{hours} hours a week commissioned, {delivered} delivered; {waiting} people waiting at the "
            f"end of {filters.period.long_label}; {good} of the hours from good providers.")


# Per family of programme: its heading, the page it opens on and what that page is, its headline.
SECTIONS: tuple[tuple[str, str, str, str, Callable[[Filters, str], str]], ...] = (
    ("housing", "Housing support and adaptations", BOARD_PAGE, "board summary", _housing_headline),
    ("savings", "Savings programmes", SAVINGS_PAGE, "savings tracker", _savings_headline),
    ("care", "Care at home", CARE_PAGE, "care at home", _care_headline),
)


def _programmes(filters: Filters, council: str) -> None:
    """Each programme the council holds, under its family's heading, with its headline in words."""
    held = council_programmes(council)
    for family, heading, page, what, headline in SECTIONS:
        names = [n for n in held if programme_family(n) == family]
        if not names and family != "housing":
            continue
        st.header(heading, anchor=False)
        if not names:
            st.info(f"{md_text(council)} holds no housing-support programme yet.")
        for name in names:
            with st.container(border=True):
                st.subheader(md_text(name), anchor=False)
                st.markdown(headline(filters, name))
                _way_in(filters, name, page, what)


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
    if (page := st.session_state.pop(_OPEN_PAGE, None)) is not None:
        st.switch_page(page)
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
