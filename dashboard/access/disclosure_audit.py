"""Rule 7 of the public figures: an audit of the whole protected table against working out by sums.

Rules 2-6 look at one figure, or one KPI and period, at a time. A reader can also use every sum the
table obeys at once: the programme is the sum of its districts, a year the sum of its quarters and
a quarter the sum of its months. Each count behind the figures (one per base, area and period) is
known to lie in a range: exact for the programme, the counts that round to the one shown (narrowed
by inverting the rates shown on it) for a district, anything for a hidden one. Narrowing every range
by every sum until nothing moves can pin a hidden or rounded count to one value: three rounded months
that all rounded down beside a quarter that rounded up, say. The audit does exactly that, and hides
more until no range is pinned: a pinned shown count is hidden; a pinned hidden one takes with it
the smallest shown district count in each sum it belongs to.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import NamedTuple

import pandas as pd

from dashboard.figures.periods import Period, parse_period

Var = tuple[str, int, str]  # (base key, district id or PROGRAMME, period label)
PROGRAMME = -1
UNBOUNDED = 10**12


def _children(label: str) -> list[str]:
    period = parse_period(label)
    if period.grain == "year":
        return [Period(period.fy, "quarter", q).label for q in range(1, 5)]
    if period.grain == "quarter":
        first = 3 * period.index - 2
        return [Period(period.fy, "month", m).label for m in range(first, first + 3)]
    return []


def _sums(variables: set[Var], over_time: set[str]) -> list[list[Var]]:
    """Each sum as [total, *parts]: districts into the programme; months into quarters into
    years where every part is in the table (a count at the period's end, such as open cases, is
    its last quarter's and its last month's)."""
    sums: list[list[Var]] = []
    districts: dict[tuple[str, str], list[Var]] = defaultdict(list)
    for var in variables:
        if var[1] != PROGRAMME:
            districts[(var[0], var[2])].append(var)
    for (key, label), parts in districts.items():
        if (key, PROGRAMME, label) in variables:
            sums.append([(key, PROGRAMME, label), *sorted(parts)])
    for key, area, label in variables:
        children = _children(label)
        if key not in over_time:  # a count at the period's end: the last part's own
            children = children[-1:]
        parts = [(key, area, child) for child in children]
        if parts and all(p in variables for p in parts):
            sums.append([(key, area, label), *parts])
    return sums


def _narrow(low: dict[Var, int], high: dict[Var, int], sums: list[list[Var]]) -> None:
    """Interval arithmetic on every sum until nothing moves: each member lies between what the
    others leave of the total's range."""
    for _ in range(1000):
        moved = False
        for total, *parts in sums:
            parts_low = sum(low[p] for p in parts)
            parts_high = sum(high[p] for p in parts)
            new_low, new_high = max(low[total], parts_low), min(high[total], parts_high)
            if (new_low, new_high) != (low[total], high[total]):
                low[total], high[total], moved = new_low, new_high, True
            for p in parts:
                p_low = max(low[p], low[total] - (parts_high - high[p]))
                p_high = min(high[p], high[total] - (parts_low - low[p]))
                if (p_low, p_high) != (low[p], high[p]):
                    parts_low += p_low - low[p]
                    parts_high += p_high - high[p]
                    low[p], high[p], moved = p_low, p_high, True
        if not moved:
            return


class Rows(NamedTuple):
    """A KPI frame's columns as plain lists (``area`` PROGRAMME for the programme row): the rules
    visit each row several times, and pandas around each visit cost seconds a programme."""

    kpi: list[str]
    area: list[int]
    period: list[str]
    value: list[float]
    unit: list[str]
    base: list[float]

    @classmethod
    def of(cls, table: pd.DataFrame) -> Rows:
        return cls(table["kpi"].tolist(), table["district_id"].fillna(PROGRAMME).astype(int).tolist(),
                   table["period"].tolist(), table["value"].astype(float).tolist(),
                   table["unit"].tolist(), table["base"].astype(float).tolist())


Possible = Callable[[list[int], int], set[int]]


def settle(rows: Rows, suppressed: list[bool], keys: Mapping[str, str], over_time: set[str],
           possible: Possible) -> list[bool]:
    """``suppressed`` with as much more hidden as it takes for no count to be pinned.

    ``rows``: the protected frame before masking (values as shown, district bases rounded);
    ``keys``: KPI id -> the key of the count it rests on (KPIs without one are left out);
    ``over_time``: keys of counts that add up over months; ``possible(indexes, shown_base)``: every
    count that the shown rows at ``indexes`` (all on one count) allow."""
    suppressed = list(suppressed)
    members: dict[Var, list[int]] = defaultdict(list)
    for i, kpi in enumerate(rows.kpi):
        if kpi in keys:
            members[(keys[kpi], rows.area[i], rows.period[i])].append(i)
    sums = _sums(set(members), over_time)
    sums_of: dict[Var, list[list[Var]]] = defaultdict(list)
    for total_and_parts in sums:
        for var in total_and_parts:
            sums_of[var].append(total_and_parts)

    def hidden(var: Var) -> bool:
        return all(suppressed[i] for i in members[var])

    for _ in range(len(members) + 1):
        low, high, exact = _ranges(rows, suppressed, members, possible)
        _narrow(low, high, sums)
        pinned = [v for v in members if low[v] == high[v] and v not in exact]
        if not pinned:
            return suppressed
        # One at a time: what hides one pinned count often frees the others pinned through it.
        var = pinned[0]
        if hidden(var):
            chosen = [min(shown, key=lambda v: (high[v], v)) for shown in
                      ([v for v in total_and_parts if v != var and v[1] != PROGRAMME and not hidden(v)]
                       for total_and_parts in sums_of[var]) if shown]
        else:
            chosen = [var]
        if not chosen:  # nothing left to hide beside it (a programme of one district)
            return suppressed
        for v in chosen:
            for i in members[v]:
                suppressed[i] = True
    return suppressed


def _ranges(rows: Rows, suppressed: list[bool], members: Mapping[Var, list[int]],
            possible: Possible) -> tuple[dict[Var, int], dict[Var, int], set[Var]]:
    """What the shown table says of each count, before any sum is used."""
    low: dict[Var, int] = {}
    high: dict[Var, int] = {}
    exact: set[Var] = set()
    for var, indexes in members.items():
        shown = [i for i in indexes if not suppressed[i]]
        if not shown:
            low[var], high[var] = 0, UNBOUNDED
            continue
        base = rows.base[shown[0]]
        if var[1] == PROGRAMME or base == 0 or math.isnan(base):
            low[var] = high[var] = 0 if math.isnan(base) else int(base)
            exact.add(var)
            continue
        options = possible(shown, int(base))
        low[var], high[var] = (min(options), max(options)) if options else (0, UNBOUNDED)
    return low, high, exact
