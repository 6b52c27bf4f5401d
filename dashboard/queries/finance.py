"""The financial position: budget, actual and forecast by partner and cost line, to date."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, case, func, select

from dashboard.db import schema as s
from dashboard.figures.format import format_money
from dashboard.figures.periods import parse_period
from dashboard.figures.vocabulary import INCOME_COST_LINES
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import programme_id
from dashboard.queries.ratios import percent_of
from dashboard.queries.summary_sums import adverse_variance_expression, allocation_total_expression

REVENUE_LINES = ("Staffing", "Running costs", "Support costs", "Other")
ON_BUDGET_PCT = 0.5  # a line within this % of its budget to date is on budget


def line_status(variance: float, variance_pct: float, is_income: bool) -> str:
    """A line's status in words; ``variance`` is adverse when positive (as ``budget_variance``)."""
    if pd.isna(variance_pct) or abs(variance_pct) <= ON_BUDGET_PCT:
        return "On budget"
    if is_income:
        return "Income below budget" if variance > 0 else "Income above budget"
    return "Overspend" if variance > 0 else "Underspend"


@cached_query
def finance_position(engine: Engine, programme: str, period: str) -> pd.DataFrame:
    """Columns: partner, cost_line, is_income, budget_to_date, actual_to_date, variance,
    variance_pct, annual_budget, forecast, forecast_variance, status (``line_status``).

    "To date" runs from April to the end of the period. ``variance`` is adverse when positive
    (overspend, or income below budget), as the ``budget_variance`` KPI defines it; ``forecast``
    is the latest full-year outturn forecast sent up to the period's end.
    """
    p = parse_period(period)
    f = s.finance
    to_date = f.c.month <= p.last_fy_month
    scope = [f.c.programme_id == programme_id(engine, programme), f.c.fy == p.fy]
    income = f.c.cost_line.in_(INCOME_COST_LINES)
    lines = (
        select(
            f.c.partner, f.c.cost_line,
            func.max(case((income, 1), else_=0)).label("is_income"),
            func.sum(case((to_date, f.c.budget), else_=0)).label("budget_to_date"),
            func.sum(case((to_date, f.c.actual), else_=0)).label("actual_to_date"),
            func.sum(case((to_date, adverse_variance_expression()), else_=0)).label("variance"),
            func.sum(f.c.budget).label("annual_budget"),
        )
        .where(*scope)
        .group_by(f.c.partner, f.c.cost_line)
    ).subquery()
    latest = (select(f.c.partner, f.c.cost_line, func.max(f.c.month).label("month"))
              .where(*scope, to_date, f.c.forecast.is_not(None))
              .group_by(f.c.partner, f.c.cost_line).subquery())
    forecasts = (select(f.c.partner, f.c.cost_line, f.c.forecast).join_from(
        f, latest, and_(f.c.partner == latest.c.partner, f.c.cost_line == latest.c.cost_line,
                        f.c.month == latest.c.month)).where(*scope)).subquery()
    # Forecast − annual budget, reversed for income lines: positive is adverse, as for variance.
    outturn = case((lines.c.is_income == 1, lines.c.annual_budget - forecasts.c.forecast),
                   else_=forecasts.c.forecast - lines.c.annual_budget)
    query = select(*lines.c, forecasts.c.forecast, outturn.label("forecast_variance")).join_from(
        lines, forecasts, and_(lines.c.partner == forecasts.c.partner,
                               lines.c.cost_line == forecasts.c.cost_line), isouter=True)
    columns = ["partner", "cost_line", "is_income", "budget_to_date", "actual_to_date", "variance",
               "annual_budget", "forecast", "forecast_variance"]
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=columns)
    frame[columns[3:]] = frame[columns[3:]].astype(float)
    frame["is_income"] = frame["is_income"].astype(int).astype(bool)
    frame["variance_pct"] = percent_of(frame["variance"], frame["budget_to_date"].abs())
    frame["status"] = [line_status(v, p, i) for v, p, i in zip(
        frame["variance"], frame["variance_pct"], frame["is_income"], strict=True)]
    return frame.sort_values(["partner", "cost_line"]).reset_index(drop=True)


def position_totals(position: pd.DataFrame) -> dict[str, float]:
    """The programme's position to date on one basis, net of income, so the tiles add up:
    ``actual_to_date - budget_to_date == variance`` (adverse +), and the same for the forecast
    against the annual budget. Income is also given on its own (``income_*``): adding income to
    spending, as a plain sum of the lines would, makes budget and actual mean nothing."""
    signed = position.assign(sign=[-1.0 if income else 1.0 for income in position["is_income"]])
    totals = {c: float((signed[c] * signed["sign"]).sum())
              for c in ("budget_to_date", "actual_to_date", "annual_budget", "forecast")}
    totals["variance"] = totals["actual_to_date"] - totals["budget_to_date"]
    totals["forecast_variance"] = totals["forecast"] - totals["annual_budget"]
    totals["variance_pct"] = percent_of(totals["variance"], abs(totals["budget_to_date"]))
    income = position[position["is_income"]]
    for column in ("budget_to_date", "actual_to_date", "variance"):
        totals[f"income_{column}"] = float(income[column].sum())
    return totals


def income_sentence(totals: dict[str, float]) -> str | None:
    """Income on its own line (the tiles net it off), or None when there is none."""
    if not totals["income_budget_to_date"] and not totals["income_actual_to_date"]:
        return None
    variance = totals["income_variance"]
    how = "a shortfall" if variance > 0.5 else ("more than budgeted" if variance < -0.5 else "as budgeted")
    return (f"Income to date: {format_money(totals['income_actual_to_date'])} received against "
            f"{format_money(totals['income_budget_to_date'])} budgeted ({how}: variance "
            f"{format_money(variance)}).")


def adverse_first(position: pd.DataFrame) -> pd.DataFrame:
    """The lines in the order the board reads them, on the page and in the pack: largest adverse
    variance first, favourable last."""
    return position.sort_values(["variance", "partner", "cost_line"],
                                ascending=[False, True, True]).reset_index(drop=True)


def reconciliation(position: pd.DataFrame) -> str:
    """Why budget − actual is not the variance, in words: income lines count the other way."""
    spend, income = position[~position["is_income"]], position[position["is_income"]]
    text = (f"Spending lines: actual {format_money(spend['actual_to_date'].sum())} against a budget of "
            f"{format_money(spend['budget_to_date'].sum())}, a variance of "
            f"{format_money(spend['variance'].sum())}.")
    if not income.empty:
        text += (f" Income lines: {format_money(income['actual_to_date'].sum())} received against "
                 f"{format_money(income['budget_to_date'].sum())} budgeted, a variance of "
                 f"{format_money(income['variance'].sum())} (for income, a shortfall is adverse).")
    total = position["variance"].sum()
    word = "adverse" if total > 0.5 else ("favourable" if total < -0.5 else "nil")
    return text + f" Net variance to date: {format_money(total)} ({word})."


@cached_query
def contribution_shares(engine: Engine, programme: str, financial_year: int) -> pd.DataFrame:
    """Columns: district, revenue_contribution, revenue_share, capital, capital_share (shares in %).

    Partners agree that revenue contributions follow each council's share of capital, so the two
    shares side by side show whether the split still matches the activity.
    """
    pid = programme_id(engine, programme)
    f, a, d = s.finance, s.allocations, s.districts
    revenue = (select(d.c.name.label("district"), func.sum(f.c.budget).label("revenue_contribution"))
               .join_from(f, d, f.c.district_id == d.c.id)
               .where(f.c.programme_id == pid, f.c.fy == financial_year,
                      f.c.cost_line.in_(REVENUE_LINES))
               .group_by(d.c.name))
    capital_total = allocation_total_expression()
    capital = (select(d.c.name.label("district"), func.sum(capital_total).label("capital"))
               .join_from(a, d, a.c.district_id == d.c.id)
               .where(a.c.programme_id == pid, a.c.fy == financial_year)
               .group_by(d.c.name))
    with engine.connect() as conn:
        rev = pd.DataFrame(conn.execute(revenue).mappings().all(),
                           columns=["district", "revenue_contribution"])
        cap = pd.DataFrame(conn.execute(capital).mappings().all(), columns=["district", "capital"])
    frame = rev.merge(cap, on="district", how="outer").fillna(0.0)
    frame[["revenue_contribution", "capital"]] = frame[["revenue_contribution", "capital"]].astype(float)
    for column, share in (("revenue_contribution", "revenue_share"), ("capital", "capital_share")):
        total = frame[column].sum()
        frame[share] = 100 * frame[column] / total if total else float("nan")
    return frame.sort_values("district").reset_index(drop=True)
