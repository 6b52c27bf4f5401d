"""Targets and RAG status.

A target comes from the most specific row of the programme's targets return — district and year,
then district, then year, then programme-wide — and otherwise from the KPI's default target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from dashboard.queries.registry import Kpi

Rag = Literal["green", "amber", "red", "grey"]
DEFAULT_TOLERANCE_SHARE = 0.05


@dataclass(frozen=True)
class Target:
    value: float
    amber_tolerance: float


def rag_status(value: float | None, target: Target | None, good: str, base: float) -> Rag:
    """Green on the good side of the target (meeting it exactly counts), amber within the
    tolerance on the wrong side, red beyond it; grey with no target, no value or no data. A
    "closest" KPI is judged by distance either side: green within half the tolerance (the
    allocation's ±10 points of a ±20 tolerance), amber within it, red beyond."""
    if value is None or pd.isna(value) or target is None or not base:
        return "grey"
    if good == "closest":
        distance = abs(value - target.value)
        if distance <= target.amber_tolerance / 2 + 1e-9:
            return "green"
        return "amber" if distance <= target.amber_tolerance + 1e-9 else "red"
    shortfall = value - target.value if good == "lower" else target.value - value
    if shortfall <= 1e-9:
        return "green"
    return "amber" if shortfall <= target.amber_tolerance + 1e-9 else "red"


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
