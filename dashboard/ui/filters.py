"""The sidebar filters every page shares, kept in the URL so a pasted link opens the same view.

The URL always names the view shown, defaults included: a link copied on the default view carries
its programme, grain and period, so it still shows that quarter after newer data arrives. A link is
read once, when a session opens; anything in it that does not exist (a programme, a period the
programme has no data for, a district of another programme) is named in one line and the default
shown instead, never silently replaced."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.figures.periods import Grain, Period, parse_period
from dashboard.figures.safe_text import md_text
from dashboard.queries import context, councils

GRAIN_LABELS: dict[Grain, str] = {"year": "Financial year", "quarter": "Quarter", "month": "Month"}
# The URL keeps the shown option (?grain=Year&period_year=2019/20), so options are plain words.
GRAIN_OPTIONS: dict[str, Grain] = {"Year": "year", "Quarter": "quarter", "Month": "month"}
DEFAULT_GRAIN = "Quarter"
_LINK_READ = "_filters_link_read"  # session state: the opening link has been read
_LINK_FAULTS = "_filters_link_faults"  # (what was wrong, the view shown instead)
_PUBLIC_ONE_DISTRICT = "_filters_public_trimmed"  # the districts a public link asked for


ON_THEIR_OWN = "Programmes with no council"  # the council picker's entry for those


@dataclass(frozen=True)
class Filters:
    programme: str | None  # None: the council chosen holds no programme (council pages only)
    period: Period
    districts: tuple[str, ...] | None  # None: every district
    # True for the public view: every figure passes the public-figures rules before it is shown.
    public: bool = False
    council: str | None = None  # None: no council is set up, or the programme has none
    family: str = "housing"  # the programme's: "housing" (districts), "savings" or "care"

    @property
    def area_label(self) -> str:
        return "all districts" if self.districts is None else ", ".join(self.districts)


def period_key(grain: Grain) -> str:
    """The widget key and query parameter of the period picker for ``grain``."""
    return f"period_{grain}"


def link_params(filters: Filters) -> dict[str, str | list[str]]:
    """The query parameters that open ``filters``' view (for links between pages)."""
    grain = filters.period.grain
    params: dict[str, str | list[str]] = {
        "grain": next(k for k, v in GRAIN_OPTIONS.items() if v == grain),
        period_key(grain): filters.period.short_label,
    }
    if filters.council:
        params["council"] = filters.council
    if filters.programme:
        params["programme"] = filters.programme
    if filters.districts:
        params["district"] = list(filters.districts)
    return params


def _periods(programme: str | None, grain: Grain) -> list[str]:
    """The programme's periods, or with no programme those of the council's CQC snapshots."""
    if programme is None:
        return context.council_periods(grain)
    return context.available_periods(programme, grain)


def _period_labels(programme: str | None, grain: Grain) -> list[str]:
    """Short labels of the periods, newest (the default) first."""
    return [parse_period(p).short_label for p in _periods(programme, grain)]


def _programmes_of(council: str | None) -> list[str]:
    if council is None:
        return context.programme_names()
    if council == ON_THEIR_OWN:
        return councils.programmes_on_their_own()
    return councils.council_programmes(council)


def _council_options() -> list[str]:
    """Councils set up, then (if any) the programmes given none; empty with no council set up."""
    names = councils.council_names()
    if names and councils.programmes_on_their_own():
        names = [*names, ON_THEIR_OWN]
    return names


def _opening_council(options: list[str]) -> str:
    """The council the sidebar opens on: the one holding the most programmes (a deployment's own
    council, beside the few others it compares with), the first by name among equals."""
    return max(options, key=lambda c: (len(_programmes_of(c)) if c != ON_THEIR_OWN else -1,
                                       -options.index(c)))


def _read_council(options: list[str], faults: list[str]) -> str | None:
    """The link's council, or the one holding the link's programme, or the opening one."""
    if not options:
        return None
    asked = st.query_params.get("council")
    if asked is not None and asked not in options:
        faults.append(f"The link named council '{md_text(asked)}', which is not set up; showing "
                      f"{md_text(_opening_council(options))}.")
        asked = None
    programme = st.query_params.get("programme")
    if asked is None and programme is not None:
        asked = next((c for c in options if programme in _programmes_of(c)), None)
    return asked or _opening_council(options)


def _opening_programme(names: list[str]) -> str:
    """The programme a council opens on: its first programme of districts (the board summary the
    product starts from), else its first programme."""
    return next((n for n in names if context.programme_family(n) == "housing"), names[0])


def _read_link(names: list[str]) -> list[str]:
    """First run of a session: put the link's choices into the widgets; return what was wrong."""
    params = st.query_params
    faults: list[str] = []
    council = _read_council(_council_options(), faults)
    if council is not None:
        st.session_state["council"] = council
        names = _programmes_of(council)
    programme = params.get("programme")
    if programme is not None and programme not in names:
        where = f" under {md_text(council)}" if council and programme in context.programme_names() else ""
        instead = f"showing {md_text(_opening_programme(names))}" if names else "showing the council's pages"
        faults.append(f"The link named programme '{md_text(programme)}', which does not exist{where}; "
                      f"{instead}.")
        programme = None
    programme = programme or (_opening_programme(names) if names else None)
    st.session_state["programme"] = programme
    chosen_grain = params.get("grain")
    if chosen_grain is not None and chosen_grain not in GRAIN_OPTIONS:
        faults.append(f"The link named period type '{md_text(chosen_grain)}', which does not exist; "
                      f"showing {DEFAULT_GRAIN}.")
        chosen_grain = None
    chosen_grain = chosen_grain or DEFAULT_GRAIN
    st.session_state["grain"] = chosen_grain
    grain = GRAIN_OPTIONS[chosen_grain]
    labels = _period_labels(programme, grain)
    period = params.get(period_key(grain))
    if period is not None and labels and period not in labels:
        faults.append(f"The link named period '{md_text(period)}', which {md_text(programme)} has "
                      f"no data for; showing {labels[0]}.")
    elif period is not None and labels:
        st.session_state[period_key(grain)] = period
    known = set(context.districts(programme)["district"]) if programme else set()
    asked = params.get_all("district")
    unknown = [d for d in asked if d not in known]
    if unknown:
        named = ", ".join(f"'{md_text(d)}'" for d in unknown)
        kept = [d for d in asked if d in known]
        instead = "; showing the others" if kept else "; showing all districts"
        faults.append(f"The link named district{'s' if len(unknown) > 1 else ''} {named}, which "
                      f"{'are' if len(unknown) > 1 else 'is'} not part of {md_text(programme)}"
                      f"{instead}.")
    st.session_state["district"] = list(dict.fromkeys(d for d in asked if d in known))
    return faults


def _write_link(filters: Filters) -> None:
    """Keep the URL naming the view shown; a parameter is only sent when it changes."""
    wanted = link_params(filters)
    stale = [k for k in st.query_params
             if (k.startswith("period_") or k in ("district", "programme", "council")) and k not in wanted]
    for key in stale:
        del st.query_params[key]
    changed = {k: v for k, v in wanted.items()
               if st.query_params.get_all(k) != (v if isinstance(v, list) else [v])}
    if changed:
        st.query_params.update(changed)


def _show_link_faults(filters: Filters) -> None:
    """The link's faults, for as long as the view is the one shown in their place."""
    faults, shown = st.session_state.get(_LINK_FAULTS, ((), None))
    if faults and shown == filters:
        st.warning("\n\n".join(faults), icon=":material/link_off:")


def _district_picker(district_names: list[str], public: bool) -> list[str]:
    """Any districts for the board; for the public one district or all, because a group's
    combined figure less the programme's gives back the district left out (public_figures)."""
    if not public:
        return st.multiselect("Districts", district_names, placeholder="All districts",
                              key="district", persist_state="session")
    asked = st.session_state.get("district", [])
    if len(asked) > 1:
        st.session_state["district"] = asked[:1]
        st.session_state[_PUBLIC_ONE_DISTRICT] = asked
    chosen = st.multiselect("District", district_names, placeholder="All districts",
                            key="district", max_selections=1, persist_state="session",
                            help="The public view shows the whole programme or one district.")
    trimmed = st.session_state.get(_PUBLIC_ONE_DISTRICT)
    if trimmed and chosen == trimmed[:1]:
        st.caption(f"The public view shows one district at a time: showing {md_text(chosen[0])}.")
    return chosen


def sidebar_filters(public: bool = False) -> Filters | None:
    """Draw the filters, the council first where any is set up; None when there is nothing to
    show yet. ``public``: the figures pass the public-figures rules (the signed-in role decides,
    on the server)."""
    options = _council_options()
    names = context.programme_names()
    if not names and not options:
        return None
    first_run = not st.session_state.get(_LINK_READ)
    if first_run:
        faults = _read_link(names)
        st.session_state[_LINK_READ] = True
    with st.sidebar:
        council = None
        if options:
            if st.session_state.get("council") not in options:
                st.session_state.pop("council", None)
            council = st.selectbox("Council", options, key="council", persist_state="session",
                                   index=options.index(_opening_council(options)))
            names = _programmes_of(council)
        programme = None
        if names:
            if st.session_state.get("programme") not in names:
                st.session_state.pop("programme", None)
            programme = st.selectbox("Programme", names, key="programme", persist_state="session",
                                     index=names.index(_opening_programme(names)))
        else:
            st.caption(f"{md_text(council)} holds no programme yet: its council pages are shown.")
        chosen_grain = st.segmented_control("Period", list(GRAIN_OPTIONS), key="grain",
                                            required=True, persist_state="session")
        grain = GRAIN_OPTIONS.get(chosen_grain or DEFAULT_GRAIN, "quarter")
        options_ = _periods(programme, grain)
        if not options_:
            what = md_text(programme) if programme else md_text(council)
            st.info(f"{what} has no cases, grants, surveys, feedback, savings returns or CQC files "
                    "loaded yet.")
            return None
        by_label = {parse_period(o).short_label: parse_period(o) for o in options_}
        key = period_key(grain)
        if st.session_state.get(key) not in by_label:  # another programme's period, or none yet
            st.session_state.pop(key, None)
        label = st.selectbox(GRAIN_LABELS[grain], list(by_label), key=key, persist_state="session")
        chosen: list[str] = []
        family = context.programme_family(programme) if programme else "housing"
        if programme and family != "housing":  # no districts to choose
            as_at = context.data_as_at(programme)
            if as_at is not None:
                st.caption(f"Data as at **{as_at.day} {as_at:%B %Y}** (latest return)")
        elif programme:
            district_names = list(context.districts(programme)["district"])
            if any(d not in district_names for d in st.session_state.get("district", [])):
                st.session_state["district"] = [d for d in st.session_state["district"]
                                                if d in district_names]
            chosen = _district_picker(district_names, public)
            as_at = context.data_as_at(programme)
            if as_at is not None:
                st.caption(f"Data as at **{as_at.day} {as_at:%B %Y}** (latest record loaded)")
    filters = Filters(programme, by_label[label], tuple(chosen) or None, public,
                      council if council and council != ON_THEIR_OWN else None, family)
    if first_run:
        st.session_state[_LINK_FAULTS] = (tuple(faults), filters)
    _write_link(filters)
    _show_link_faults(filters)
    return filters


def current_filters() -> Filters:
    """The filters the entry file drew for this run (pages never draw their own)."""
    return st.session_state["filters"]
