"""A care-at-home programme's figures for a period: hours bought and delivered, what an hour costs,
who is waiting and for how long, how concentrated the market is and how good its providers are.

The one place the registry's care KPIs (``registry.CARE_KPIS``) are worked out: the page, the packs
and ``python -m dashboard.kpi_cli`` all call ``care_kpis``. Hours are summed in SQL by month (and
framework or provider); waiting is counted in SQL as at the period's end; nothing after the
period's end is read, and a provider's rating is the newest the regulators had published by then.
"""

from __future__ import annotations

import calendar
import os
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, func, select

from dashboard.db import schema as s
from dashboard.figures.periods import Period, parse_period, ym_of
from dashboard.figures.rag import Target, rag_status
from dashboard.figures.vocabulary import OFF_FRAMEWORK
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import programme_id
from dashboard.queries.registry import CARE_KPI_IDS, get_kpi

GOOD_CQC = ("Good", "Outstanding")
GOOD_GRADE = 4  # the lowest latest grade of a good service (Care Inspectorate, 1-6)
ENTRY_GRADE = 3  # the new framework's entry rule: at least this at each of the last two inspections
TOP = 5
COLUMNS = ["kpi", "name", "unit", "period", "framework", "value", "target", "rag"]


def _weeks(ym: int) -> float:
    year, month = divmod(ym, 100)
    return calendar.monthrange(year, month)[1] / 7


def _months(period: Period) -> tuple[int, int]:
    return period.first_ym, period.last_ym


def hours_by_month(engine: Engine, programme: str, period: Period | tuple[int, int],
                   by_framework: bool = False, by: str | None = None) -> pd.DataFrame:
    """ym, framework (None unless asked; ``by="client_group"`` groups by client group in that
    column instead), commissioned, delivered (weekly) and spend, summed; ``period`` a period or
    (first ym, last ym)."""
    h, p = s.care_hours, s.care_providers
    first, last = _months(period) if isinstance(period, Period) else period
    framework = h.c.client_group.label("framework") if by == "client_group" else (
        p.c.framework if by_framework else None)
    keys = [h.c.ym, *([framework] if framework is not None else [])]
    query = (select(*keys, func.sum(h.c.hours_commissioned_weekly).label("commissioned"),
                    func.sum(h.c.hours_delivered_weekly).label("delivered"),
                    func.sum(h.c.spend).label("spend"))
             .join(p, and_(p.c.programme_id == h.c.programme_id, p.c.provider == h.c.provider))
             .where(h.c.programme_id == programme_id(engine, programme), h.c.ym.between(first, last))
             .group_by(*keys).order_by(*keys))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["ym", *(["framework"] if framework is not None else []), "commissioned",
                                      "delivered", "spend"])
    if framework is None:
        frame.insert(1, "framework", None)
    return frame.astype({"commissioned": float, "delivered": float, "spend": float})


def hours_by_provider(engine: Engine, programme: str, period: Period) -> pd.DataFrame:
    """provider, framework, regulator_id, commissioned and delivered (weekly, averaged over the
    period's months that hold data, so a provider absent a month counts nothing for it), and
    spend; largest first."""
    h, p = s.care_hours, s.care_providers
    first, last = _months(period)
    pid = programme_id(engine, programme)
    in_period = and_(h.c.programme_id == pid, h.c.ym.between(first, last))
    query = (select(p.c.provider, p.c.framework, p.c.regulator_id,
                    func.sum(h.c.hours_commissioned_weekly).label("commissioned"),
                    func.sum(h.c.hours_delivered_weekly).label("delivered"),
                    func.sum(h.c.spend).label("spend"))
             .join(p, and_(p.c.programme_id == h.c.programme_id, p.c.provider == h.c.provider))
             .where(in_period).group_by(p.c.provider, p.c.framework, p.c.regulator_id))
    with engine.connect() as conn:
        months = conn.execute(select(func.count(func.distinct(h.c.ym))).where(in_period)).scalar() or 1
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=["provider", "framework", "regulator_id", "commissioned", "delivered",
                                      "spend"])
    frame = frame.astype({"commissioned": float, "delivered": float, "spend": float})
    frame[["commissioned", "delivered"]] /= months
    return frame.sort_values(["delivered", "provider"], ascending=[False, True], ignore_index=True)


def good_providers(engine: Engine, regulator_ids: list[str], as_at: date) -> tuple[set[str], set[str]]:
    """(good, rated): of the ids (CQC Location IDs, Care Inspectorate CS numbers), those whose
    newest rating published by ``as_at`` is Good or Outstanding, or whose lowest latest grade is 4
    or more; and those with any rating or grade by then."""
    ids = sorted({i for i in regulator_ids if i})
    if not ids:
        return set(), set()
    cqc, loc = s.cqc_snapshots, s.cqc_locations
    ci, svc = s.ci_snapshots, s.ci_services
    newest_cqc = (select(func.max(cqc.c.as_at)).where(cqc.c.kind == "locations", cqc.c.as_at <= as_at)
                  .scalar_subquery())
    newest_ci = select(func.max(ci.c.as_at)).where(ci.c.as_at <= as_at).scalar_subquery()
    with engine.connect() as conn:
        england = conn.execute(
            select(loc.c.location_id, loc.c.rating.in_(GOOD_CQC)).join(cqc, cqc.c.id == loc.c.snapshot_id)
            .where(cqc.c.kind == "locations", cqc.c.as_at == newest_cqc, loc.c.location_id.in_(ids))).all()
        scotland = conn.execute(
            select(svc.c.cs_number, svc.c.min_grade >= GOOD_GRADE).join(ci, ci.c.id == svc.c.snapshot_id)
            .where(ci.c.as_at == newest_ci, svc.c.cs_number.in_(ids), svc.c.min_grade.is_not(None))).all()
    found = [*england, *scotland]
    return {str(i) for i, good in found if good}, {str(i) for i, _good in found}


def grade_history(engine: Engine, regulator_ids: list[str], as_at: date) -> pd.DataFrame:
    """cs_number, published, min_grade: each inspection the Care Inspectorate's files loaded by
    ``as_at`` show (a grading published twice is one inspection), newest first."""
    ids = sorted({i for i in regulator_ids if i})
    ci, svc = s.ci_snapshots, s.ci_services
    query = (select(svc.c.cs_number, svc.c.published, func.min(svc.c.min_grade).label("min_grade"))
             .join(ci, ci.c.id == svc.c.snapshot_id)
             .where(ci.c.as_at <= as_at, svc.c.cs_number.in_(ids), svc.c.published.is_not(None),
                    svc.c.published <= as_at)
             .group_by(svc.c.cs_number, svc.c.published)
             .order_by(svc.c.cs_number, svc.c.published.desc()))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["cs_number", "published", "min_grade"])


def entry_rule_words(history: pd.DataFrame, cs_number: str | None) -> str:
    """Whether a provider meets the framework's entry rule, in words."""
    if not cs_number:
        return "No regulator id given"
    mine = history[history["cs_number"] == cs_number].head(2)
    if mine.empty:
        return "No Care Inspectorate grading loaded"
    grades = [int(g) for g in mine["min_grade"] if pd.notna(g)]
    shown = " and ".join(f"{g}{' (latest)' if i == 0 and len(grades) > 1 else ''}"
                         for i, g in enumerate(grades))
    if any(g < ENTRY_GRADE for g in grades):
        return f"Below the entry rule (lowest grades {shown})"
    if len(grades) < 2:
        return f"One inspection loaded (lowest grade {shown}): the rule needs two"
    if all(g >= GOOD_GRADE for g in grades):
        return f"Meets the entry rule; eligible for uplifts (lowest grades {shown})"
    return f"Meets the entry rule (lowest grades {shown})"


def waiting_by_month(engine: Engine, programme: str, last_ym: int) -> pd.DataFrame:
    """ym, requests waiting and their weekly hours at the end of each month up to ``last_ym`` that
    had any arrival or departure: everything that arrived by then less everything that left
    (``summary_care_requests``, a row per month and client group, never the requests)."""
    t = s.summary_care_requests
    query = (select(t.c.ym, func.sum(t.c.arrived - t.c.departed).label("change"),
                    func.sum(t.c.arrived_hours - t.c.departed_hours).label("hours_change"))
             .where(t.c.programme_id == programme_id(engine, programme), t.c.ym <= last_ym)
             .group_by(t.c.ym).order_by(t.c.ym))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["ym", "change", "hours_change"])
    return pd.DataFrame({"ym": frame["ym"].astype(int),
                         "waiting": frame["change"].astype(int).cumsum(),
                         # sums of fractions of an hour: no float dust in "0 hours waiting"
                         "hours": frame["hours_change"].astype(float).cumsum().round(6)})


def _waiting_at(by_month: pd.DataFrame, ym: int) -> tuple[int, float]:
    before = by_month[by_month["ym"] <= ym]
    return (0, 0.0) if before.empty else (int(before["waiting"].iloc[-1]), float(before["hours"].iloc[-1]))


def waiting(engine: Engine, programme: str, as_at: date) -> tuple[int, float]:
    """(requests waiting, their weekly hours) at the end of ``as_at``'s month (a request dated
    later in the same month already counts: only a date after today can be, and the loader warns)."""
    return _waiting_at(waiting_by_month(engine, programme, ym_of(as_at)), ym_of(as_at))


def starts_by_days(engine: Engine, programme: str, first_ym: int, last_ym: int) -> pd.DataFrame:
    """ym, days (from request to start) and starts, for services started in those months."""
    t = s.summary_care_starts
    query = (select(t.c.ym, t.c.days, t.c.starts)
             .where(t.c.programme_id == programme_id(engine, programme),
                    t.c.ym.between(first_ym, last_ym)))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).all(), columns=["ym", "days", "starts"])


def _days_counts(starts: pd.DataFrame) -> pd.Series:
    """How many services started after each number of days' wait."""
    return starts.groupby("days")["starts"].sum().astype(float)


def days_to_service(engine: Engine, programme: str, period: Period) -> pd.Series:
    """How many services started after each number of days' wait, for starts in the period."""
    return _days_counts(starts_by_days(engine, programme, *_months(period)))


def median_of(counts: pd.Series) -> float | None:
    """The median of values given as (value -> how many), as ``statistics.median`` would give."""
    total = int(counts.sum()) if len(counts) else 0
    if not total:
        return None
    running = counts.sort_index().cumsum()
    lower = running.index[running >= (total + 1) // 2][0]
    upper = running.index[running >= total // 2 + 1][0]
    return (float(lower) + float(upper)) / 2


def _share(part: float, whole: float) -> float | None:
    return None if not whole else round(part / whole * 100, 10)


def _values(hours: pd.DataFrame, providers: pd.DataFrame, good: set[str],
            rated: set[str]) -> dict[str, float | None]:
    months = hours["ym"].nunique()
    commissioned, delivered = hours["commissioned"].sum(), hours["delivered"].sum()
    delivered_hours = float((hours["delivered"] * hours["ym"].map(_weeks)).sum())
    total = providers["delivered"].sum()
    top = providers["delivered"].nlargest(TOP).sum()
    off = providers.loc[providers["framework"] == OFF_FRAMEWORK, "delivered"].sum()
    good_hours = providers.loc[providers["regulator_id"].isin(good), "delivered"].sum()
    return {
        "care_hours_commissioned_weekly": commissioned / months if months else None,
        "care_hours_delivered_pct": _share(delivered, commissioned),
        "care_cost_per_hour": float(hours["spend"].sum()) / delivered_hours if delivered_hours else None,
        "care_spend": float(hours["spend"].sum()) if months else None,
        # no rating of any provider published by then: no figure, rather than "none are good"
        "care_hours_good_or_better_pct": _share(good_hours, total) if rated else None,
        "care_off_framework_pct": _share(off, total),
        "care_top5_share_pct": _share(top, total),
    }


def care_kpis(engine: Engine, programme: str, period: Period, by_framework: bool = False,
              kpi_ids: list[str] | None = None, today: date | None = None) -> pd.DataFrame:
    """Every care KPI for the period (and with ``by_framework`` each framework's too, where the
    KPI is one of hours). Columns: ``COLUMNS``; value None where there is nothing to count."""
    as_at = min(period.end, today or date.today())
    hours = hours_by_month(engine, programme, period, by_framework=True)
    providers = hours_by_provider(engine, programme, period)
    good, rated = good_providers(engine, list(providers["regulator_id"].dropna()), as_at)
    count, hours_waiting = waiting(engine, programme, as_at)
    whole = {**_values(hours.groupby("ym", as_index=False)[["commissioned", "delivered", "spend"]].sum(),
                       providers, good, rated),
             "care_people_waiting": float(count), "care_hours_waiting_weekly": hours_waiting,
             "care_days_to_service_median": median_of(days_to_service(engine, programme, period))}
    rows = [_row(kpi_id, period, None, whole.get(kpi_id)) for kpi_id in (kpi_ids or CARE_KPI_IDS)]
    if by_framework:
        for framework in sorted(providers["framework"].unique()):
            mine = providers[providers["framework"] == framework]
            values = _values(hours[hours["framework"] == framework], mine, good,
                             rated & set(mine["regulator_id"].dropna()))
            rows += [_row(kpi_id, period, framework, values[kpi_id]) for kpi_id in (kpi_ids or CARE_KPI_IDS)
                     if kpi_id in values]
    return pd.DataFrame(rows, columns=COLUMNS)


def reference_price() -> float | None:
    """The price an hour of care at home is judged against, ``DASHBOARD_CARE_REFERENCE_PRICE`` (£,
    e.g. 16.50; unset: none): the council's own rate, or the one its board agreed."""
    raw = os.environ.get("DASHBOARD_CARE_REFERENCE_PRICE", "").strip().lstrip("£")
    if not raw:
        return None
    try:
        price = float(raw.replace(",", ""))
    except ValueError:
        price = -1.0
    if not 0 < price < 1000:
        raise ValueError(f"DASHBOARD_CARE_REFERENCE_PRICE must be a price in pounds, as 16.50; "
                         f"not {raw!r}")
    return price


def month_ends(period: Period, count: int = 12) -> list[Period]:
    """The ``count`` months up to the period's last, oldest first."""
    last = Period(period.fy, "month", period.last_fy_month)
    return [last.shift(-n) for n in range(count - 1, -1, -1)]


def waiting_series(engine: Engine, programme: str, period: Period,
                   today: date | None = None) -> pd.DataFrame:
    """month, people waiting and weekly hours waiting at each month's end, and the median days to
    service of the month's starts: the twelve months to the period's end (none before the
    programme's first request, none after today's month)."""
    months = [m for m in month_ends(period) if m.start <= (today or date.today())]
    if not months:
        return pd.DataFrame(columns=["month", "waiting", "hours", "median_days"])
    by_month = waiting_by_month(engine, programme, months[-1].last_ym)
    starts = starts_by_days(engine, programme, months[0].first_ym, months[-1].last_ym)
    rows = []
    for month in months:
        if by_month.empty or month.last_ym < by_month["ym"].iloc[0]:
            continue  # before the programme's first request: no list to speak of
        count, hours = _waiting_at(by_month, month.last_ym)
        rows.append({"month": month.label, "waiting": count, "hours": hours,
                     "median_days": median_of(_days_counts(starts[starts["ym"] == month.last_ym]))})
    return pd.DataFrame(rows, columns=["month", "waiting", "hours", "median_days"])


def _row(kpi_id: str, period: Period, framework: str | None, value: float | None) -> dict:
    kpi = get_kpi(kpi_id)
    target = reference_price() if kpi_id == "care_cost_per_hour" else kpi.default_target
    judged = None if target is None else Target(target, abs(target) * 0.05)
    return {"kpi": kpi_id, "name": kpi.name, "unit": kpi.unit, "period": period.label, "framework": framework,
            "value": value, "target": target, "rag": rag_status(value, judged, kpi.good, 1.0)}


def cqc_ratings(engine: Engine, location_ids: list[str], as_at: date) -> dict[str, str]:
    """Each CQC location's counted rating in the newest directory published by ``as_at``."""
    ids = sorted({i for i in location_ids if i})
    cqc, loc = s.cqc_snapshots, s.cqc_locations
    newest = (select(func.max(cqc.c.as_at)).where(cqc.c.kind == "locations", cqc.c.as_at <= as_at)
              .scalar_subquery())
    with engine.connect() as conn:
        found = conn.execute(select(loc.c.location_id, loc.c.rating).join(cqc, cqc.c.id == loc.c.snapshot_id)
                             .where(cqc.c.kind == "locations", cqc.c.as_at == newest,
                                    loc.c.location_id.in_(ids))).all()
    return {str(location): str(rating) for location, rating in found}


def provider_table(engine: Engine, programme: str, period: Period,
                   today: date | None = None) -> pd.DataFrame:
    """provider, framework, delivered (weekly), share (% of the hours delivered), quality (the
    newest CQC rating or the Care Inspectorate's lowest grades at the last two inspections, by the
    period's end) and the framework entry rule in words; largest first."""
    as_at = min(period.end, today or date.today())
    frame = hours_by_provider(engine, programme, period)
    ids = list(frame["regulator_id"].dropna())
    history, ratings = grade_history(engine, ids, as_at), cqc_ratings(engine, ids, as_at)
    total = frame["delivered"].sum()

    def quality(regulator_id: object) -> str:
        if not isinstance(regulator_id, str) or not regulator_id:
            return "–"
        if regulator_id in ratings:
            return f"CQC: {ratings[regulator_id]}"
        mine = history[history["cs_number"] == regulator_id].head(2)
        return "; ".join(f"grade {int(r.min_grade)} ({r.published:%b %Y})" for r in mine.itertuples()
                         if pd.notna(r.min_grade)) or "–"

    return pd.DataFrame({
        "provider": frame["provider"], "framework": frame["framework"], "delivered": frame["delivered"],
        "share": frame["delivered"] / total * 100 if total else None,
        "quality": frame["regulator_id"].map(quality),
        "entry_rule": [("Rated by CQC: the entry rule is the Care Inspectorate's" if r in ratings
                        else entry_rule_words(history, r if isinstance(r, str) else None))
                       for r in frame["regulator_id"]]})


# For pages: cached, on the configured database, by period label.
@cached_query
def page_kpis(engine: Engine, programme: str, period: str, by_framework: bool = False) -> pd.DataFrame:
    return care_kpis(engine, programme, parse_period(period), by_framework=by_framework)


@cached_query
def page_hours(engine: Engine, programme: str, period: str, by: str | None = None) -> pd.DataFrame:
    """The twelve months to the period's end, by framework (``by="framework"``), client group or
    neither."""
    months = month_ends(parse_period(period))
    return hours_by_month(engine, programme, (months[0].first_ym, months[-1].last_ym),
                          by_framework=by == "framework", by=by)


@cached_query
def page_waiting(engine: Engine, programme: str, period: str) -> pd.DataFrame:
    return waiting_series(engine, programme, parse_period(period))


@cached_query
def page_providers(engine: Engine, programme: str, period: str) -> pd.DataFrame:
    return provider_table(engine, programme, parse_period(period))
