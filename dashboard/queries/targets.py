"""Targets and RAG status.

A target comes from the most specific row of the programme's targets return — district and year,
then district, then year, then programme-wide — and otherwise from the KPI's default target.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from dashboard.figures.rag import DEFAULT_TOLERANCE_SHARE, Target
from dashboard.queries.registry import Kpi


class TargetBook:
    """The targets of one programme, resolved per KPI, district and financial year."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        """``rows``: (kpi, target, district_id, fy, amber_tolerance), None where blank."""
        self._rows = {
            (kpi, _none(district_id), _none(fy)): (float(target), _none(tolerance))
            for kpi, target, district_id, fy, tolerance in rows
        }

    def target(self, kpi: Kpi, district_id: int | None, fy: int) -> Target | None:
        for key in ((district_id, fy), (district_id, None), (None, fy), (None, None)):
            found = self._rows.get((kpi.id, *key))
            if found is not None:
                return _target(*found, kpi)
        if kpi.default_target is None:
            return None
        return _target(kpi.default_target, None, kpi)


def _none(value: object) -> object:
    return None if value is None or pd.isna(value) else (int(value) if isinstance(value, float)
                                                          and value.is_integer() else value)


def _target(value: float, tolerance: float | None, kpi: Kpi) -> Target:
    if tolerance is None:
        tolerance = (kpi.default_tolerance if kpi.default_tolerance is not None
                     else abs(value) * DEFAULT_TOLERANCE_SHARE)
    return Target(float(value), float(tolerance))


def target_book(engine: Engine, programme_id: int) -> TargetBook:
    t = s.targets
    query = select(t.c.kpi, t.c.target, t.c.district_id, t.c.fy, t.c.amber_tolerance).where(
        t.c.programme_id == programme_id
    )
    with engine.connect() as conn:
        return TargetBook(conn.execute(query).all())
