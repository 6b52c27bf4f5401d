"""Figures for the board summary: headline KPIs for a period, and their recent history."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures.periods import Period, parse_period
from dashboard.queries.cache import cached_query
from dashboard.queries.kpi_values import compute_kpis
from dashboard.queries.published import public_kpis

HEADLINE_KPIS: tuple[str, ...] = (
    "cases_completed",
    "avg_days_to_complete",
    "open_cases",
    "dfg_days_application_to_completion",
    "dfg_within_20_weeks",
    "dfg_average_cost",
    "dfg_spend_vs_allocation",
    "satisfaction_overall",
    "complaints_per_100_cases",
    "budget_variance",
)
JOURNEY_KPIS: tuple[str, ...] = (
    "avg_days_to_complete",
    "dfg_days_application_to_completion",
    "dfg_end_to_end_days",
    "satisfaction_overall",
)


@cached_query
def kpi_history(engine: Engine, programme: str, period: str, periods_back: int,
                kpi_ids: tuple[str, ...], districts: tuple[str, ...] | None = None,
                by_district: bool = False, public: bool = False) -> pd.DataFrame:
    """KPI rows for ``period`` and the ``periods_back`` periods before it (same grain).

    ``public``: the rows come from ``public_kpis`` here, inside the cached query, so no page can
    show unprotected figures to the public by forgetting to (adds a ``suppressed`` column).
    """
    if public:
        return public_kpis(engine, programme, _periods(period, periods_back), kpi_ids, districts,
                           by_district)
    return history_table(engine, programme, period, periods_back, kpi_ids, districts, by_district)


def history_table(engine: Engine, programme: str, period: str, periods_back: int,
                  kpi_ids: tuple[str, ...], districts: tuple[str, ...] | None = None,
                  by_district: bool = False) -> pd.DataFrame:
    """``kpi_history`` uncached, for a cached query that works something out from the history."""
    return compute_kpis(engine, programme, _periods(period, periods_back), kpi_ids=kpi_ids,
                        districts=districts, by_district=by_district)


def _periods(period: str, periods_back: int) -> list[Period]:
    last = parse_period(period)
    return [last.shift(-n) for n in range(periods_back, -1, -1)]
