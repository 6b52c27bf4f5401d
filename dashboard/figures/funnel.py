"""Funnel plot limits: how far a district's rate can sit from the average by chance alone.

Small districts are not judged on noise: limits widen as the volume behind a figure shrinks.
Proportions (e.g. % of grants within 20 weeks) use the binomial normal approximation,
p ± z·√(p(1−p)/n); rates per 100 (complaints per 100 cases) use the Poisson one, r ± z·√(r/n).
z is 1.96 for 95% and 3.09 for 99.8% limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import pandas as pd

Z = {"95": 1.959964, "998": 3.090232}
Kind = Literal["proportion", "rate"]


def limits(centre_pct: float, volumes: Sequence[float], kind: Kind) -> pd.DataFrame:
    """Columns: volume, lower95, upper95, lower998, upper998 (in % or per 100)."""
    centre = centre_pct / 100
    rows = []
    for n in volumes:
        spread = math.sqrt(centre * (1 - centre) / n) if kind == "proportion" else math.sqrt(centre / n)
        row = {"volume": n}
        for name, z in Z.items():
            low, high = centre - z * spread, centre + z * spread
            if kind == "proportion":
                high = min(high, 1.0)
            row[f"lower{name}"], row[f"upper{name}"] = 100 * max(low, 0.0), 100 * high
        rows.append(row)
    return pd.DataFrame(rows)


def limit_curve(centre_pct: float, largest: float, kind: Kind, points: int = 60) -> pd.DataFrame:
    """Limits at evenly spread volumes from 1 to a little past the largest district."""
    top = max(2.0, largest * 1.1)
    return limits(centre_pct, [1 + (top - 1) * i / (points - 1) for i in range(points)], kind)


def position(value_pct: float, volume: float, centre_pct: float, kind: Kind) -> str:
    """Where a district sits: within 95% limits, between 95% and 99.8%, or beyond 99.8%."""
    bounds = limits(centre_pct, [volume], kind).iloc[0]
    if bounds["lower95"] <= value_pct <= bounds["upper95"]:
        return "within the expected range"
    if bounds["lower998"] <= value_pct <= bounds["upper998"]:
        return "outside 95% limits (worth a look)"
    return "outside 99.8% limits (unlikely to be chance)"
