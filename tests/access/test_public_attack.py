"""An attacker's test of the public figures: everything the public can see for every period of both
sample programmes and the small Testshire fixture, combined every way we know, gives back no
hidden figure.

The attacker reads the whole protected table (every view is a selection of it, which the last test
checks) for every month, quarter and year, and knows the rules. For each count a figure rests on
(the cases, grants or responses behind it: one unknown per KPI base, area and period) they start
from what is shown: the programme's exact count, a district's rounded count (every count of
``min_count`` or more that rounds to it), narrowed by **rate inversion** (only the counts for which
some whole number of days, grants or points gives every published figure on that base exactly as
printed), or nothing at all for a hidden one. Then they apply **differencing** until nothing moves:
the programme is the sum of its districts, a year the sum of its quarters and a quarter the sum of
its months. A hidden count or a rounded count pinned to one value is a figure given back.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.access.public_figures import Rules, rules_from_environment
from dashboard.figures.format import DIGITS
from dashboard.figures.periods import Period, period_of_ym
from dashboard.queries.kpi_values import compute_kpis
from dashboard.queries.programmes import month_range
from dashboard.queries.published import public_kpis
from dashboard.queries.registry import KPI_BY_ID
from tests.pages.conftest import sample_engine, sample_url  # noqa: F401 - fixtures used below
from tests.queries.conftest import testshire  # noqa: F401 - fixture used below

# A stock at the period's end, not a sum over its months: a year's is its last month's.
NOT_OVER_TIME = {"open_cases"}
# Not counts of people (pounds of allocation, finance lines): nothing to give back by counting.
NOT_COUNTS = {"dfg_spend_vs_allocation", "budget_variance"}
Key = tuple[str, int, str]  # (base, district id or -1 for the programme, period label)


def _base(kpi_id: str) -> str:
    return KPI_BY_ID[kpi_id].base_key


def _printed(exact: Decimal, digits: int) -> Decimal:
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _fits(value: float, unit: str, kpi_id: str, n: int) -> bool:
    """Some whole numerator over ``n`` prints as ``value`` (exact decimal arithmetic)."""
    kpi = KPI_BY_ID[kpi_id]
    if kpi.kind != "ratio" or not kpi.denominator or unit == "£":
        return True  # a count, or pounds and pence: nothing to invert
    digits = DIGITS[unit]
    shown, scale = Decimal(str(value)), Decimal(str(kpi.scale))
    middle = int(Decimal(value) * n / Decimal(kpi.scale))
    return any(_printed(scale * w / n, digits) == shown for w in range(max(middle - 2, 0), middle + 3))


def _periods(engine: Engine, programme: str) -> list[Period]:
    """Every year, quarter and month of every financial year the programme has data in."""
    first, last = month_range(engine, programme, date.today())
    years = range(period_of_ym(first, "year").fy, period_of_ym(last, "year").fy + 1)
    return ([Period(fy, "year") for fy in years]
            + [Period(fy, "quarter", q) for fy in years for q in range(1, 5)]
            + [Period(fy, "month", m) for fy in years for m in range(1, 13)])


def _children(period: Period) -> list[Period]:
    if period.grain == "year":
        return [Period(period.fy, "quarter", q) for q in range(1, 5)]
    if period.grain == "quarter":
        return [Period(period.fy, "month", m) for m in range(3 * period.index - 2, 3 * period.index + 1)]
    return []


class Attacker:
    """What the public table says about each count, tightened by sums until nothing moves."""

    def __init__(self, public: pd.DataFrame, rules: Rules) -> None:
        self.low: dict[Key, int] = {}
        self.high: dict[Key, int] = {}
        self.allowed: dict[Key, set[int]] = {}
        self.exact_shown: set[Key] = set()
        shown = public[~public["suppressed"] & ~public["kpi"].isin(NOT_COUNTS)]
        ceiling = int(public.loc[public["district_id"].isna(), "base"].fillna(0).sum()) + 1
        self.ceiling = ceiling
        for row in shown.itertuples():
            key = (_base(row.kpi), -1 if pd.isna(row.district_id) else int(row.district_id),
                   row.period)
            base = int(row.base)
            if key[1] == -1 or base == 0:
                options = {base}
            else:
                step = rules.round_to
                options = {n for n in range(max(rules.min_count, base - step), base + step + 1)
                           if math.floor(n / step + 0.5) * step == base}
                if not math.isnan(row.value):
                    options = {n for n in options if _fits(row.value, row.unit, row.kpi, n)}
                if len(options) == 1:
                    self.exact_shown.add(key)
            self.allowed[key] = self.allowed.get(key, options) & options
        for key, options in self.allowed.items():
            self.low[key], self.high[key] = min(options), max(options)

    def bounds(self, key: Key) -> tuple[int, int]:
        return self.low.get(key, 0), self.high.get(key, self.ceiling)

    def tighten(self, parent: Key, children: list[Key]) -> bool:
        """parent = sum(children): narrow each from the others; True if anything moved."""
        moved = False
        members = [parent, *children]
        for _ in range(2):
            lows = [self.bounds(k)[0] for k in members]
            highs = [self.bounds(k)[1] for k in members]
            new = {parent: (max(lows[0], sum(lows[1:])), min(highs[0], sum(highs[1:])))}
            for i, child in enumerate(children, start=1):
                others_low, others_high = sum(lows[1:]) - lows[i], sum(highs[1:]) - highs[i]
                new[child] = (max(lows[i], lows[0] - others_high), min(highs[i], highs[0] - others_low))
            for key, (low, high) in new.items():
                if (low, high) != self.bounds(key):
                    self.low[key], self.high[key] = low, high
                    moved = True
        return moved


def attack(public: pd.DataFrame, truth: pd.DataFrame, periods: list[Period],
           rules: Rules) -> list[str]:
    """Every hidden or rounded count the attacker pins down, as sentences (none expected)."""
    attacker = Attacker(public, rules)
    districts = sorted({int(d) for d in truth["district_id"].dropna()})
    bases = {_base(k) for k in truth["kpi"].unique() if k not in NOT_COUNTS}
    sums: list[tuple[Key, list[Key]]] = []
    for base in bases:
        for period in periods:
            sums.append(((base, -1, period.label), [(base, d, period.label) for d in districts]))
            children = _children(period)
            if base in {_base(k) for k in NOT_OVER_TIME}:
                children = children[-1:]  # open at the end of a year is open at the end of March
            for area in (-1, *districts) if children else ():
                sums.append(((base, area, period.label),
                             [(base, area, child.label) for child in children]))
    for _ in range(50):
        if not any([attacker.tighten(parent, children) for parent, children in sums]):
            break
    true_base: dict[Key, int] = {}
    for row in truth[~truth["kpi"].isin(NOT_COUNTS)].itertuples():
        area = -1 if pd.isna(row.district_id) else int(row.district_id)
        true_base[(_base(row.kpi), area, row.period)] = int(row.base)
    found = []
    for key, truth_value in true_base.items():
        low, high = attacker.bounds(key)
        assert low <= truth_value <= high, (key, low, high, truth_value)  # the attacker is sound
        published_exactly = key[1] == -1 or attacker.allowed.get(key) == {0} or key in attacker.exact_shown
        if low == high and not published_exactly:
            found.append(f"{key[0]} of district {key[1]} in {key[2]} is {low}")
    return found


def _tables(engine: Engine, programme: str) -> tuple[pd.DataFrame, pd.DataFrame, list[Period]]:
    periods = _periods(engine, programme)
    grains = [[p for p in periods if p.grain == grain] for grain in ("year", "quarter", "month")]
    public = pd.concat([public_kpis(engine, programme, g, by_district=True) for g in grains])
    truth = pd.concat([compute_kpis(engine, programme, g, by_district=True) for g in grains])
    return public, truth, periods


@pytest.mark.parametrize("programme", ["Lightbulb", "HEART"])
def test_the_sample_programmes_give_nothing_back(sample_engine: Engine, programme: str) -> None:  # noqa: F811
    public, truth, periods = _tables(sample_engine, programme)
    assert public["suppressed"].any(), "the sample should have small district figures to protect"
    assert attack(public, truth, periods, rules_from_environment()) == []


def test_the_small_districts_fixture_gives_nothing_back(testshire: Engine) -> None:  # noqa: F811
    public, truth, periods = _tables(testshire, "Testshire")
    assert attack(public, truth, periods, rules_from_environment()) == []


def test_the_attacker_has_teeth(testshire: Engine) -> None:  # noqa: F811
    # Without the rules (every district figure exact), each district's count comes straight back.
    public, truth, periods = _tables(testshire, "Testshire")
    exact = truth.assign(suppressed=False, value=truth["value"].where(truth["unit"] == "count"))
    assert attack(exact, truth, periods, Rules(min_count=1, round_to=1)) == []  # all published
    # A district hidden alone beside exact figures is given back by subtraction.
    one_hidden = exact.copy()
    first = one_hidden[(one_hidden["kpi"] == "cases_completed") & one_hidden["district_id"].notna()
                       & (one_hidden["base"] > 0)].iloc[0]
    same_count = (one_hidden["kpi"].map(_base) == _base("cases_completed")) \
        & (one_hidden["district_id"] == first["district_id"]) & (one_hidden["period"] == first["period"])
    one_hidden.loc[same_count, ["suppressed", "value", "base"]] = [True, math.nan, math.nan]
    found = attack(one_hidden, truth, periods, Rules(min_count=1, round_to=1))
    assert found == [f"summary_cases.completed of district {int(first['district_id'])} in "
                     f"{first['period']} is {int(first['base'])}"]


def test_every_value_is_printed_precision(sample_engine: Engine) -> None:  # noqa: F811
    public, _truth, _periods = _tables(sample_engine, "HEART")
    for row in public[public["value"].notna()].itertuples():
        digits = DIGITS[row.unit]
        assert Decimal(str(row.value)) == _printed(Decimal(str(row.value)), digits), row


def test_every_view_is_a_selection_of_the_protected_table(sample_engine: Engine) -> None:  # noqa: F811
    period = [Period(2019, "quarter", 1)]
    whole = public_kpis(sample_engine, "Lightbulb", period, by_district=True)
    rows = defaultdict(list)
    for row in whole.to_dict("records"):
        rows[(row["kpi"], row["district"])].append(row)
    for district in whole["district"].dropna().unique():
        view = public_kpis(sample_engine, "Lightbulb", period, ["avg_days_to_complete"], [district])
        (mine,) = rows[("avg_days_to_complete", district)]
        assert bool(view["suppressed"].iloc[0]) is bool(mine["suppressed"])
        assert view["value"].iloc[0] == mine["value"] or math.isnan(mine["value"])
