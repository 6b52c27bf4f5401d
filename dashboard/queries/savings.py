"""A savings programme as at a period: its plan, each workstream's latest delivery return in the
period's financial year, and the figures worked out from them (``dashboard.figures.savings``).

The one place the tracker's figures come from: the page, both packs, "what changed" and
``python -m dashboard.savings`` all call ``tracker``. A plan is a few workstreams and its returns a
few hundred rows, so they are read as they are; nothing after the period's end is ever read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from dashboard.db import schema as s
from dashboard.db.programmes import find_programme
from dashboard.figures import savings as sv
from dashboard.figures.periods import Period, fy_label, parse_period
from dashboard.figures.rag import Target, rag_status
from dashboard.queries.cache import cached_query
from dashboard.queries.councils import council_of, council_programmes
from dashboard.queries.kpi_values import kpi_table
from dashboard.queries.programmes import month_range, programme_family_of, programme_id
from dashboard.queries.registry import KPI_IDS, get_kpi, workstream_kpi

NO_RETURN, NOT_STARTED = "No return", "Not started"
STATUS_RAG = {sv.ON_TRACK: "green", sv.AT_RISK: "amber", sv.OFF_TRACK: "red", NO_RETURN: "grey",
              NOT_STARTED: "grey"}
RAG_STATUS = {"green": sv.ON_TRACK, "amber": sv.AT_RISK, "red": sv.OFF_TRACK}
WORKSTREAM_COLUMNS = ["code", "workstream", "cohort", "benefit_type", "lower", "upper", "in_mtfs",
                      "first_fy", "profile", "lead_kpi", "owner"]


class NotSavings(ValueError):
    """The programme holds no savings plan."""


@dataclass(frozen=True)
class Tracker:
    """Everything the tracker shows for one period."""

    programme: str
    period: Period
    workstreams: pd.DataFrame  # one row a workstream: the plan, its return and its status
    summary: sv.Summary
    delivered_to_date: float
    forecast_year: float
    weighted_forecast: float
    profiled_target_lower: float
    profiled_target_upper: float
    guarantee_threshold: float | None
    baseline_budget: float | None
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        """The command line's answer, in pounds."""
        summary = {name: _pounds(getattr(self.summary, name)) for name in self.summary.__dataclass_fields__}
        return {**summary, "delivered_to_date": _pounds(self.delivered_to_date),
                "forecast_year": _pounds(self.forecast_year),
                "profiled_target_to_date": _pounds(self.profiled_target_lower),
                "profiled_target_to_date_upper": _pounds(self.profiled_target_upper),
                "weighted_forecast": _pounds(self.weighted_forecast),
                "guarantee_threshold": _pounds(self.guarantee_threshold), "period": self.period.label,
                "baseline_budget": _pounds(self.baseline_budget),
                "workstreams": [{"code": r.code, "status": r.status,
                                 "delivered_to_date": _pounds(r.delivered),
                                 "forecast_year": _pounds(r.forecast), "lower": _pounds(r.lower),
                                 "upper": _pounds(r.upper)} for r in self.workstreams.itertuples()]}


def _pounds(value: float | None) -> float | None:
    """To the penny: profiles spread a year's share over its months in floating point."""
    return None if value is None else round(float(value), 2)


def is_savings(engine: Engine, programme: str) -> bool:
    return programme_family_of(engine, programme) == "savings"


def stored_name(engine: Engine, programme: str) -> str:
    with engine.connect() as conn:
        found = find_programme(conn, programme)
    return programme if found is None else found[1]


def plan_frame(engine: Engine, programme: str) -> pd.DataFrame:
    """The plan, one row a workstream in code order; ``attrs`` holds the plan-wide figures."""
    w = s.savings_workstreams
    query = (select(w.c.workstream_code.label("code"), w.c.workstream, w.c.cohort, w.c.benefit_type,
                    w.c.lower_bound.label("lower"), w.c.upper_bound.label("upper"),
                    func.coalesce(w.c.already_in_mtfs, 0).label("in_mtfs"), w.c.first_fy, w.c.profile,
                    w.c.lead_kpi, w.c.owner, w.c.guarantee_threshold, w.c.baseline_budget)
             .where(w.c.programme_id == programme_id(engine, programme)).order_by(w.c.workstream_code))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(),
                             columns=[*WORKSTREAM_COLUMNS, "guarantee_threshold", "baseline_budget"])
    if frame.empty:
        raise NotSavings(f"'{programme}' holds no savings plan.")
    frame.attrs = {name: _first(frame[name]) for name in ("guarantee_threshold", "baseline_budget")}
    return frame[WORKSTREAM_COLUMNS]


def _first(column: pd.Series) -> float | None:
    given = column.dropna()
    return float(given.iloc[0]) if len(given) else None


def workstream_of(row: pd.Series | object) -> sv.Workstream:
    get = row.__getitem__ if isinstance(row, pd.Series) else lambda name: getattr(row, name)
    first, profile = int(get("first_fy")), get("profile")
    return sv.Workstream(code=str(get("code")), lower=float(get("lower")), upper=float(get("upper")),
                         benefit_type=str(get("benefit_type")), first_fy=first,
                         profile=sv.parse_profile(profile if isinstance(profile, str) else None, first),
                         in_mtfs=float(get("in_mtfs")))


def returns_frame(engine: Engine, programme: str, last_fy: int, last_month: int) -> pd.DataFrame:
    """Every delivery return up to month ``last_month`` (1 = April) of ``last_fy``: code, fy,
    month, delivered, forecast, confidence, note, in time order."""
    d = s.savings_delivery
    query = (select(d.c.workstream_code.label("code"), d.c.fy, d.c.month,
                    d.c.delivered_to_date.label("delivered"), d.c.forecast_year.label("forecast"),
                    d.c.confidence, d.c.note)
             .where(d.c.programme_id == programme_id(engine, programme),
                    or_(d.c.fy < last_fy, and_(d.c.fy == last_fy, d.c.month <= last_month)))
             .order_by(d.c.fy, d.c.month, d.c.workstream_code))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["code", "fy", "month", "delivered", "forecast", "confidence", "note"])


def delivery_months(engine: Engine, programme: str) -> tuple[int, int] | None:
    """First and last ``ym`` holding a delivery return, up to today's month."""
    return month_range(engine, programme, date.today())


def _latest(returns: pd.DataFrame, fy: int) -> pd.DataFrame:
    """Each workstream's newest return in ``fy`` (the rows arrive in time order)."""
    in_year = returns[returns["fy"] == fy]
    return in_year.groupby("code", sort=False).tail(1).set_index("code")


def tracker(engine: Engine, programme: str, period: Period) -> Tracker:
    """The tracker as at the end of ``period``: each workstream's newest return in the period's
    financial year up to its last month (a month with no return carries the one before)."""
    plan = plan_frame(engine, programme)
    programme = stored_name(engine, programme)
    fy, months = period.fy, period.last_fy_month
    latest = _latest(returns_frame(engine, programme, fy, months), fy)
    rows, notes = [], []
    for row in plan.itertuples():
        ws = workstream_of(row)
        target_lower, target_upper = sv.profiled_target(ws, fy, months)
        year_lower, year_upper = sv.profiled_target(ws, fy)
        found = latest.loc[row.code] if row.code in latest.index else None
        delivered = float(found["delivered"]) if found is not None else 0.0
        forecast = float(found["forecast"]) if found is not None else 0.0
        confidence = None if found is None or pd.isna(found["confidence"]) else str(found["confidence"])
        if found is None:
            status = NOT_STARTED if year_lower == 0 else NO_RETURN
        else:
            status = sv.status(ws, fy, months, delivered, forecast, confidence)
            if int(found["month"]) < months:
                notes.append(f"{row.code}: the newest return this year is for month {int(found['month'])} "
                             f"of {fy_label(fy)}; its figures are carried forward.")
        rows.append({**row._asdict(), "target_to_date": target_lower, "target_to_date_upper": target_upper,
                     "year_lower": year_lower, "year_upper": year_upper, "delivered": delivered,
                     "forecast": forecast, "confidence": confidence, "status": status,
                     "weighted": sv.weighted_forecast(delivered, forecast, confidence) if found is not None
                     else 0.0, "note": None if found is None or pd.isna(found["note"]) else found["note"]})
    frame = pd.DataFrame(rows).drop(columns="Index")
    summary = sv.summarise(workstream_of(r) for r in plan.itertuples())
    return Tracker(programme=programme, period=period, workstreams=frame, summary=summary,
                   delivered_to_date=float(frame["delivered"].sum()),
                   forecast_year=float(frame["forecast"].sum()),
                   weighted_forecast=float(frame["weighted"].sum()),
                   profiled_target_lower=float(frame["target_to_date"].sum()),
                   profiled_target_upper=float(frame["target_to_date_upper"].sum()),
                   guarantee_threshold=plan.attrs.get("guarantee_threshold"),
                   baseline_budget=plan.attrs.get("baseline_budget"), notes=notes)


def band_frame(engine: Engine, programme: str, period: Period) -> pd.DataFrame:
    """Month by month for the band chart: the year's profiled lower and upper estimates (the
    band), the profiled lower target to date, and, up to the period's end, what was delivered and
    forecast (newest return per workstream in each year, carried forward) and the confidence-
    weighted forecast. From the plan's first year to the end of the period's financial year."""
    plan = plan_frame(engine, programme)
    streams = [workstream_of(r) for r in plan.itertuples()]
    first, last = min(w.first_fy for w in streams), period.fy
    returns = returns_frame(engine, programme, period.fy, period.last_fy_month)
    by_key = {(r.code, r.fy, r.month): r for r in returns.itertuples()}
    rows = []
    for fy in range(first, last + 1):
        carried: dict[str, object] = {}
        for month in range(1, 13):
            shown = (fy, month) <= (period.fy, period.last_fy_month)
            for w in streams:
                if (w.code, fy, month) in by_key:
                    carried[w.code] = by_key[(w.code, fy, month)]
            found = list(carried.values())
            rows.append({
                "fy": fy, "month": month, "date": Period(fy, "month", month).start,
                "lower": sum(sv.profiled_target(w, fy)[0] for w in streams),
                "upper": sum(sv.profiled_target(w, fy)[1] for w in streams),
                "target_to_date": sum(sv.profiled_target(w, fy, month)[0] for w in streams),
                "delivered": sum(float(r.delivered) for r in found) if shown and found else None,
                "forecast": sum(float(r.forecast) for r in found) if shown and found else None,
                "weighted": sum(sv.weighted_forecast(float(r.delivered), float(r.forecast),
                                                     None if pd.isna(r.confidence) else str(r.confidence))
                                for r in found) if shown and found else None,
            })
    return pd.DataFrame(rows)


def lead_kpis(engine: Engine, programme: str, kpi_ids: list[str], period: Period) -> pd.DataFrame:
    """The lead KPIs' values for the period from the council's programme of districts that
    reports them (the operational evidence beside the money): kpi, name, unit, value, target,
    rag, source. Empty when the savings programme has no council or it has no such programme."""
    columns = ["kpi", "name", "unit", "value", "target", "rag", "source"]
    wanted = [k for k in dict.fromkeys(kpi_ids) if k in KPI_IDS]
    council = council_of(engine, programme)
    if not wanted or council is None:
        return pd.DataFrame(columns=columns)
    for other in council_programmes.__wrapped__(engine, council):
        if other == programme or programme_family_of(engine, other) != "housing":
            continue
        table = kpi_table(engine, other, period, kpi_ids=wanted)
        return pd.DataFrame([{"kpi": r.kpi, "name": get_kpi(r.kpi).name, "unit": get_kpi(r.kpi).unit,
                              "value": r.value, "target": r.target, "rag": r.rag, "source": other}
                             for r in table.itertuples()], columns=columns)
    return pd.DataFrame(columns=columns)


def guarantee_lines(found: Tracker) -> list[str]:
    """The guarantee test in words: the plan's recurrent annual benefit (lower and upper
    estimates) against the threshold the plan gives, and the period's year's forecast once the
    plan is at its full annual rate that year."""
    if found.guarantee_threshold is None:
        return [sv.guarantee_words(0, None, "")]
    threshold, year = found.guarantee_threshold, fy_label(found.period.fy)
    lines = [sv.guarantee_words(found.summary.lower, threshold, "Recurrent benefit, lower estimate"),
             sv.guarantee_words(found.summary.upper, threshold, "Recurrent benefit, upper estimate")]
    full_year = bool(len(found.workstreams)) and bool((found.workstreams["year_lower"]
                                                       >= found.workstreams["lower"] - 0.005).all())
    if full_year:
        lines.append(sv.guarantee_words(found.forecast_year, threshold, f"Forecast for {year}"))
    else:
        lines.append(f"Forecast for {year}: £{found.forecast_year:,.0f}, in a year the plan profiles "
                     "below its full annual benefit; the guarantee is judged on the full annual benefit.")
    return lines


def estimates_frame(found: Tracker) -> pd.DataFrame:
    """The plan's summary as a report sets it out (Line, Lower estimate, Upper estimate)."""
    s = found.summary
    rows = [("Total of the workstreams' estimates", s.lower, s.upper),
            ("Cashable and demand offset", s.cashable_lower, s.cashable_upper),
            ("Less savings already in the MTFS", -s.in_mtfs, -s.in_mtfs),
            ("Net cashable and demand offset", s.net_cashable_lower, s.net_cashable_upper),
            ("Quality improvements reinvested", s.quality_lower, s.quality_upper),
            ("Overall benefit", s.overall_lower, s.overall_upper)]
    return pd.DataFrame(rows, columns=["Line", "Lower estimate", "Upper estimate"])


KPI_COLUMNS = ["kpi", "value", "target", "rag", "base"]


def _judged(kpi_id: str, value: float, target: float, tolerance_share: float, base: float) -> dict:
    kpi = get_kpi(kpi_id)
    rag = rag_status(value, Target(target, target * tolerance_share), kpi.good, base) if target else "grey"
    return {"kpi": kpi_id, "value": value, "target": target or None, "rag": rag, "base": base}


def kpi_rows(found: Tracker) -> pd.DataFrame:
    """The savings KPIs of the registry (programme-wide) and each workstream's figure, as at the
    period: kpi, value, target, rag, base (workstreams with a target this year)."""
    frame = found.workstreams
    year_target = float(frame["year_lower"].sum())
    counted = float((frame["year_lower"] > 0).sum())
    off = float((frame["status"] == sv.OFF_TRACK).sum())
    rows = [
        _judged("savings_delivered_to_date", found.delivered_to_date, found.profiled_target_lower,
                1 - sv.DELIVERED_TOLERANCE, counted),
        _judged("savings_forecast_year", found.forecast_year, year_target, 1 - sv.AT_RISK_SHARE, counted),
        _judged("savings_weighted_forecast", found.weighted_forecast, year_target, 1 - sv.AT_RISK_SHARE,
                counted),
        {"kpi": "savings_workstreams_off_track", "value": off, "target": 0.0,
         "rag": "green" if off == 0 else "red" if counted else "grey", "base": counted},
    ]
    rows += [{"kpi": workstream_kpi(r.code).id, "value": r.delivered, "target": r.target_to_date or None,
              "rag": STATUS_RAG[r.status], "base": float(r.year_lower > 0)} for r in frame.itertuples()]
    return pd.DataFrame(rows, columns=KPI_COLUMNS)


def baseline_words(found: Tracker) -> str | None:
    """What the savings leave of the budget they come from, when the plan gives it."""
    budget = found.baseline_budget
    if not budget:
        return None
    saved = found.summary.lower
    return (f"A budget of £{budget:,.0f} less £{saved:,.0f} of savings ({saved / budget:.1%}) leaves "
            f"£{budget - saved:,.0f} a year.")


# For pages: cached, on the configured database, by period label.
@cached_query
def page_tracker(engine: Engine, programme: str, period: str) -> Tracker:
    return tracker(engine, programme, parse_period(period))


@cached_query
def page_band(engine: Engine, programme: str, period: str) -> pd.DataFrame:
    return band_frame(engine, programme, parse_period(period))


@cached_query
def page_lead_kpis(engine: Engine, programme: str, kpi_ids: tuple[str, ...], period: str) -> pd.DataFrame:
    return lead_kpis(engine, programme, list(kpi_ids), parse_period(period))


@cached_query
def savings_programme(engine: Engine, programme: str) -> bool:
    return is_savings(engine, programme)
