"""Statistical process control (XmR charts) in the NHS "Making Data Count" style, exactly as its
open-source reference implementation, NHSRplotthedots (R/ptd_spc_standard.R,
R/ptd_calculate_point_type.R and R/ptd_calculate_assurance_type.R, release 0.2.0), computes them.

Pure functions over a list of numbers, so the rules are tested on worked examples (and on the
reference's own published values) and the same result drives the chart, its text summary and the
printed pack. ``python -m dashboard.spc`` (dashboard/cli/spc.py) runs it on numbers from standard input.

Rules, as the reference applies them:
- centre line = mean; moving ranges |x[i] - x[i-1]|; with ``screen_outliers`` (the reference's
  default) a moving range of 3.267 x their mean or more is left out and the mean moving range
  worked out again; process limits = mean ± 2.66 × mean moving range;
- a point is outside the limits when strictly beyond one; "close to a limit" when inside the
  limits but beyond two-thirds of the way from the mean (a point outside is not "close");
- special cause, in this order for the point's direction: outside the limits (above or below);
  part of a trend of 7 points each strictly higher (or lower) than the one before; part of 2 of 3
  consecutive points close to a limit, all three on the same side of the mean, the point itself
  close; part of a run of 7 points on one side of the mean (a point on the mean breaks it);
- each special point has a direction (above / increasing: +1; below / decreasing: -1); variation
  of the latest point: improving or concerning by the direction that is good, neutral where no
  direction is good, otherwise common cause;
- assurance against a target: a target beyond the upper limit is consistently not met where higher
  is good (met where lower is good), below the lower limit the other way; otherwise hit and miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

LIMIT_FACTOR = 2.66
CLOSE_FACTOR = 2 * LIMIT_FACTOR / 3  # "close to a limit": beyond two-thirds of the way to it
OUTLIER_FACTOR = 3.267  # a moving range this many times the mean is screened out of the limits
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
OUTSIDE = "outside the limits"
RUN = f"run of {RUN_LENGTH} on one side"
TREND = f"trend of {TREND_LENGTH}"
NEAR = "2 of 3 near a limit"


@dataclass(frozen=True)
class SpcResult:
    values: tuple[float, ...]
    mean: float
    mean_moving_range: float  # after screening, the one the limits use
    upper: float
    lower: float
    special: tuple[bool, ...]  # per point: part of any special-cause pattern
    side: tuple[int, ...]  # per point: +1 above the mean, -1 below, 0 on it
    direction: tuple[int, ...]  # per special point: +1 above or increasing, -1 below or decreasing
    reasons: tuple[tuple[str, ...], ...]  # per point: which rules flagged it, the deciding one first
    variation: str
    assurance: str | None


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _mean_moving_range(points: Sequence[float], screen_outliers: bool) -> float:
    moving = [abs(b - a) for a, b in zip(points, points[1:], strict=False)]
    mean_mr = sum(moving) / len(moving)
    if screen_outliers:
        kept = [m for m in moving if m < OUTLIER_FACTOR * mean_mr]
        mean_mr = sum(kept) / len(kept) if kept else 0.0  # a flat series: no spread at all
    return mean_mr


def _part_of_seven(ends: Sequence[int]) -> list[bool]:
    """A pattern flagged at the point that completes it covers that point and the 6 before."""
    return [any(ends[j] != 0 for j in range(i, min(i + RUN_LENGTH, len(ends)))) for i in range(len(ends))]


def _trend_ends(points: Sequence[float]) -> list[int]:
    """+1 (-1) where a point completes 7 each strictly higher (lower) than the one before."""
    ends = [0] * len(points)
    for i in range(TREND_LENGTH - 1, len(points)):
        steps = {_sign(points[j] - points[j - 1]) for j in range(i - TREND_LENGTH + 2, i + 1)}
        if steps in ({1}, {-1}):
            ends[i] = steps.pop()
    return ends


def _run_ends(sides: Sequence[int]) -> list[int]:
    """Where a point completes 7 on the same side of the mean (none on it)."""
    return [int(i >= RUN_LENGTH - 1 and sides[i] != 0
                and all(sides[j] == sides[i] for j in range(i - RUN_LENGTH + 1, i)))
            for i in range(len(sides))]


def _two_of_three(close: Sequence[bool], sides: Sequence[int]) -> list[bool]:
    """A close point in 3 consecutive points of which 2 or more are close and all 3 are on the
    same side of the mean (windows reaching past either end do not count)."""
    n = len(close)
    flagged = []
    for i in range(n):
        hit = False
        for start in (i - 2, i - 1, i):
            window = range(start, start + 3)
            if start >= 0 and start + 2 < n and sum(close[j] for j in window) >= 2 \
                    and abs(sum(sides[j] for j in window)) == 3:
                hit = True
        flagged.append(close[i] and hit)
    return flagged


def xmr(values: Sequence[float], good: Good = None, target: float | None = None,
        screen_outliers: bool = True) -> SpcResult:
    """The XmR analysis of ``values`` (oldest first); needs at least two points."""
    if len(values) < 2:
        raise ValueError("an XmR chart needs at least two points")
    good = good if good in ("higher", "lower") else None  # "closest": neither side is better
    points = [float(v) for v in values]
    mean = sum(points) / len(points)
    mean_mr = _mean_moving_range(points, screen_outliers)
    upper, lower = mean + LIMIT_FACTOR * mean_mr, mean - LIMIT_FACTOR * mean_mr
    near_upper, near_lower = mean + CLOSE_FACTOR * mean_mr, mean - CLOSE_FACTOR * mean_mr
    sides = [_sign(v - mean) for v in points]
    outside = [v > upper or v < lower for v in points]
    close = [not out and (v < near_lower or v > near_upper) for v, out in zip(points, outside, strict=True)]
    trend = _part_of_seven(_trend_ends(points))
    near = _two_of_three(close, sides)
    run = _part_of_seven(_run_ends(sides))
    reasons, direction = [], []
    for i, v in enumerate(points):
        found = [name for name, flags in ((OUTSIDE, outside), (TREND, trend), (NEAR, near), (RUN, run))
                 if flags[i]]
        reasons.append(tuple(found))
        if not found:
            direction.append(0)
        elif found[0] == TREND:  # the trend's own direction: to the next point if that is in it too
            later = i + 1 < len(points) and trend[i + 1]
            step = points[i + 1] - v if later else (v - points[i - 1] if i else 0.0)
            direction.append(_sign(step))
        else:
            direction.append(1 if sides[i] == 1 else -1)
    special = tuple(bool(r) for r in reasons)
    return SpcResult(
        values=tuple(points), mean=mean, mean_moving_range=mean_mr, upper=upper, lower=lower,
        special=special, side=tuple(sides), direction=tuple(direction), reasons=tuple(reasons),
        variation=_variation(special[-1], direction[-1], good),
        assurance=_assurance(upper, lower, target, good),
    )


def _variation(special: bool, direction: int, good: Good) -> str:
    if not special or direction == 0:
        return "common cause"
    if good is None:
        return "special cause (neutral)"
    improving = (direction > 0) == (good == "higher")
    return "special cause improving" if improving else "special cause concerning"


def _assurance(upper: float, lower: float, target: float | None, good: Good) -> str | None:
    if target is None or good is None:
        return None
    if target > upper:
        return "target consistently not met" if good == "higher" else "target consistently met"
    if target < lower:
        return "target consistently met" if good == "higher" else "target consistently not met"
    return "hit and miss"


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
