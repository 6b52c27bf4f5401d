"""The provider-quality section both packs carry for a programme under a council: CQC's ratings of
the council's care services against its comparators and England, the inspections of the period,
what changed since the previous file and the contracted services of concern. The same queries and
chart as the Provider quality page; public as CQC publishes it."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures import charts
from dashboard.figures.format import format_date, format_value
from dashboard.figures.periods import Period
from dashboard.figures.vocabulary import CQC_SERVICES
from dashboard.packs.pack import Section
from dashboard.packs.tables import PackChart, PackTable
from dashboard.queries import providers as q
from dashboard.queries.councils import council_of
from dashboard.queries.registry import get_kpi

SECTION = Section("providers", "Quality of the council's care providers")
GROUPS = {"council": None, "comparators": "Comparator councils", "england": "England"}
PUBLIC_NOTE = ("CQC publishes every rating and service name: these figures are public as they stand, "
               "so no small-number suppression applies to them.")


def provider_section(engine: Engine, programme: str, period: Period, today: date) -> dict | None:
    """The section's contents, or None when the programme has no council or no CQC file is
    loaded on or before the period's end."""
    council = council_of(engine, programme)
    if council is None:
        return None
    as_at = min(period.end, today)
    try:
        kpis = q.provider_kpis.__wrapped__(engine, council, as_at)
    except q.NoSnapshot:
        return None
    snapshot = kpis.attrs["as_at"]
    mix = q.named_mix(q.rating_mix.__wrapped__(engine, council, as_at), council)
    every = mix[mix["service"] == "all"]
    table = q.mix_table(mix, "all")
    words = q.good_share_words(mix, "all")
    title = f"CQC ratings of {council}'s care services against others"
    chart = charts.rating_mix_chart(every, "area", title)
    inspections = q.inspections_published.__wrapped__(engine, council, period.start, period.end, as_at)
    outcomes = q.outcome_counts(inspections)
    outcomes = outcomes[outcomes["service"] != "all"].pivot_table(index="rating", columns="service",
                                                                   values="count", sort=False)
    changes = q.rating_changes.__wrapped__(engine, council, None, snapshot)
    concern = q.services_of_concern.__wrapped__(engine, council, as_at)
    return {
        "council": council, "as_at": format_date(snapshot), "note": PUBLIC_NOTE,
        "summary": _summary(kpis),
        "mix": PackTable(f"All care services by rating, CQC file of {format_date(snapshot)}", table,
                         caption="Care homes and community-based adult social care services; count and "
                                 "share of each area's services."),
        "chart": PackChart(chart, alt=f"Bar chart of CQC ratings: {council}, comparators and England. "
                                      f"{words}", caption=words, height=420),
        "inspections": PackTable(
            f"Inspection reports published in {period.long_label}",
            pd.DataFrame({"Rating": outcomes.index, **{CQC_SERVICES[s]: outcomes[s].astype(int).tolist()
                                                         for s in outcomes.columns}}).reset_index(drop=True),
            caption=f"{len(inspections):,} reports, by the rating given."),
        "changes": [f"{what.replace('_', ' ').capitalize()}: {len(items):,}"
                    for what, items in changes.items()],
        "concern": PackTable(
            "Contracted services rated Requires improvement or Inadequate",
            pd.DataFrame({"Service": concern["name"], "Kind": concern["service"].map(CQC_SERVICES),
                          "Rating": concern["rating"],
                          "Report published": [format_date(d) for d in concern["published"]]}),
            caption="Names are public: CQC publishes them."),
    }


def _summary(kpis: pd.DataFrame) -> list[str]:
    value = {(r.kpi, r.group): r.value for r in kpis.itertuples()}
    lines = []
    for kpi_id in q.HEADLINE_KPIS:
        kpi = get_kpi(kpi_id)
        others = [f"{label} {format_value(value.get((kpi_id, g)), kpi.unit)}" for g, label in GROUPS.items()
                  if label and (kpi_id, g) in value and kpi.unit != "count"]
        tail = f" ({'; '.join(others)})" if others else ""
        lines.append(f"{kpi.name}: {format_value(value.get((kpi_id, 'council')), kpi.unit)}{tail}")
    return lines



def with_providers(sections: tuple[Section, ...], providers: dict | None, before: str) -> list[Section]:
    """The pack's sections, with this one before ``before`` when the pack carries it."""
    if providers is None:
        return list(sections)
    at = next(i for i, s in enumerate(sections) if s.id == before)
    return [*sections[:at], SECTION, *sections[at:]]
