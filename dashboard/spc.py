"""Statistical process control (XmR charts) in the NHS "Making Data Count" style.

Pure functions over a list of numbers, so the rules are tested on worked examples and the same
result drives the chart, its text summary and the printed pack.

Rules (as in Making Data Count and its reference implementation, NHSRplotthedots):
- centre line = mean; process limits = mean ± 2.66 × mean moving range;
- special cause: a point outside the limits; a run of 7 or more points on one side of the mean (a
  point on the mean breaks the run); 7 or more points each higher (or each lower) than the one
  before; 2 of 3 consecutive points beyond two-thirds of the way to a limit, on the same side.
- variation: the latest point's status — special cause improving, concerning, or (where no
  direction is good) neutral; otherwise common cause;
- assurance against a target: consistently met when the limits are both on the good side of the
  target, consistently not met when both are on the wrong side, otherwise hit and miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

LIMIT_FACTOR = 2.66
RUN_LENGTH = 7
TREND_LENGTH = 7

Good = Literal["higher", "lower"] | None

# How each variation reads on screen and in print: a symbol and words, never colour alone.
VARIATION_LABELS = {
    "special cause improving": "▲ Special cause — improving",
    "special cause concerning": "▼ Special cause — concerning",
    "special cause (neutral)": "◆ Special cause",
    "common cause": "● Common cause — no significant change",
}


@dataclass(frozen=True)
class SpcResult:
    values: tuple[float, ...]
    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    special: tuple[bool, ...]  # per point: part of any special-cause pattern
    side: tuple[int, ...]  # per point: +1 above the mean, -1 below, 0 on it
    reasons: tuple[tuple[str, ...], ...]  # per point: which rules flagged it
    variation: str
    assurance: str | None


def _outside(values: Sequence[float], upper: float, lower: float) -> list[bool]:
    return [v > upper or v < lower for v in values]


def _runs(sides: Sequence[int]) -> list[bool]:
    flagged = [False] * len(sides)
    start = 0
    for i in range(1, len(sides) + 1):
        if i == len(sides) or sides[i] != sides[start] or sides[i] == 0:
            if sides[start] != 0 and i - start >= RUN_LENGTH:
                flagged[start:i] = [True] * (i - start)
            start = i
    return flagged


def _trends(values: Sequence[float]) -> list[bool]:
    flagged = [False] * len(values)
    for direction in (1, -1):
        start = 0
        for i in range(1, len(values) + 1):
            continuing = i < len(values) and (values[i] - values[i - 1]) * direction > 0
            if not continuing:
                if i - start >= TREND_LENGTH:
                    flagged[start:i] = [True] * (i - start)
                start = i
    return flagged


def _two_of_three(values: Sequence[float], mean: float, upper: float, lower: float) -> list[bool]:
    flagged = [False] * len(values)
    high = mean + (upper - mean) * 2 / 3
    low = mean - (mean - lower) * 2 / 3
    for i in range(len(values) - 2):
        window = values[i:i + 3]
        for beyond in ([v > high for v in window], [v < low for v in window]):
            if sum(beyond) >= 2:
                for j, hit in enumerate(beyond):
                    flagged[i + j] = flagged[i + j] or hit
    return flagged


def _variation(special: bool, side: int, good: Good) -> str:
    if not special:
        return "common cause"
    if good is None or side == 0:
        return "special cause (neutral)"
    improving = (side > 0) == (good == "higher")
    return "special cause improving" if improving else "special cause concerning"


def _assurance(upper: float, lower: float, target: float | None, good: Good) -> str | None:
    if target is None or good is None:
        return None
    if good == "higher":
        met, missed = lower >= target, upper < target
    else:
        met, missed = upper <= target, lower > target
    if met:
        return "target consistently met"
    if missed:
        return "target consistently not met"
    return "hit and miss"


def xmr(values: Sequence[float], good: Good = None, target: float | None = None) -> SpcResult:
    """The XmR analysis of ``values`` (oldest first); needs at least two points."""
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two points")
    good = good if good in ("higher", "lower") else None  # "closest": neither side is better
    points = [float(v) for v in values]
    mean = sum(points) / len(points)
    moving = [abs(b - a) for a, b in zip(points, points[1:], strict=False)]
    mean_mr = sum(moving) / len(moving)
    upper, lower = mean + LIMIT_FACTOR * mean_mr, mean - LIMIT_FACTOR * mean_mr
    sides = [0 if v == mean else (1 if v > mean else -1) for v in points]
    rules = {
        "outside the limits": _outside(points, upper, lower),
        f"run of {RUN_LENGTH} on one side": _runs(sides),
        f"trend of {TREND_LENGTH}": _trends(points),
        "2 of 3 near a limit": _two_of_three(points, mean, upper, lower),
    }
    reasons = tuple(tuple(name for name, flags in rules.items() if flags[i])
                    for i in range(len(points)))
    special = tuple(bool(r) for r in reasons)
    last_side = sides[-1]
    if special[-1] and "trend" in " ".join(reasons[-1]) and last_side == 0:
        last_side = 1 if points[-1] > points[-2] else -1
    return SpcResult(
        values=tuple(points), mean=mean, mean_moving_range=mean_mr, upper=upper, lower=lower,
        special=special, side=tuple(sides), reasons=reasons,
        variation=_variation(special[-1], last_side, good),
        assurance=_assurance(upper, lower, target, good),
    )


def describe(result: SpcResult, name: str, unit_text: str = "") -> str:
    """One plain-English sentence for screen readers and printed packs."""
    flagged = sum(result.special)
    parts = [
        f"{name}: average {result.mean:,.1f}{unit_text} over {len(result.values)} periods, "
        f"expected to vary between {result.lower:,.1f} and {result.upper:,.1f}{unit_text}.",
        f"Latest point: {result.variation}.",
    ]
    if flagged:
        parts.append(f"{flagged} point{'s' if flagged != 1 else ''} show special-cause variation.")
    if result.assurance:
        parts.append(f"Against the target: {result.assurance}.")
    return " ".join(parts)
