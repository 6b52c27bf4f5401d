"""The one definition of every KPI: id, name, unit, direction of good, default target, formula.

Every tile, chart, table, export and pack reads its figures through this registry, so a KPI cannot be
computed two ways. Ratio KPIs are ``scale * numerator / denominator`` over sums kept in the monthly
summary tables; a few (open cases, spend against allocation, budget variance) need a running total
and name their own calculation in ``kind``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from dashboard.figures.vocabulary import KPI_IDS, OVERALL_THEME, SURVEY_THEMES, theme_kpi_id

Unit = Literal["count", "days", "%", "£", "£p", "rate"]  # £p: pounds and pence (a price)
Good = Literal["higher", "lower", "closest"]  # closest: judged by distance from the target
GOOD_WORDS: dict[str, str] = {"higher": "higher", "lower": "lower", "closest": "closest to the target"}



@dataclass(frozen=True)
class Kpi:
    id: str
    name: str
    unit: Unit
    good: Good
    default_target: float | None
    definition: str
    # "ratio": scale * sum(numerator) / sum(denominator) over summary columns named
    # "table.column"; the other kinds are named calculations in dashboard.queries.kpi_values.
    kind: Literal["ratio", "open_cases", "spend_vs_allocation", "budget_variance", "provider",
                  "savings", "care"] = "ratio"
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] | None = None  # None: the figure is the numerator (a count)
    scale: float = 1.0
    theme: str | None = None  # satisfaction KPIs: only this survey theme's rows
    base: tuple[str, ...] = ()  # the count the figure rests on; zero means grey RAG
    # Amber tolerance when a target row gives none (default 5% of the target). For a "closest"
    # KPI green is within half of it either side, amber within it, red beyond.
    default_tolerance: float | None = None

    @property
    def better_when(self) -> str:
        """"higher", "lower" or "closest to the target", as the tables say it."""
        return GOOD_WORDS[self.good]

    @property
    def base_key(self) -> str:
        """Names the count the figure rests on: KPIs with the same key rest on the same count
        (a survey theme's answers are a count of their own)."""
        key = "+".join(self.base) or self.id
        return f"{key}[{self.theme}]" if self.theme else key

    @property
    def columns(self) -> tuple[str, ...]:
        """Every summary column the figure needs."""
        return tuple(dict.fromkeys((*self.numerator, *(self.denominator or ()), *self.base)))


def _theme_kpi(theme: str) -> Kpi:
    return Kpi(
        id=theme_kpi_id(theme),
        name=f"{theme} score (% of best)",
        unit="%",
        good="higher",
        default_target=95,
        definition=f"Mean survey score for the theme {theme} in the period, as a percentage of "
        "the maximum score of 5 (mean ÷ 5 × 100).",
        numerator=("summary_satisfaction.score_sum",),
        denominator=("summary_satisfaction.responses",),
        scale=20.0,
        theme=theme,
        base=("summary_satisfaction.responses",),
    )


KPIS: tuple[Kpi, ...] = (
    Kpi(
        id="cases_completed",
        name="Cases completed",
        unit="count",
        good="higher",
        default_target=None,
        definition="Cases with outcome Completed whose closed date falls in the period.",
        numerator=("summary_cases.completed",),
        base=("summary_cases.completed",),
    ),
    Kpi(
        id="avg_days_to_complete",
        name="Average days to complete a case",
        unit="days",
        good="lower",
        default_target=36,
        definition="Mean of closed date minus referral date, in days, over the cases completed "
        "in the period.",
        numerator=("summary_cases.completed_days_sum",),
        denominator=("summary_cases.completed",),
        base=("summary_cases.completed",),
    ),
    Kpi(
        id="open_cases",
        name="Open cases",
        unit="count",
        good="lower",
        default_target=None,
        definition="Cases referred on or before the last day of the period and not closed by "
        "then (closed date blank or after the period end), whatever their outcome.",
        kind="open_cases",
    ),
    Kpi(
        id="dfg_days_application_to_completion",
        name="DFG: valid application to completion",
        unit="days",
        good="lower",
        default_target=140,
        definition="Mean of completion date minus valid application date, in days, over the "
        "Disabled Facilities Grants completed in the period (20 weeks = 140 days). Grants with no "
        "valid application date are left out.",
        numerator=("summary_dfg.application_days_sum",),
        denominator=("summary_dfg.with_application",),
        base=("summary_dfg.with_application",),
    ),
    Kpi(
        id="dfg_within_20_weeks",
        name="DFGs completed within 20 weeks",
        unit="%",
        good="higher",
        default_target=100,
        definition="Share of the DFGs completed in the period whose completion date is no more "
        "than 140 days after the valid application date. Grants with no valid application date "
        "are left out of both counts.",
        numerator=("summary_dfg.within_20_weeks",),
        denominator=("summary_dfg.with_application",),
        scale=100.0,
        base=("summary_dfg.with_application",),
    ),
    Kpi(
        id="dfg_end_to_end_days",
        name="DFG end-to-end time",
        unit="days",
        good="lower",
        default_target=None,
        definition="Mean of completion date minus first enquiry date, in days, over the DFGs "
        "completed in the period.",
        numerator=("summary_dfg.end_to_end_days_sum",),
        denominator=("summary_dfg.completed",),
        base=("summary_dfg.completed",),
    ),
    Kpi(
        id="dfg_drop_out_rate",
        name="DFG drop-out rate",
        unit="%",
        good="lower",
        default_target=None,
        definition="Withdrawn ÷ (completed + withdrawn) × 100, over the DFGs completed (by "
        "completion date) or withdrawn (by withdrawn date) in the period.",
        numerator=("summary_dfg.withdrawn",),
        denominator=("summary_dfg.completed", "summary_dfg.withdrawn"),
        scale=100.0,
        base=("summary_dfg.completed", "summary_dfg.withdrawn"),
    ),
    Kpi(
        id="dfg_average_cost",
        name="Average DFG cost",
        unit="£",
        good="lower",
        default_target=7396,
        definition="Mean grant amount of the DFGs completed in the period (grants with no "
        "amount recorded are left out).",
        numerator=("summary_dfg.grant_sum",),
        denominator=("summary_dfg.with_grant",),
        base=("summary_dfg.with_grant",),
    ),
    Kpi(
        id="dfg_spend_vs_allocation",
        name="DFG spend against allocation",
        unit="%",
        good="closest",
        default_target=100,
        default_tolerance=20,
        definition="Grant amounts of the DFGs completed from the start of the financial year to "
        "the end of the period, as a percentage of the allocation to date: that year's capital "
        "allocation (DFG capital grant + local capital + social care capital) profiled straight-"
        "line by month, so a quarter is compared with its share of the year (Q1: 3/12 of it). "
        "For a whole year this is the year's spend against its whole allocation. Judged by how close "
        "it is to the profile either side (green within 10 points, amber within 20, red beyond): "
        "an overspend is a budget risk, an underspend leaves residents waiting.",
        kind="spend_vs_allocation",
    ),
    *(_theme_kpi(theme) for theme in SURVEY_THEMES if theme != OVERALL_THEME),
    Kpi(
        id=theme_kpi_id(OVERALL_THEME),
        name="Overall experience score (% of best)",
        unit="%",
        good="higher",
        default_target=95,
        definition="Mean survey score for the theme Overall Experience in the period, as a "
        "percentage of the maximum score of 5 (mean ÷ 5 × 100).",
        numerator=("summary_satisfaction.score_sum",),
        denominator=("summary_satisfaction.responses",),
        scale=20.0,
        theme=OVERALL_THEME,
        base=("summary_satisfaction.responses",),
    ),
    Kpi(
        id="complaints_per_100_cases",
        name="Complaints per 100 cases",
        unit="rate",
        good="lower",
        default_target=None,
        definition="Complaints received in the period ÷ cases completed in the period × 100.",
        numerator=("summary_feedback.complaints",),
        denominator=("summary_cases.completed",),
        scale=100.0,
        base=("summary_cases.completed",),
    ),
    Kpi(
        id="budget_variance",
        name="Budget variance",
        unit="£",
        good="lower",
        default_target=0,
        definition="Actual minus budget from the start of the financial year to the end of the "
        "period, summed over partners and cost lines; for the income line (Fee income) budget "
        "minus actual, so a positive figure is always an adverse variance.",
        kind="budget_variance",
    ),
)

# Provider quality (a council's, from CQC's files): worked out in dashboard.queries.providers from
# the mix summary of the newest directory snapshot on or before the period's end. The rows counted
# are adult social care locations that are not dormant, care homes and community-based services
# (docs/provider-quality.md); "rated" leaves out those not yet rated.
PROVIDER_KPIS: tuple[Kpi, ...] = (
    Kpi(id="provider_good_or_outstanding_pct", name="Services rated Good or Outstanding", unit="%",
        good="higher", default_target=None, kind="provider",
        definition="Care homes and community-based adult social care services rated Good or "
        "Outstanding by CQC, as a percentage of those rated (not yet rated left out)."),
    Kpi(id="provider_ri_or_inadequate_pct", name="Services rated Requires improvement or Inadequate",
        unit="%", good="lower",
        default_target=None, kind="provider",
        definition="Services rated Requires improvement or Inadequate, as a percentage of those rated."),
    Kpi(id="provider_inadequate_count", name="Services rated Inadequate", unit="count", good="lower",
        default_target=0, kind="provider",
        definition="Number of care homes and community-based services whose counted rating is Inadequate."),
    Kpi(id="provider_not_yet_rated_count", name="Services not yet rated", unit="count", good="lower",
        default_target=None, kind="provider",
        definition="Number of services with no rating yet: blank, 'Not Rated' with no rating of its "
        "services, or 'Insufficient evidence to rate'."),
    Kpi(id="provider_beds", name="Care home beds", unit="count", good="higher", default_target=None,
        kind="provider", definition="Beds registered in the council's counted care homes (CQC's "
        "'Care homes beds')."),
    Kpi(id="provider_beds_per_1000_65", name="Care home beds per 1,000 people aged 65+", unit="rate",
        good="higher", default_target=None, kind="provider",
        definition="Care home beds ÷ people aged 65 and over (the newest mid-year estimate loaded "
        "for a year no later than the snapshot's) × 1,000."),
    Kpi(id="provider_funded_beds_exposed_pct",
        name="Council-funded beds in services rated RI or Inadequate", unit="%", good="lower",
        default_target=None, kind="provider",
        definition="Beds the council funds (its contracts file) in services rated Requires "
        "improvement or Inadequate, as a percentage of all beds it funds in counted services: where "
        "the council's money meets poor care."),
    Kpi(id="provider_funded_hours_exposed_pct",
        name="Council-funded care hours in services rated RI or Inadequate", unit="%", good="lower",
        default_target=None, kind="provider",
        definition="Weekly hours the council funds in community-based services rated Requires "
        "improvement or Inadequate, as a percentage of all the weekly hours it funds."),
)
PROVIDER_KPI_IDS: tuple[str, ...] = tuple(k.id for k in PROVIDER_KPIS)

# A savings programme's (dashboard.queries.savings): as at the period's end, each workstream's newest
# delivery return in that financial year (a month with none carries the one before). The target is
# the plan's profiled lower estimate, to date or for the year; status words: docs/savings.md.
SAVINGS_KPIS: tuple[Kpi, ...] = (
    Kpi(id="savings_delivered_to_date", name="Savings delivered to date", unit="£", good="higher",
        default_target=None, kind="savings", default_tolerance=None,
        definition="Sum over the workstreams of the validated savings delivered in the financial year "
        "to the period's end, against the plan's lower estimate profiled to that month (each year's "
        "share of the annual benefit spread evenly over its months)."),
    Kpi(id="savings_forecast_year", name="Savings forecast for the year", unit="£", good="higher",
        default_target=None, kind="savings",
        definition="Sum over the workstreams of the savings their owners expect in the financial year, "
        "against the plan's lower estimate for the year."),
    Kpi(id="savings_weighted_forecast", name="Confidence-weighted forecast for the year", unit="£",
        good="higher", default_target=None, kind="savings",
        definition="What is delivered, plus the rest of each workstream's forecast weighted by its "
        "owner's confidence (High 90%, Medium 60%, Low or none 30%), against the plan's lower "
        "estimate for the year."),
    Kpi(id="savings_workstreams_off_track", name="Workstreams off track", unit="count", good="lower",
        default_target=0, kind="savings",
        definition="Workstreams whose forecast is below four-fifths of the year's profiled lower "
        "estimate (see the status rule on the Savings tracker page)."),
)
SAVINGS_KPI_IDS: tuple[str, ...] = tuple(k.id for k in SAVINGS_KPIS)

# Care at home (dashboard.queries.care), from a care-at-home programme's monthly hours and its
# requests. For a month; a quarter or year takes its months' weekly figures as one: weekly hours are
# the average of its months', ratios are over the months' sums. Waiting is as at the period's end.
CARE_KPIS: tuple[Kpi, ...] = (
    Kpi(id="care_hours_commissioned_weekly", name="Care hours commissioned a week", unit="count",
        good="closest", default_target=None, kind="care",
        definition="Sum of the providers' hours commissioned a week (a quarter or year: the average of "
        "its months' sums)."),
    Kpi(id="care_hours_delivered_pct", name="Hours delivered of those commissioned", unit="%",
        good="higher", default_target=95, kind="care",
        definition="Hours delivered a week ÷ hours commissioned a week × 100, over the period's months."),
    Kpi(id="care_cost_per_hour", name="Cost per hour delivered", unit="£p", good="lower",
        default_target=None, kind="care",
        definition="Spend ÷ hours delivered, where a month's hours delivered are its weekly hours × the "
        "weeks in the month (its days ÷ 7)."),
    Kpi(id="care_spend", name="Spend on care at home", unit="£", good="lower", default_target=None,
        kind="care", definition="Sum of the providers' spend in the period's months."),
    Kpi(id="care_people_waiting", name="People waiting for care at home", unit="count", good="lower",
        default_target=None, kind="care",
        definition="Requests made on or before the period's end with no service started by then and "
        "not ended by then."),
    Kpi(id="care_hours_waiting_weekly", name="Hours a week waiting to be provided", unit="count",
        good="lower", default_target=None, kind="care",
        definition="Sum of the weekly hours of the requests waiting at the period's end."),
    Kpi(id="care_days_to_service_median", name="Median days from request to service", unit="days",
        good="lower", default_target=None, kind="care",
        definition="Median of the days from request to service start, over the requests whose service "
        "started in the period."),
    Kpi(id="care_hours_good_or_better_pct", name="Hours delivered by good providers", unit="%",
        good="higher", default_target=None, kind="care",
        definition="Share of the hours delivered that came from providers whose latest rating as at the "
        "period's end is Good or Outstanding (CQC) or whose lowest latest grade is 4 or more (Care "
        "Inspectorate): hours-weighted quality."),
    Kpi(id="care_off_framework_pct", name="Hours bought off framework", unit="%", good="lower",
        default_target=None, kind="care",
        definition="Share of the hours delivered that came from providers whose framework is 'Off "
        "framework'."),
    Kpi(id="care_top5_share_pct", name="Hours from the five largest providers", unit="%", good="lower",
        default_target=None, kind="care",
        definition="Share of the hours delivered that came from the five providers delivering most in "
        "the period: how concentrated the market is."),
)
CARE_KPI_IDS: tuple[str, ...] = tuple(k.id for k in CARE_KPIS)
WORKSTREAM_PREFIX = "savings:"  # "savings:OA1": one workstream's delivered to date, as a figure


def workstream_kpi(code: str) -> Kpi:
    """One workstream's delivered-to-date figure, so commentary, actions, snapshots and "what
    changed" treat it like any KPI. Its status is the workstream's (on track, at risk, off track)."""
    return Kpi(id=f"{WORKSTREAM_PREFIX}{code}", name=f"Workstream {code}: savings delivered to date",
               unit="£", good="higher", default_target=None, kind="savings",
               definition=f"Savings validated as delivered by workstream {code} in the financial year to "
               "the period's end, against its lower estimate profiled to that month.")


KPI_BY_ID: dict[str, Kpi] = {kpi.id: kpi for kpi in KPIS}
if tuple(KPI_BY_ID) != KPI_IDS:  # one list of ids: the vocabulary's, which the loader checks against
    raise RuntimeError(f"The registry's KPIs {tuple(KPI_BY_ID)} differ from vocabulary.KPI_IDS {KPI_IDS}")


ALL_KPIS: tuple[Kpi, ...] = KPIS + PROVIDER_KPIS + SAVINGS_KPIS + CARE_KPIS
_EVERY_KPI: dict[str, Kpi] = {kpi.id: kpi for kpi in ALL_KPIS}
_CODE = re.compile(r"[A-Z0-9][A-Z0-9._/-]{0,19}")  # a workstream code as the loader stores it


def get_kpi(kpi_id: str) -> Kpi:
    """The KPI with this id (a programme's or a council's), or a ValueError listing the
    programme KPIs that exist."""
    code = kpi_id.removeprefix(WORKSTREAM_PREFIX)
    if code != kpi_id and _CODE.fullmatch(code):
        return workstream_kpi(code)
    try:
        return _EVERY_KPI[kpi_id]
    except KeyError:
        raise ValueError(f"Unknown KPI '{kpi_id}'. Known KPIs: {', '.join(KPI_IDS)}") from None
