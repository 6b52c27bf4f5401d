"""The arithmetic of a savings programme, pure so each rule is tested on worked examples and the
same result drives the page, the packs and the command line.

A workstream has a lower and an upper estimate of its full annual benefit, a benefit type
(cashable, demand offset, or quality reinvested: improvements paid back into the service rather
than banked), an amount already counted in the medium-term financial strategy (MTFS), a first
financial year and a profile: the share of the full annual benefit expected in each year, rising
to 100% (blank: 100% from the first year).

The summary is the one a scrutiny report sets out (Leicestershire's Target Operating Model,
November 2019, para 11): total lower and upper; cashable and demand offset; less what the MTFS
already counts; net cashable; quality reinvested; overall = net cashable + quality. An amount in
the MTFS is taken off once, from the workstream that carries it, never from the total again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.figures.periods import fy_label

BENEFIT_TYPES = ("Cashable", "Demand offset", "Quality reinvested")
CASHABLE = ("Cashable", "Demand offset")
CONFIDENCES = ("High", "Medium", "Low")
# The share of a forecast not yet delivered that is counted, by the owner's confidence in it.
CONFIDENCE_WEIGHTS = {"High": 0.9, "Medium": 0.6, "Low": 0.3}
ON_TRACK, AT_RISK, OFF_TRACK = "On track", "At risk", "Off track"
DELIVERED_TOLERANCE = 0.9  # delivered to date may trail the profiled target by a tenth
AT_RISK_SHARE = 0.8  # a forecast within a fifth of the year's target is at risk, not off track
_FY = re.compile(r"^\s*(\d{4})/(\d{2})\s*:\s*(\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class Workstream:
    code: str
    lower: float
    upper: float
    benefit_type: str
    first_fy: int  # 2019 for 2019/20
    profile: tuple[tuple[int, float], ...] = ()  # (financial year, share 0-1), rising to 1
    in_mtfs: float = 0.0


def parse_profile(text: str | None, first_fy: int) -> tuple[tuple[int, float], ...]:
    """``"2019/20: 40%; 2020/21: 100%"`` -> ((2019, 0.4), (2020, 1.0)); blank -> (). Raises
    ValueError saying what is wrong: a part not written as a year and a share, a year before the
    first, the same year twice, a share that falls, or one that never reaches 100%."""
    if text is None or not text.strip():
        return ()
    found: list[tuple[int, float]] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        match = _FY.match(part)
        if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"'{part.strip()[:30]}' is not a year and a share, as 2019/20: 40%")
        fy, share = int(match[1]), float(match[3]) / 100
        if fy < first_fy:
            raise ValueError(f"{fy_label(fy)} is before the workstream's first year, {fy_label(first_fy)}")
        if share > 1:
            raise ValueError(f"{fy_label(fy)}: {share:.0%} is more than the full annual benefit (100%)")
        found.append((fy, share))
    found.sort()
    for (fy_a, share_a), (fy_b, share_b) in zip(found, found[1:], strict=False):
        if fy_a == fy_b:
            raise ValueError(f"{fy_label(fy_a)} is given twice")
        if share_b < share_a:
            raise ValueError(f"the share falls from {share_a:.0%} in {fy_label(fy_a)} to {share_b:.0%} in "
                             f"{fy_label(fy_b)}: a profile only rises")
    if not found or found[-1][1] < 1:
        raise ValueError("the profile never reaches 100% of the annual benefit")
    return tuple(found)


def share_in(workstream: Workstream, fy: int) -> float:
    """The share of the full annual benefit expected in ``fy``: 0 before the first year; the
    share of the latest profiled year on or before it; 100% where no profile is given."""
    if fy < workstream.first_fy:
        return 0.0
    if not workstream.profile:
        return 1.0
    shares = [share for year, share in workstream.profile if year <= fy]
    return shares[-1] if shares else 0.0


def profiled_target(workstream: Workstream, fy: int, months: int = 12) -> tuple[float, float]:
    """(lower, upper) expected by the end of month ``months`` (1 = April) of ``fy``: the year's
    profiled share of the annual estimates, spread evenly over its months."""
    share = share_in(workstream, fy) * min(max(months, 0), 12) / 12
    return workstream.lower * share, workstream.upper * share


@dataclass(frozen=True)
class Summary:
    lower: float
    upper: float
    cashable_lower: float
    cashable_upper: float
    in_mtfs: float
    net_cashable_lower: float
    net_cashable_upper: float
    quality_lower: float
    quality_upper: float
    overall_lower: float
    overall_upper: float


def summarise(workstreams: Iterable[Workstream]) -> Summary:
    """The report's summary, worked out from the workstreams (each MTFS amount taken off once)."""
    every = list(workstreams)
    cashable = [w for w in every if w.benefit_type in CASHABLE]
    quality = [w for w in every if w.benefit_type not in CASHABLE]
    in_mtfs = sum(w.in_mtfs for w in cashable)
    cash_lower, cash_upper = sum(w.lower for w in cashable), sum(w.upper for w in cashable)
    q_lower, q_upper = sum(w.lower for w in quality), sum(w.upper for w in quality)
    return Summary(
        lower=sum(w.lower for w in every), upper=sum(w.upper for w in every),
        cashable_lower=cash_lower, cashable_upper=cash_upper, in_mtfs=in_mtfs,
        net_cashable_lower=cash_lower - in_mtfs, net_cashable_upper=cash_upper - in_mtfs,
        quality_lower=q_lower, quality_upper=q_upper,
        overall_lower=cash_lower - in_mtfs + q_lower, overall_upper=cash_upper - in_mtfs + q_upper)


def status(workstream: Workstream, fy: int, months: int, delivered: float, forecast: float,
           confidence: str | None) -> str:
    """On track: the year's forecast reaches the profiled lower estimate for the year, and what is
    delivered to date is at least nine-tenths of the profiled lower target to date, with the
    owner's confidence not Low. At risk: not on track, but the forecast is within a fifth of the
    year's lower target. Off track: anything else."""
    year_target = profiled_target(workstream, fy)[0]
    to_date = profiled_target(workstream, fy, months)[0]
    if forecast >= year_target and delivered >= DELIVERED_TOLERANCE * to_date and confidence != "Low":
        return ON_TRACK
    if forecast >= AT_RISK_SHARE * year_target:
        return AT_RISK
    return OFF_TRACK


def weighted_forecast(delivered: float, forecast: float, confidence: str | None) -> float:
    """What is delivered, plus the rest of the year's forecast weighted by the owner's confidence
    (High 90%, Medium 60%, Low 30%; none given counts as Low)."""
    weight = CONFIDENCE_WEIGHTS.get(confidence or "Low", CONFIDENCE_WEIGHTS["Low"])
    return delivered + max(forecast - delivered, 0.0) * weight


def guarantee_words(recurrent: float, threshold: float | None, what: str) -> str:
    """The plan's guarantee test in words: is the recurrent benefit above the threshold?"""
    if threshold is None:
        return "The plan gives no guarantee threshold."
    verdict = "above" if recurrent > threshold else "not above"
    return (f"{what}: £{recurrent:,.0f} a year, {verdict} the guarantee threshold of "
            f"£{threshold:,.0f}.")
