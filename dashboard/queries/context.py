"""What the sidebar needs: programmes, their districts, the periods that hold data, freshness."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures.periods import Grain, period_of_ym, period_range, ym_of
from dashboard.queries import programmes, providers
from dashboard.queries.cache import cached_query


@cached_query
def programme_names(engine: Engine) -> list[str]:
    return programmes.programme_names(engine)


@cached_query
def programme_family(engine: Engine, programme: str) -> str:
    """"savings", "care" (care at home), or "housing" for a programme of districts (or one still
    empty)."""
    return programmes.programme_family_of(engine, programme)


@cached_query
def districts(engine: Engine, programme: str) -> pd.DataFrame:
    """Columns: district_id, district, code, aliases."""
    return programmes.districts_frame(engine, programme)


def data_as_at(programme: str) -> date | None:
    """The newest record's date up to today (future-dated records never count)."""
    return _data_as_at(programme, date.today())


def available_periods(programme: str, grain: Grain) -> list[str]:
    """Labels of every period from the first month holding data to the last one up to today,
    newest first: the sidebar opens on the first, so a future-dated slip cannot move it."""
    return _available_periods(programme, grain, date.today())


@cached_query
def _data_as_at(engine: Engine, programme: str, today: date) -> date | None:
    return programmes.data_as_at(engine, programme, today)


@cached_query
def _available_periods(engine: Engine, programme: str, grain: Grain, today: date) -> list[str]:
    bounds = programmes.month_range(engine, programme, today)
    if bounds is None:
        return []
    first, last = (period_of_ym(ym, grain) for ym in bounds)
    return [p.label for p in reversed(period_range(first, last))]


def council_periods(grain: Grain) -> list[str]:
    """With no programme chosen: every period from the first CQC directory snapshot's month to
    the newest's (none after today), newest first."""
    return _council_periods(grain, date.today())


@cached_query
def _council_periods(engine: Engine, grain: Grain, today: date) -> list[str]:
    dates = [d for d in providers.directory_dates_of(engine) if d <= today]
    if not dates:
        return []
    first, last = (period_of_ym(ym_of(d), grain) for d in (dates[0], dates[-1]))
    return [p.label for p in reversed(period_range(first, last))]
