"""The sidebar filters every page shares, kept in the URL so a pasted link opens the same view."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.periods import Grain, Period, parse_period
from dashboard.queries import context
from dashboard.safe_text import md_text

GRAIN_LABELS: dict[Grain, str] = {"year": "Financial year", "quarter": "Quarter", "month": "Month"}
# Bound widgets keep the shown option in the URL (?grain=Year), so options are plain words.
GRAIN_OPTIONS: dict[str, Grain] = {"Year": "year", "Quarter": "quarter", "Month": "month"}


@dataclass(frozen=True)
class Filters:
    programme: str
    period: Period
    districts: tuple[str, ...] | None  # None: every district
    # True for the public view: every figure passes the public-figures rules before it is shown.
    public: bool = False

    @property
    def area_label(self) -> str:
        return "all districts" if self.districts is None else ", ".join(self.districts)


def sidebar_filters(public: bool = False) -> Filters | None:
    """Draw the filters; None when no programme has any data yet. ``public``: the figures pass the
    public-figures rules (the signed-in role decides, on the server)."""
    names = context.programme_names()
    if not names:
        return None
    with st.sidebar:
        programme = st.selectbox("Programme", names, key="programme", bind="query-params",
                                 persist_state="session")
        chosen_grain = st.segmented_control(
            "Period", list(GRAIN_OPTIONS), default="Quarter", key="grain", bind="query-params",
            required=True, persist_state="session",
        )
        grain = GRAIN_OPTIONS.get(chosen_grain or "Quarter", "quarter")
        options = context.available_periods(programme, grain)
        if not options:
            st.info(f"{md_text(programme)} has no cases, grants, surveys or feedback loaded yet.")
            return None
        # Bound widgets keep the shown option text in the URL, so options are short labels.
        by_label = {parse_period(o).short_label: parse_period(o) for o in options}
        label = st.selectbox(GRAIN_LABELS[grain], list(by_label), key=f"period_{grain}",
                             bind="query-params", persist_state="session")
        district_names = list(context.districts(programme)["district"])
        chosen = st.multiselect("Districts", district_names, placeholder="All districts",
                                key="district", bind="query-params",
                                 persist_state="session")
        as_at = context.data_as_at(programme)
        if as_at is not None:
            st.caption(f"Data as at **{as_at.day} {as_at:%B %Y}** (latest record loaded)")
    return Filters(programme, by_label[label], tuple(chosen) or None, public)


def current_filters() -> Filters:
    """The filters the entry file drew for this run (pages never draw their own)."""
    return st.session_state["filters"]
