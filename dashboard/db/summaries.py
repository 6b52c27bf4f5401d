"""Rebuild the monthly summary tables from the raw rows, inside the loader's transaction.

Every KPI is a ratio of counts and sums, so a per programme, district and month summary answers any
period (month, quarter, financial year) by adding up at most a few hundred rows. The rebuild runs as
``INSERT ... SELECT ... GROUP BY`` in the database, limited to the districts a load touched, so the
summaries can never disagree with the rows committed alongside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Select,
    String,
    Table,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    tuple_,
    union_all,
)

from dashboard.db import schema as s
from dashboard.db.sqlfuncs import days_between, financial_year_of, quarter_of, year_month

TWENTY_WEEKS_DAYS = 140


def _one_if(condition) -> object:  # noqa: ANN001 - SQL expression
    return case((condition, 1), else_=0)


@dataclass(frozen=True)
class Scope:
    """Which raw rows an aggregate reads: a programme, perhaps only some of its districts, or only
    the rows one load touches (``rows``: a condition on the raw table, looked up through an index)."""

    programme_id: int
    district_ids: list[int] | None = None
    rows: Callable[[Table], ColumnElement[bool]] | None = None


def _scope(table: Table, scope: Scope) -> list:
    """Filters applied inside each branch so both databases use an index."""
    if scope.rows is not None:  # the rows name their programme; its index would read it all
        return [scope.rows(table)]
    conditions = [table.c.programme_id == scope.programme_id]
    if scope.district_ids is not None:
        conditions.append(table.c.district_id.in_(scope.district_ids))
    return conditions


def _case_events(scope: Scope) -> Select:
    """One row per referral and one per closure, each dated to its own month."""
    c = s.cases
    completed = c.c.outcome == "Completed"
    referrals = select(
        c.c.programme_id,
        c.c.district_id,
        func.coalesce(c.c.worker_role, "").label("worker_role"),
        year_month(c.c.referral_date).label("ym"),
        c.c.referral_date.label("day"),
        literal(1).label("referred"),
        literal(0).label("closed"),
        literal(0).label("completed"),
        literal(0).label("completed_days"),
    ).where(*_scope(c, scope))
    closures = select(
        c.c.programme_id,
        c.c.district_id,
        func.coalesce(c.c.worker_role, "").label("worker_role"),
        year_month(c.c.closed_date).label("ym"),
        c.c.closed_date.label("day"),
        literal(0).label("referred"),
        literal(1).label("closed"),
        _one_if(completed).label("completed"),
        case((completed, days_between(c.c.closed_date, c.c.referral_date)), else_=0).label(
            "completed_days"
        ),
    ).where(c.c.closed_date.is_not(None), *_scope(c, scope))
    return union_all(referrals, closures)


def _dfg_events(scope: Scope) -> Select:
    """One row per completed grant (dated by completion) and per withdrawal (dated by withdrawal)."""
    d = s.dfg
    has_application = d.c.valid_application_date.is_not(None)
    application_days = days_between(d.c.completion_date, d.c.valid_application_date)
    completions = select(
        d.c.programme_id,
        d.c.district_id,
        year_month(d.c.completion_date).label("ym"),
        d.c.completion_date.label("day"),
        literal(1).label("completed"),
        _one_if(has_application).label("with_application"),
        case((has_application, application_days), else_=0).label("application_days"),
        _one_if(and_(has_application, application_days <= TWENTY_WEEKS_DAYS)).label("within"),
        days_between(d.c.completion_date, d.c.enquiry_date).label("end_to_end_days"),
        _one_if(d.c.grant_amount.is_not(None)).label("with_grant"),
        func.coalesce(d.c.grant_amount, 0).label("grant"),
        literal(0).label("withdrawn"),
    ).where(
        d.c.status == "Completed",
        d.c.completion_date.is_not(None),
        *_scope(d, scope),
    )
    withdrawals = select(
        d.c.programme_id,
        d.c.district_id,
        year_month(d.c.withdrawn_date).label("ym"),
        d.c.withdrawn_date.label("day"),
        *(literal(0).label(name) for name in (
            "completed", "with_application", "application_days", "within", "end_to_end_days",
            "with_grant", "grant",
        )),
        literal(1).label("withdrawn"),
    ).where(
        d.c.status == "Withdrawn",
        d.c.withdrawn_date.is_not(None),
        *_scope(d, scope),
    )
    return union_all(completions, withdrawals)


CASE_DIMENSIONS = ("referral_source", "referral_reason", "case_type", "worker_role")
LIST_DIMENSIONS = ("interventions", "referrals_out", "care_act_outcomes")
DFG_DIMENSIONS = ("work_type", "tenure", "client_group")
DAYS_BANDS = ((7, "0-7 days"), (14, "8-14 days"), (28, "15-28 days"), (42, "29-42 days"),
              (60, "43-60 days"), (90, "61-90 days"))
LAST_BAND = "over 90 days"


def _days_band(days) -> object:  # noqa: ANN001 - SQL expression
    return case(*((days <= limit, label) for limit, label in DAYS_BANDS), else_=LAST_BAND)


def _case_mix_events(scope: Scope) -> Select:
    """Referrals by each category column and list item; completions by days band."""
    c, items = s.cases, s.case_list_items
    by_column = [
        select(c.c.programme_id, c.c.district_id, year_month(c.c.referral_date).label("ym"),
               c.c.referral_date.label("day"), literal(name).label("dimension"),
               func.coalesce(c.c[name], "").label("category"))
        .where(*_scope(c, scope))
        for name in CASE_DIMENSIONS
    ]
    by_item = (
        select(c.c.programme_id, c.c.district_id, year_month(c.c.referral_date).label("ym"),
               c.c.referral_date.label("day"), items.c.list.label("dimension"),
               items.c.item.label("category"))
        .join_from(items, c, items.c.case_id == c.c.id)
        .where(*_scope(c, scope))
    )
    by_days = (
        select(c.c.programme_id, c.c.district_id, year_month(c.c.closed_date).label("ym"),
               c.c.closed_date.label("day"), literal("days_band").label("dimension"),
               _days_band(days_between(c.c.closed_date, c.c.referral_date)).label("category"))
        .where(c.c.outcome == "Completed", c.c.closed_date.is_not(None),
               *_scope(c, scope))
    )
    return union_all(*by_column, by_item, by_days)


def _dfg_mix_events(scope: Scope) -> Select:
    d = s.dfg
    return union_all(*(
        select(d.c.programme_id, d.c.district_id, year_month(d.c.completion_date).label("ym"),
               d.c.completion_date.label("day"), literal(name).label("dimension"),
               func.coalesce(d.c[name], "").label("category"),
               func.coalesce(d.c.grant_amount, 0).label("grant"))
        .where(d.c.status == "Completed", d.c.completion_date.is_not(None),
               *_scope(d, scope))
        for name in DFG_DIMENSIONS
    ))


def _satisfaction_events(scope: Scope) -> Select:
    t = s.satisfaction
    return select(
        t.c.programme_id,
        t.c.district_id,
        t.c.theme,
        year_month(t.c.response_date).label("ym"),
        t.c.response_date.label("day"),
        t.c.score,
    ).where(*_scope(t, scope))


def _feedback_events(scope: Scope) -> Select:
    f = s.feedback
    complaint = f.c.kind == "Complaint"
    resolved = and_(complaint, f.c.resolved_date.is_not(None))
    return select(
        f.c.programme_id,
        f.c.district_id,
        year_month(f.c.received_date).label("ym"),
        f.c.received_date.label("day"),
        _one_if(complaint).label("complaint"),
        _one_if(f.c.kind == "Compliment").label("compliment"),
        _one_if(resolved).label("resolved"),
        case((resolved, days_between(f.c.resolved_date, f.c.received_date)), else_=0).label("days"),
        _one_if(and_(complaint, f.c.upheld.is_(True))).label("upheld"),
        *(_one_if(and_(resolved, days_between(f.c.resolved_date, f.c.received_date) <= limit))
          .label(f"within_{limit}") for limit in (20, 35, 65)),
    ).where(*_scope(f, scope))


def _service_left(r) -> object:  # noqa: ANN001 - the care_requests table
    """The day a request left the waiting list: the earlier of its service start and its end (the
    loader rejects either before the request, so it never leaves before it arrived)."""
    start, ended = r.c.service_start_date, r.c.ended_date
    return case((start.is_(None), ended), (ended.is_(None), start), (start <= ended, start), else_=ended)


def _care_request_events(scope: Scope) -> Select:
    """One row per request arriving on the list (its request month) and one per request leaving
    it (the month it started or ended, whichever came first)."""
    r = s.care_requests
    left = _service_left(r)
    arrivals = select(
        r.c.programme_id, year_month(r.c.request_date).label("ym"), r.c.client_group,
        literal(1).label("arrived"), r.c.hours_weekly.label("arrived_hours"),
        literal(0).label("departed"), literal(0.0).label("departed_hours"),
    ).where(*_scope(r, scope))
    departures = select(
        r.c.programme_id, year_month(left).label("ym"), r.c.client_group,
        literal(0).label("arrived"), literal(0.0).label("arrived_hours"),
        literal(1).label("departed"), r.c.hours_weekly.label("departed_hours"),
    ).where(left.is_not(None), *_scope(r, scope))
    return union_all(arrivals, departures)


def _care_start_events(scope: Scope) -> Select:
    r = s.care_requests
    return select(
        r.c.programme_id, year_month(r.c.service_start_date).label("ym"),
        days_between(r.c.service_start_date, r.c.request_date).label("days"),
    ).where(r.c.service_start_date.is_not(None), *_scope(r, scope))


# target table -> (events query, grouping columns beyond programme/district/ym, {column: SQL sum})
_SPECS: dict[str, tuple] = {
    "summary_cases": (
        _case_events,
        ("worker_role",),
        {"referred": "referred", "closed": "closed", "completed": "completed",
         "completed_days_sum": "completed_days"},
    ),
    "summary_dfg": (
        _dfg_events,
        (),
        {"completed": "completed", "with_application": "with_application",
         "application_days_sum": "application_days", "within_20_weeks": "within",
         "end_to_end_days_sum": "end_to_end_days", "with_grant": "with_grant",
         "grant_sum": "grant", "withdrawn": "withdrawn"},
    ),
    "summary_satisfaction": (
        _satisfaction_events,
        ("theme",),
        {"responses": None, "score_sum": "score"},
    ),
    "summary_feedback": (
        _feedback_events,
        (),
        {"complaints": "complaint", "compliments": "compliment",
         "complaints_resolved": "resolved", "complaint_response_days_sum": "days",
         "complaints_upheld": "upheld", "resolved_within_20": "within_20",
         "resolved_within_35": "within_35", "resolved_within_65": "within_65"},
    ),
    "summary_case_mix": (_case_mix_events, ("dimension", "category"), {"cases": None}),
    "summary_dfg_mix": (
        _dfg_mix_events, ("dimension", "category"), {"completed": None, "grant_sum": "grant"},
    ),
    # A care-at-home programme has no districts: these are per programme and month.
    "summary_care_requests": (
        _care_request_events, ("client_group",),
        {"arrived": "arrived", "arrived_hours": "arrived_hours", "departed": "departed",
         "departed_hours": "departed_hours"},
    ),
    "summary_care_starts": (_care_start_events, ("days",), {"starts": None}),
}

SUMMARIES_FOR_KIND: dict[str, tuple[str, ...]] = {
    "cases": ("summary_cases", "summary_case_mix"),
    "dfg": ("summary_dfg", "summary_dfg_mix"),
    "satisfaction": ("summary_satisfaction",),
    "feedback": ("summary_feedback",),
    "care_requests": ("summary_care_requests", "summary_care_starts"),
}


# The sums that count a summary row's records: the row exists while they add up to more than none.
EVENTS: dict[str, tuple[str, ...]] = {
    "summary_cases": ("referred", "closed"),
    "summary_dfg": ("completed", "withdrawn"),
    "summary_satisfaction": ("responses",),
    "summary_feedback": ("complaints", "compliments"),
    "summary_case_mix": ("cases",),
    "summary_dfg_mix": ("completed",),
    "summary_care_requests": ("arrived", "departed"),
    "summary_care_starts": ("starts",),
}


def aggregate_query(summary: Table, programme_id: int, district_ids: Iterable[int] | None = None,
                    *, scope: Scope | None = None) -> Select:
    """The ``GROUP BY`` over raw rows that a summary table must equal (also used by tests)."""
    build_events, keys, sums = _SPECS[summary.name]
    if scope is None:
        scope = Scope(programme_id, None if district_ids is None else list(district_ids))
    events = build_events(scope).subquery("events")
    ym = events.c.ym
    place = [events.c.district_id] if "district_id" in summary.c else []
    columns = [events.c.programme_id, *place, ym, *(events.c[k] for k in keys)]
    dated = [financial_year_of(ym).label("fy"), quarter_of(ym).label("quarter"),
             func.max(events.c.day).label("latest")] if "latest" in summary.c else []
    return (
        select(
            *columns,
            *dated,
            *(
                (func.count() if source is None else func.sum(events.c[source])).label(target)
                for target, source in sums.items()
            ),
        )
        .group_by(*columns)
    )


def refresh(
    conn: Connection, kind: str, programme_id: int, district_ids: Iterable[int] | None = None
) -> None:
    """Rebuild the summary rows fed by returns of ``kind`` for the given districts (all: None) from
    every row (a repair or an upgrade; a load changes only what it touched, ``LoadChanges``)."""
    ids = None if district_ids is None else sorted(set(district_ids))
    if ids == []:
        return
    scope = Scope(programme_id, ids)
    refresh_quality(conn, kind, scope)
    refresh_checks(conn, kind, programme_id, ids)
    for name in SUMMARIES_FOR_KIND.get(kind, ()):
        summary = s.metadata.tables[name]
        delete = summary.delete().where(summary.c.programme_id == programme_id)
        if ids is not None and "district_id" in summary.c:
            delete = delete.where(summary.c.district_id.in_(ids))
        conn.execute(delete)
        query = aggregate_query(summary, programme_id, scope=scope)
        conn.execute(summary.insert().from_select([c.name for c in query.selected_columns], query))


# Optional columns whose completeness the data quality page reports, per return kind.
QUALITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "cases": ("referral_source", "referral_reason", "worker_role", "assessment_date",
              "interventions", "referrals_out", "care_act_outcomes"),
    "dfg": ("case_ref", "client_group", "tenure", "work_type", "valid_application_date",
            "approval_date", "grant_amount"),
    "feedback": ("resolved_date", "upheld", "summary"),
}


def refresh_quality(conn: Connection, kind: str, scope: Scope) -> None:
    """Rebuild the completeness counts of ``kind`` for the scope's districts from every row."""
    if kind not in QUALITY_COLUMNS:
        return
    quality = s.summary_quality
    delete = quality.delete().where(quality.c.programme_id == scope.programme_id,
                                    quality.c.kind == kind)
    if scope.district_ids is not None:
        delete = delete.where(quality.c.district_id.in_(scope.district_ids))
    conn.execute(delete)
    rows = list(quality_counts(conn, kind, scope).values())
    if rows:
        conn.execute(quality.insert(), rows)


def quality_counts(conn: Connection, kind: str, scope: Scope) -> dict[tuple, dict]:
    """Rows and filled cells of each optional column, per district, in one pass over the scope's
    rows (blank text counts as empty), keyed as summary_quality is."""
    columns = QUALITY_COLUMNS.get(kind, ())
    if not columns:
        return {}
    raw = s.metadata.tables[kind]

    def filled(name: str):  # noqa: ANN202 - SQL expression
        column = raw.c[name]
        if isinstance(column.type, String):
            return func.sum(case((func.coalesce(func.trim(column), "") != "", 1), else_=0))
        return func.count(column)

    counts = conn.execute(
        select(raw.c.district_id, func.count().label("rows"),
               *(filled(name).label(name) for name in columns))
        .where(*_scope(raw, scope))
        .group_by(raw.c.district_id)
    ).mappings().all()
    return {(scope.programme_id, c["district_id"], kind, name): {
                "programme_id": scope.programme_id, "district_id": c["district_id"], "kind": kind,
                "column": name, "rows": int(c["rows"]), "filled": int(c[name] or 0)}
            for c in counts for name in columns}


MANDATORY_GRANT_MAXIMUM = 30_000  # England's mandatory DFG maximum, in pounds
CLOSED_BEFORE_REFERRAL = "Closed before referral"
GRANT_ABOVE_MAXIMUM = f"Grant above the £{MANDATORY_GRANT_MAXIMUM:,} mandatory maximum"
FUTURE_DATE = "Date in the future"  # kept when the date was ahead at load; shown while it still is
SAME_REFERENCE = "Same reference in more than one district"
REFERENCE_COLUMN = {"cases": "case_ref", "dfg": "dfg_ref", "feedback": "feedback_ref"}


def _record_checks(kind: str, today: date) -> list[tuple[str, object, object]]:
    """(check, failing condition, the date to show) for each check of one record of ``kind``."""
    if kind == "cases":
        c = s.cases
        return [(CLOSED_BEFORE_REFERRAL, c.c.closed_date < c.c.referral_date, c.c.closed_date),
                (FUTURE_DATE, or_(c.c.referral_date > today, c.c.closed_date > today),
                 case((c.c.closed_date > today, c.c.closed_date), else_=c.c.referral_date))]
    if kind == "dfg":
        g = s.dfg
        return [(GRANT_ABOVE_MAXIMUM, g.c.grant_amount > MANDATORY_GRANT_MAXIMUM, g.c.completion_date),
                (FUTURE_DATE, or_(g.c.enquiry_date > today, g.c.completion_date > today),
                 case((g.c.completion_date > today, g.c.completion_date), else_=g.c.enquiry_date))]
    if kind == "feedback":
        f = s.feedback
        return [(FUTURE_DATE, f.c.received_date > today, f.c.received_date)]
    return []


def refresh_checks(conn: Connection, kind: str, programme_id: int,
                   district_ids: list[int] | None, today: date | None = None) -> None:
    """Rebuild the records to check of the districts' ``kind`` rows from every row (the data quality
    page reads only these); a load rebuilds only its own rows' (``checks_for_load``)."""
    if kind not in REFERENCE_COLUMN:
        return
    checks = s.summary_checks
    delete = checks.delete().where(checks.c.programme_id == programme_id, checks.c.kind == kind)
    if district_ids is not None:
        delete = delete.where(checks.c.district_id.in_(district_ids))
    conn.execute(delete)
    _insert_checks(conn, kind, Scope(programme_id, district_ids), today or date.today())


def checks_for_load(conn: Connection, kind: str, programme_id: int, import_id: int,
                    today: date | None = None) -> None:
    """The records to check among the rows one load wrote, and every district's rows that share a
    reference with them: found through the reference and import indexes, never by a scan."""
    if kind not in REFERENCE_COLUMN:
        return
    today = today or date.today()
    raw, checks = s.metadata.tables[kind], s.summary_checks
    ref = raw.c[REFERENCE_COLUMN[kind]]
    written = Scope(programme_id, rows=lambda table: table.c.import_id == import_id)
    written_refs = select(ref).where(*_scope(raw, written))
    mine = and_(checks.c.programme_id == programme_id, checks.c.kind == kind,
                checks.c.reference.in_(written_refs))
    conn.execute(checks.delete().where(mine, checks.c.check == SAME_REFERENCE))
    record_checks = sorted({check for check, _, _ in _record_checks(kind, today)})
    conn.execute(checks.delete().where(
        mine, checks.c.check.in_(record_checks),
        tuple_(checks.c.district_id, checks.c.reference).in_(
            select(raw.c.district_id, ref).where(*_scope(raw, written)))))
    _insert_checks(conn, kind, written, today)


def _insert_checks(conn: Connection, kind: str, scope: Scope, today: date) -> None:
    """Each failing record of the scope's rows, and every row (any district) whose reference one of
    them shares with another district: the references grouped once, not looked up per row."""
    raw, checks = s.metadata.tables[kind], s.summary_checks
    ref = raw.c[REFERENCE_COLUMN[kind]]
    columns = ["programme_id", "district_id", "kind", "check", "reference", "date"]
    for check, condition, day in _record_checks(kind, today):
        conn.execute(checks.insert().from_select(columns, select(
            raw.c.programme_id, raw.c.district_id, literal(kind), literal(check), ref, day,
        ).where(*_scope(raw, scope), condition)))
    in_programme = raw.c.programme_id == scope.programme_id
    whole = scope.district_ids is None and scope.rows is None  # the whole programme: one grouping
    looked_up = [] if whole else [ref.in_(select(ref).where(*_scope(raw, scope)))]
    shared = (select(ref).where(in_programme, *looked_up)
              .group_by(ref).having(func.count(raw.c.district_id.distinct()) > 1))
    districts = [] if scope.district_ids is None else [raw.c.district_id.in_(scope.district_ids)]
    conn.execute(checks.insert().from_select(columns, select(
        raw.c.programme_id, raw.c.district_id, literal(kind), literal(SAME_REFERENCE), ref,
        literal(None, type_=Date),
    ).where(in_programme, ref.in_(shared), *districts)))


def refresh_all(conn: Connection, programme_id: int) -> None:
    """Rebuild every summary of a programme (after a schema change or a repair)."""
    for kind in SUMMARIES_FOR_KIND:
        refresh(conn, kind, programme_id)
