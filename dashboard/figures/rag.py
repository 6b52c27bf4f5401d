"""The RAG rule: how a value stands against its target. One rule for every floor that judges a
figure (the queries, the public-figures rules, the packs), so it lives with the figure maths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

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
