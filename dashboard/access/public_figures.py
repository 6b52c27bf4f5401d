"""Public figures: the disclosure-control rules every public output passes through, in one place.

Residents and the published scrutiny pack see the same KPI figures as the board, passed through
``protect`` and ``select`` (``dashboard.queries.published`` is the one caller). Why each rule exists:

0. **One protected table, and views only select from it.** The table is the programme row and every
   district for every KPI and period, protected as a whole; a view picks the programme, one
   district or every district, and nothing else. The public never sees a combined row for a group
   of districts: "every district but Rugby" subtracted from the exact programme gave Rugby back.
   Every value is at its display precision (``format.DIGITS``) in every output, downloads and JSON
   included: 25.9444444444 days is 467/18 and gives back the 18 cases behind a rounded 20.
1. **Whole-programme figures are exact.** A programme-wide figure rests on many people and is
   already in published board papers; rounding it would only make the two disagree.
2. **A district's count from 1 to min_count - 1 is suppressed** (``*``): "2 grants completed in
   Beta this quarter" can point at a neighbour. This covers count KPIs and the ``base`` column of
   every KPI (the cases, grants or responses behind the figure). **Other counts are rounded** to the
   nearest ``round_to`` (0 stays 0: that nobody was counted discloses nobody), so that subtracting
   districts from the exact programme figure cannot pin a small number down exactly.
3. **A district's rate or mean resting on fewer than min_count cases, grants or responses is
   suppressed**: the average of one case is that person's own figure.
4. **Complementary suppression.** Where exactly one district of a (KPI, period) is suppressed, the
   total minus the other districts would give it back, so the other district with the smallest
   base is suppressed too (one with none will do: that it is hidden does not say it was zero).
   Whole rows go (value and base), because the base column has a total as well. Only in a
   programme of one district, where the total is the district, does the total go.
5. **Spend against allocation is withheld for districts** (unless nothing was spent): its base is
   the allocation in pounds, not a count of grants, so rule 3 cannot tell that a district's spend
   rests on one grant, and spend x the published allocation would give that family's grant.
6. **No rounding undone by inversion.** A mean of whole days or a percentage of a count, shown to
   one decimal place beside a rounded base, can fit only one of the bases that round to it
   (11.1% of "20" grants can only be 2 of 18); so can several KPIs on the same base taken
   together. A district's figures on that base are then suppressed for the period.

A suppressed figure's RAG is grey; every shown figure's RAG is worked out again from the value
shown, so the status never says more than the figure. What the rules do not cover is listed in
docs/kpi-definitions.md ("Public figures"): chiefly, a percentage can say how many of the grants
behind it were withdrawn (1 in about 10).
"""

from __future__ import annotations

import math
import os
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.access.disclosure_audit import PROGRAMME, Rows, settle
from dashboard.figures.format import DIGITS
from dashboard.figures.rag import Target, rag_status

MIN_COUNT_VARIABLE = "DASHBOARD_PUBLIC_MIN_COUNT"
ROUND_TO_VARIABLE = "DASHBOARD_PUBLIC_ROUND_TO"
DEFAULT_MIN_COUNT = 8
DEFAULT_ROUND_TO = 5
# KPIs whose base is not a count of people, so rules 2 and 3 cannot protect them (rule 5).
WITHHELD_BELOW_PROGRAMME = frozenset({"dfg_spend_vs_allocation"})


class PublicFiguresConfigError(ValueError):
    """A public-figures threshold in the environment is not a positive whole number."""


@dataclass(frozen=True)
class Rules:
    """``min_count``: counts and bases below it are suppressed; ``round_to``: other counts below
    programme level are rounded to a multiple of it."""

    min_count: int = DEFAULT_MIN_COUNT
    round_to: int = DEFAULT_ROUND_TO


def _positive_whole(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise PublicFiguresConfigError(
            f"{name} must be a positive whole number (default {default}), not {raw!r}."
        )
    return int(raw)


def rules_from_environment(environ: Mapping[str, str] | None = None) -> Rules:
    """The thresholds, from ``DASHBOARD_PUBLIC_MIN_COUNT`` and ``DASHBOARD_PUBLIC_ROUND_TO``
    (unset or blank: 8 and 5). The only place they are read, so every output uses the same."""
    environ = os.environ if environ is None else environ
    return Rules(_positive_whole(environ, MIN_COUNT_VARIABLE, DEFAULT_MIN_COUNT),
                 _positive_whole(environ, ROUND_TO_VARIABLE, DEFAULT_ROUND_TO))


def footnote(rules: Rules | None = None) -> str:
    """The one sentence public pages print under their figures, with the thresholds in force."""
    rules = rules or rules_from_environment()
    rounding = f"counts are rounded to the nearest {rules.round_to} and " if rules.round_to > 1 else ""
    small = "1" if rules.min_count == 2 else f"1 to {rules.min_count - 1}"
    hidden = (f"counts of {small}, averages or rates based on fewer than {rules.min_count} cases, "
              "grants or responses, and " if rules.min_count > 1 else "")
    return ("To protect people's privacy, for a district " + rounding + "* replaces " + hidden
            + "any figure that would let a hidden one or an exact count be worked out; averages "
            "and rates are shown to their printed precision only, and whole-programme figures are "
            "exact, so district figures may not add up to them.")


def suppressed_mask(table: pd.DataFrame) -> pd.Series:
    """The ``suppressed`` column of a protected frame; all False for a frame that was not."""
    if "suppressed" in table:
        return table["suppressed"].astype(bool)
    return pd.Series(False, index=table.index)


def _round(values: pd.Series, step: int) -> pd.Series:
    """Nearest multiple of ``step``, halves up (Python's round() would send 2.5 to 2)."""
    return np.floor(values / step + 0.5) * step


def _to_digits(values: pd.Series, digits: pd.Series) -> pd.Series:
    """Each value at its display precision, halves up: the only precision the public gets, so a
    download or JSON record says no more than the page (25.9444 would give 467/18 back)."""
    factor = np.power(10.0, digits.astype(float))
    return np.floor(values * factor + 0.5 + 1e-9) / factor


@dataclass(frozen=True)
class Basis:
    """How the published figures are made, as far as a reader can use it (from the KPI registry).

    ``counts``: KPI id -> the key of the count it rests on (the cases, grants or answers); KPIs with
    the same key share one count, so a reader can combine them. ``scales``: KPIs published as
    ``scale * whole number / count`` (1 for a mean of whole days, 100 for a percentage of a count,
    20 for a score of 1-5 as % of the best), which can be inverted. ``over_time``: keys of counts
    that add up over months (not a stock such as open cases)."""

    counts: Mapping[str, str]
    scales: Mapping[str, float]
    over_time: frozenset[str]


def _candidates(value: float, digits: int, scale: float, bases: range) -> set[int]:
    """The bases in ``bases`` for which some whole number ``w`` gives ``scale * w / n`` shown as
    ``value``: what a reader who inverts the published figure can still believe the base is."""
    half = 0.5 * 10.0 ** -digits
    found = set()
    for n in bases:
        low = math.floor((value - half) * n / scale) - 1
        high = math.ceil((value + half) * n / scale) + 1
        for whole in range(max(low, 0), high + 1):
            shown = math.floor(scale * whole / n * 10 ** digits + 0.5 + 1e-9) / 10 ** digits
            if abs(shown - value) < 1e-9:
                found.add(n)
                break
    return found


def _base_window(shown_base: float, rules: Rules) -> range:
    """Every true base that the rules would show as ``shown_base`` (rounded, not suppressed)."""
    step = rules.round_to
    low = max(rules.min_count, math.ceil(shown_base - step / 2))
    high = math.ceil(shown_base + step / 2) - 1  # halves go up, so base + step/2 shows higher
    return range(low, high + 1)


def _possible_bases(rows: Rows, indexes: list[int], shown_base: int, rules: Rules,
                    basis: Basis) -> set[int]:
    """Every count that rounds to ``shown_base`` and fits every rate shown on it at ``indexes``."""
    window = _base_window(shown_base, rules)
    possible = set(window)
    for i in indexes:
        kpi, value = rows.kpi[i], rows.value[i]
        if kpi in basis.scales and not math.isnan(value):
            possible &= _candidates(value, DIGITS.get(rows.unit[i], 0), basis.scales[kpi], window)
    return possible


def _invertible(rows: Rows, suppressed: list[bool], basis: Basis, rules: Rules) -> list[bool]:
    """Rule 6: district rows whose shown values, taken together with the other KPIs on the same
    count in the same area and period, leave only one possible count: its rounding is undone."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for i, kpi in enumerate(rows.kpi):
        if (rows.area[i] != PROGRAMME and not suppressed[i] and kpi in basis.scales
                and not math.isnan(rows.value[i]) and rows.base[i] > 0):
            groups[(basis.counts[kpi], rows.area[i], rows.period[i])].append(i)
    hidden = list(suppressed)
    for indexes in groups.values():
        base = int(rows.base[indexes[0]])
        if len(_possible_bases(rows, indexes, base, rules, basis)) <= 1 < len(_base_window(base, rules)):
            for i in indexes:
                hidden[i] = True
    return hidden


def _complementary(rows: Rows, suppressed: list[bool]) -> list[bool]:
    """Rule 4, per (KPI, period): one hidden district beside the shown total hides one more
    district, the one with the smallest base (a district with none is a fine complement: that it
    is hidden tells nobody it was zero). Only a programme of one district loses its total."""
    suppressed = list(suppressed)
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, key in enumerate(zip(rows.kpi, rows.period, strict=True)):
        groups[key].append(i)
    for indexes in groups.values():
        districts = [i for i in indexes if rows.area[i] != PROGRAMME]
        totals = [i for i in indexes if rows.area[i] == PROGRAMME]
        if sum(suppressed[i] for i in districts) != 1 or not totals or all(suppressed[i] for i in totals):
            continue
        candidates = [i for i in districts if not suppressed[i]]
        if not candidates:
            for i in totals:
                suppressed[i] = True
            continue
        def size(i: int) -> tuple[float, int]:
            return (0.0 if math.isnan(rows.base[i]) else rows.base[i], rows.area[i])
        suppressed[min(candidates, key=size)] = True
    return suppressed


def _shown_rag(table: pd.DataFrame, hidden: list[bool]) -> list[str]:
    """RAG from the value shown, so the status does not hint at the exact or unrounded one."""
    rag = table["rag"].tolist()
    columns = zip(table["value"].tolist(), table["target"].tolist(), table["amber_tolerance"].tolist(),
                  table["good"].tolist(), table["base"].tolist(), strict=True)
    for i, (value, target, tolerance, good, base) in enumerate(columns):
        if not hidden[i] and not math.isnan(target):
            rag[i] = rag_status(value, Target(float(target), float(tolerance)), good, base)
    return rag


def protect(table: pd.DataFrame, rules: Rules | None = None,
            basis: Basis | None = None) -> pd.DataFrame:
    """The whole programme's table (columns as ``KPI_COLUMNS``: the programme row and every
    district, for every KPI the public can see) as the public may see it, plus a boolean
    ``suppressed`` column: suppressed rows have value and base NaN and rag grey; every value is at
    its display precision; below programme level counts and bases are rounded. ``basis``: how the
    figures are made, for rules 6 and 7 (without it, only rules 0-5 apply)."""
    rules = rules or rules_from_environment()
    out = table.copy() if table.index.is_unique else table.reset_index(drop=True)
    is_district = out["district_id"].notna()
    is_count = out["unit"] == "count"
    out["value"] = _to_digits(out["value"].astype(float), out["unit"].map(DIGITS).fillna(0))
    small_base = (out["base"] > 0) & (out["base"] < rules.min_count)
    small_count = is_count & (out["value"] > 0) & (out["value"] < rules.min_count)
    withheld = out["kpi"].isin(WITHHELD_BELOW_PROGRAMME) & (out["value"] > 0)
    primary = is_district & (small_base | small_count | withheld)
    out["base"] = out["base"].mask(is_district, _round(out["base"], rules.round_to))
    out["value"] = out["value"].mask(is_district & is_count, _round(out["value"], rules.round_to))
    rows = Rows.of(out)
    hidden = primary.tolist()
    if basis is not None:
        hidden = _invertible(rows, hidden, basis, rules)
    hidden = _complementary(rows, hidden)
    if basis is not None:
        hidden = settle(rows, hidden, basis.counts, set(basis.over_time),
                        lambda indexes, base: _possible_bases(rows, indexes, base, rules, basis))
    suppressed = pd.Series(hidden, index=out.index)
    out["rag"] = _shown_rag(out, hidden)
    out["value"] = out["value"].mask(suppressed).astype(float)
    out["base"] = out["base"].mask(suppressed).astype(float)
    out["rag"] = out["rag"].mask(suppressed, "grey")
    out["suppressed"] = suppressed.astype(bool)
    return out


def select(protected: pd.DataFrame, kpi_ids: Sequence[str] | None, district_ids: Sequence[int] | None,
           by_district: bool) -> pd.DataFrame:
    """A public view is a selection of rows of the protected programme table and nothing else,
    so no two views can be combined to learn more than the table itself shows.

    ``district_ids`` None: the programme; one district: its row stands as the view's combined row;
    several: no combined row (every district but one, less the programme, would give the one
    back), so the combined row is withheld. ``by_district`` adds the chosen districts' own rows."""
    table = protected if kpi_ids is None else protected[protected["kpi"].isin(list(kpi_ids))]
    is_district = table["district_id"].notna()
    combined = table[~is_district].copy()  # the programme rows, whose places the view keeps
    chosen = is_district if district_ids is None else table["district_id"].isin(list(district_ids))
    if district_ids is not None and len(district_ids) == 1:
        own = table[chosen].set_index(["kpi", "period"])
        keys = pd.MultiIndex.from_frame(combined[["kpi", "period"]])
        for column in ("value", "target", "amber_tolerance", "rag", "base", "suppressed"):
            combined[column] = own.loc[keys, column].to_numpy()
    elif district_ids is not None:
        combined = combined.assign(value=math.nan, base=math.nan, rag="grey", suppressed=True)
    out = pd.concat([combined, table[chosen]]).sort_index() if by_district else combined
    return out.reset_index(drop=True)
