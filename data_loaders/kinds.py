"""What each kind of return holds: its columns, their types and allowed values, and its key.

The single description of the return formats that reading, validation and upserting all follow;
docs/returns-format.md says the same for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import Table

from dashboard.db import schema as s
from dashboard.figures.savings import BENEFIT_TYPES, CONFIDENCES
from dashboard.figures.vocabulary import (
    CARE_CLIENT_GROUPS,
    CARE_MODELS,
    CASE_OUTCOMES,
    CASE_TYPES,
    CLIENT_GROUPS,
    COST_LINES,
    DFG_STATUSES,
    FEEDBACK_KINDS,
    REFERRAL_REASONS,
    REFERRAL_SOURCES,
    REFERRALS_OUT,
    SURVEY_THEMES,
    TENURES,
    WORK_TYPES,
    WORKER_ROLES,
)

ColumnType = Literal[
    "text", "date", "grant", "capital", "ledger", "number", "score", "month", "fy", "yesno",
    "list", "district", "choice", "kpi", "partner", "pounds", "programme", "code", "ym", "hours", "name",
]

# Limits that catch a slipped decimal point or a pasted reference number; amounts above them
# are rejected as implausible. (Grants above the £30,000 mandatory maximum are legal: the data
# quality checks flag them instead.)
AMOUNT_LIMITS = {"grant": (0.0, 1_000_000.0), "capital": (0.0, 100_000_000.0),
                 "ledger": (-100_000_000.0, 100_000_000.0), "pounds": (0.0, 1_000_000_000.0)}


@dataclass(frozen=True)
class Col:
    name: str
    type: ColumnType
    required: bool = False
    choices: tuple[str, ...] = ()
    strict: bool = False  # an unknown choice is an error (else kept as sent, with a warning)
    db: str | None = None  # database column, when it differs from the return's name
    # Typed by a person, so it may hold personal data: screened before anything is stored
    # (dashboard/access/screening.py), the file rejected or the text redacted.
    free_text: bool = False

    @property
    def db_name(self) -> str:
        return self.db or self.name


@dataclass(frozen=True)
class Kind:
    name: str
    table: Table
    columns: tuple[Col, ...]
    key: tuple[str, ...]  # database columns that identify a row within the programme
    detect: tuple[str, ...]  # return columns that identify this kind
    sort_order: int = field(default=5)
    # "housing": a programme of districts; "savings": a savings programme, named in the file's
    # own programme column, whose plan creates it; "care": care at home, created by its providers
    # file. A programme holds returns of one family only.
    family: str = "housing"

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Col:
        return next(c for c in self.columns if c.name == name)

    @property
    def free_text(self) -> tuple[str, ...]:
        """The columns screened for personal data."""
        return tuple(c.name for c in self.columns if c.free_text)


def _district() -> Col:
    return Col("district", "district", required=True, db="district_id")


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("districts", s.districts, (
            Col("district", "text", required=True, db="name"),
            Col("code", "text", required=True),
            Col("aliases", "list"),
        ), key=("code",), detect=("district", "code"), sort_order=0),
        Kind("cases", s.cases, (
            Col("case_ref", "text", required=True),
            _district(),
            Col("referral_date", "date", required=True),
            Col("referral_source", "choice", choices=REFERRAL_SOURCES),
            Col("referral_reason", "choice", choices=REFERRAL_REASONS),
            Col("case_type", "choice", required=True, choices=CASE_TYPES, strict=True),
            Col("worker_role", "choice", choices=WORKER_ROLES),
            Col("assessment_date", "date"),
            Col("closed_date", "date"),
            Col("outcome", "choice", required=True, choices=CASE_OUTCOMES, strict=True),
            Col("interventions", "list"),
            Col("referrals_out", "list", choices=REFERRALS_OUT),
            Col("care_act_outcomes", "list"),
        ), key=("district_id", "case_ref"), detect=("case_ref", "referral_date")),
        Kind("dfg", s.dfg, (
            Col("dfg_ref", "text", required=True),
            _district(),
            Col("case_ref", "text"),
            Col("client_group", "choice", choices=CLIENT_GROUPS),
            Col("tenure", "choice", choices=TENURES),
            Col("work_type", "choice", choices=WORK_TYPES),
            Col("enquiry_date", "date", required=True),
            Col("valid_application_date", "date"),
            Col("approval_date", "date"),
            Col("completion_date", "date"),
            Col("grant_amount", "grant"),
            Col("status", "choice", required=True, choices=DFG_STATUSES, strict=True),
            Col("withdrawn_date", "date"),
            Col("withdrawn_reason", "text", free_text=True),
        ), key=("district_id", "dfg_ref"), detect=("dfg_ref",)),
        Kind("satisfaction", s.satisfaction, (
            Col("response_ref", "text", required=True),
            _district(),
            Col("response_date", "date", required=True),
            Col("theme", "choice", required=True, choices=SURVEY_THEMES, strict=True),
            Col("score", "score", required=True),
        ), key=("district_id", "response_ref", "theme"), detect=("response_ref",)),
        Kind("feedback", s.feedback, (
            Col("feedback_ref", "text", required=True),
            _district(),
            Col("received_date", "date", required=True),
            Col("kind", "choice", required=True, choices=FEEDBACK_KINDS, strict=True),
            Col("resolved_date", "date"),
            Col("upheld", "yesno"),
            Col("summary", "text", free_text=True),
        ), key=("district_id", "feedback_ref"), detect=("feedback_ref",)),
        Kind("finance", s.finance, (
            Col("partner", "partner", required=True),
            Col("financial_year", "fy", required=True, db="fy"),
            Col("month", "month", required=True),
            Col("cost_line", "choice", required=True, choices=COST_LINES, strict=True),
            Col("budget", "ledger", required=True),
            Col("actual", "ledger", required=True),
            Col("forecast", "ledger"),
        ), key=("partner", "fy", "month", "cost_line"), detect=("cost_line",)),
        Kind("allocations", s.allocations, (
            _district(),
            Col("financial_year", "fy", required=True, db="fy"),
            Col("dfg_capital_grant", "capital", required=True),
            Col("local_capital", "capital"),
            Col("social_care_capital", "capital"),
        ), key=("district_id", "fy"), detect=("dfg_capital_grant",), sort_order=2),
        Kind("targets", s.targets, (
            Col("kpi", "kpi", required=True),
            Col("target", "number", required=True),
            Col("district", "district", db="district_id"),
            Col("financial_year", "fy", db="fy"),
            Col("amber_tolerance", "number"),
        ), key=("kpi", "district_id", "fy"), detect=("kpi", "target"), sort_order=1),
        Kind("case_studies", s.case_studies, (
            Col("title", "text", required=True, free_text=True),
            _district(),
            Col("date_submitted", "date", required=True),
            Col("referral_source", "choice", choices=REFERRAL_SOURCES),
            Col("referral_reason", "choice", choices=REFERRAL_REASONS),
            Col("start_date", "date"),
            Col("end_date", "date"),
            Col("main_issues", "text", free_text=True),
            Col("actions_taken", "text", free_text=True),
            # Unrecognised items are kept as sent, so this list is free text too.
            Col("referrals_made", "list", choices=REFERRALS_OUT, free_text=True),
            Col("benefits", "text", free_text=True),
            Col("others_involved", "text", free_text=True),
            Col("ongoing_support", "text", free_text=True),
            Col("quote", "text", free_text=True),
            Col("consent_to_publish", "yesno", required=True),
        ), key=("district_id", "title"), detect=("consent_to_publish",)),
        Kind("savings_plan", s.savings_workstreams, (
            Col("programme", "programme", required=True),
            Col("workstream_code", "code", required=True),
            Col("workstream", "text", required=True),
            Col("cohort", "text", required=True),
            Col("benefit_type", "choice", required=True, choices=BENEFIT_TYPES, strict=True),
            Col("lower_bound", "pounds", required=True),
            Col("upper_bound", "pounds", required=True),
            Col("already_in_mtfs", "pounds"),
            Col("first_year", "fy", required=True, db="first_fy"),
            Col("profile", "text"),
            Col("lead_kpi", "kpi"),
            Col("owner", "text"),
            Col("guarantee_threshold", "pounds"),
            Col("baseline_budget", "pounds"),
        ), key=("workstream_code",), detect=("workstream_code", "lower_bound"), sort_order=0,
            family="savings"),
        Kind("savings_delivery", s.savings_delivery, (
            Col("programme", "programme", required=True),
            Col("workstream_code", "code", required=True),
            Col("financial_year", "fy", required=True, db="fy"),
            Col("month", "month", required=True),
            Col("delivered_to_date", "pounds", required=True),
            Col("forecast_year", "pounds", required=True),
            Col("confidence", "choice", choices=CONFIDENCES, strict=True),
            Col("note", "text", free_text=True),
        ), key=("workstream_code", "fy", "month"), detect=("workstream_code", "delivered_to_date"),
            family="savings"),
        Kind("care_providers", s.care_providers, (
            Col("provider", "name", required=True),
            Col("framework", "name", required=True),
            Col("lot", "text"),
            Col("regulator_id", "text"),
        ), key=("provider",), detect=("provider", "framework"), sort_order=0, family="care"),
        Kind("care_hours", s.care_hours, (
            Col("provider", "name", required=True),
            Col("month", "ym", required=True, db="ym"),
            Col("client_group", "choice", required=True, choices=CARE_CLIENT_GROUPS, strict=True),
            Col("hours_commissioned_weekly", "hours", required=True),
            Col("hours_delivered_weekly", "hours", required=True),
            Col("spend", "pounds", required=True),
            Col("model", "choice", choices=CARE_MODELS, strict=True),
        ), key=("ym", "provider", "client_group"), detect=("hours_commissioned_weekly",), family="care"),
        Kind("care_requests", s.care_requests, (
            Col("request_ref", "text", required=True),
            Col("client_group", "choice", required=True, choices=CARE_CLIENT_GROUPS, strict=True),
            Col("request_date", "date", required=True),
            Col("hours_weekly", "hours", required=True),
            Col("service_start_date", "date"),
            Col("ended_date", "date"),
            Col("reason", "text", free_text=True),
        ), key=("request_ref",), detect=("request_ref", "request_date"), family="care"),
    )
}

# Checked in this order: the most specific headers first, the bare districts file last.
DETECTION_ORDER = ("cases", "dfg", "satisfaction", "feedback", "finance", "allocations",
                   "targets", "case_studies", "savings_plan", "savings_delivery", "care_hours",
                   "care_requests", "care_providers", "districts")


def kinds_of(family: str) -> list[str]:
    """The return kinds a programme of this family takes ("housing" or "savings")."""
    return [name for name, kind in KINDS.items() if kind.family == family]


def detect_kind(headers: set[str]) -> str | None:
    for name in DETECTION_ORDER:
        if set(KINDS[name].detect) <= headers:
            return name
    return None
