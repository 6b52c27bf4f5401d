"""Provider quality: CQC's ratings of the council's regulated adult social care services, against
its comparator group and England, with the inspections of the period, what changed since the
previous file, old ratings, and the contracted services rated Requires improvement or Inadequate."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.figures.charts import rating_mix_chart
from dashboard.figures.format import format_date, format_value
from dashboard.figures.safe_text import md_text
from dashboard.figures.vocabulary import CQC_SERVICES
from dashboard.queries.providers import (
    HEADLINE_KPIS,
    NoSnapshot,
    contracted_services,
    good_share_words,
    inspections_published,
    mix_table,
    named_mix,
    old_ratings,
    outcome_counts,
    provider_kpis,
    rating_changes,
    rating_mix,
    services_of_concern,
)
from dashboard.queries.registry import get_kpi
from dashboard.ui.components import chart, council_header, data_table, how_measured
from dashboard.ui.filters import current_filters

GROUP_NAMES = {"comparators": "Comparator councils", "england": "England"}
# Day first, as every date the product shows; sorting still by the date itself.
DATE_COLUMNS = {name: st.column_config.DateColumn(name, format="D MMM YYYY")
                for name in ("Published", "Report published")}
CHANGE_WORDS = {"improved": "Improved", "declined": "Declined", "newly_rated": "Newly rated",
                "closed": "Closed (left the directory)"}
PUBLIC_NOTE = ("CQC publishes every rating and the name of every service, so these figures are public "
               "as they stand: the small-number suppression that protects people in the programme "
               "figures does not apply to them.")


def _tiles(kpis: pd.DataFrame, council: str) -> None:
    value = {(r.kpi, r.group): r.value for r in kpis.itertuples()}
    columns = st.columns(3)
    for i, kpi_id in enumerate(HEADLINE_KPIS):
        kpi = get_kpi(kpi_id)
        others = [f"{GROUP_NAMES[g]} {format_value(value.get((kpi_id, g)), kpi.unit)}"
                  for g in GROUP_NAMES if (kpi_id, g) in value and kpi.unit != "count"]
        with columns[i % 3]:
            st.metric(kpi.name, format_value(value.get((kpi_id, "council")), kpi.unit), border=True,
                      help=f"{kpi.definition} Better when {kpi.better_when}.")
            st.caption(md_text(" · ".join(others)) if others else md_text(council))


def _mix(mix: pd.DataFrame, council: str) -> None:
    st.header("Ratings now", anchor=False)
    tabs = st.tabs([CQC_SERVICES[s] for s in CQC_SERVICES])
    for tab, service in zip(tabs, CQC_SERVICES, strict=True):
        shown = mix_table(mix, service)
        title = f"{CQC_SERVICES[service]}: CQC ratings, {council} against others"
        with tab:
            left, right = st.columns(2)
            with left:
                chart(rating_mix_chart(mix[mix["service"] == service], "area", title),
                      good_share_words(mix, service), shown, key=f"mix_{service}", title=title)
            with right:
                data_table(shown, title=f"{CQC_SERVICES[service]} by rating")


def _inspections(council: str, first: date, last: date, as_at: date) -> None:
    st.header("Inspections published in the period", anchor=False)
    found = inspections_published(council, first, last, as_at)
    if found.empty:
        st.info(f"No inspection reports for {md_text(council)} were published from {format_date(first)} "
                f"to {format_date(min(last, as_at))}.")
        return
    counts = outcome_counts(found)
    counts = counts.assign(Service=counts["service"].map(CQC_SERVICES), Rating=counts["rating"],
                           Services=counts["count"], Share=counts["percent"].map(lambda p: f"{p:.1f}%"))
    st.markdown(f"{len(found):,} reports published from {format_date(first)} to "
                f"{format_date(min(last, as_at))}, by the rating given.")
    data_table(counts[["Service", "Rating", "Services", "Share"]], title="Inspection outcomes")
    with st.expander("Each inspection"):
        data_table(found.assign(service=found["service"].map(CQC_SERVICES)).rename(columns=str.capitalize),
                   title="Inspections published", column_config=DATE_COLUMNS)


def _changes(council: str, as_at: date) -> None:
    st.header("What changed since the previous CQC file", anchor=False)
    changes = rating_changes(council, None, as_at)
    rows = [{"Change": CHANGE_WORDS[what], "Location ID": item["location_id"], "Service": item["name"],
             "Before": item["before"] or "–", "Now": item["after"] or "–"}
            for what, items in changes.items() for item in items]
    if not rows:
        st.info("No change in any rating since the previous CQC file (or only one file is loaded).")
        return
    st.markdown(" · ".join(f"{CHANGE_WORDS[w]}: {len(i):,}" for w, i in changes.items()))
    data_table(pd.DataFrame(rows), title="Rating changes")


def _concerns(council: str, as_at: date) -> None:
    st.header("Contracted services rated Requires improvement or Inadequate", anchor=False)
    contracted = contracted_services(council, as_at)
    if not contracted.empty and contracted["contracted"].sum():
        st.markdown(" · ".join(f"{CQC_SERVICES[r.service]}: the council contracts with "
                               f"{r.contracted:,} of {r.services:,}" for r in contracted.itertuples()))
    concern = services_of_concern(council, as_at)
    if concern.empty:
        st.info("No contracted service is rated Requires improvement or Inadequate (or no contracts "
                "file is loaded for this council).")
        return
    shown = pd.DataFrame({
        "Location ID": concern["location_id"], "Service": concern["name"],
        "Kind": concern["service"].map(CQC_SERVICES), "Rating": concern["rating"],
        "Report published": concern["published"],
        "Council funds": [_funded(beds, hours) for beds, hours in
                          zip(concern["funded_beds"], concern["funded_hours_weekly"], strict=True)]})
    data_table(shown, title="Contracted services of concern", column_config=DATE_COLUMNS)


def _funded(beds: object, hours: object) -> str:
    """'23 beds', '389 hours a week', or both; blank when the contract gives neither."""
    parts = []
    if beds is not None and not pd.isna(beds):
        parts.append(f"{int(beds):,} beds")
    if hours is not None and not pd.isna(hours):
        parts.append(f"{float(hours):,.0f} hours a week")
    return ", ".join(parts)


def _old(council: str, as_at: date) -> None:
    old = old_ratings(council, as_at)
    with st.expander(f"Ratings more than two years old: {len(old):,}"):
        st.markdown("CQC usually inspects a service rated Good again about two years after its "
                    "report; a rating older than that may no longer describe the service.")
        data_table(old.assign(service=old["service"].map(CQC_SERVICES)).rename(columns=str.capitalize),
                   title="Ratings more than two years old", column_config=DATE_COLUMNS)


def main() -> None:
    filters = current_filters()
    council = filters.council or ""
    as_at = min(filters.period.end, date.today())
    try:
        kpis = provider_kpis(council, as_at)
    except NoSnapshot as missing:
        council_header("Provider quality", filters, None)
        st.info(md_text(str(missing)))
        return
    snapshot = kpis.attrs["as_at"]
    council_header("Provider quality", filters, snapshot,
                   "How the council's regulated care services are rated by the Care Quality Commission: "
                   "care homes and community-based adult social care, against the council's comparator "
                   "group and England.")
    st.caption(PUBLIC_NOTE)
    _tiles(kpis, council)
    _mix(named_mix(rating_mix(council, as_at), council), council)
    _inspections(council, filters.period.start, filters.period.end, snapshot)
    _changes(council, snapshot)
    _concerns(council, snapshot)
    _old(council, snapshot)
    how_measured(HEADLINE_KPIS, trends=False)


main()
