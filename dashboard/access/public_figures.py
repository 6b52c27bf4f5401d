"""Public figures: the disclosure-control rules every public output passes through, in one place.

Residents and the published scrutiny pack see the same KPI frames as the board
(``dashboard.queries.kpi_values.compute_kpis``), passed through ``protect``. Why each rule exists:

1. **Whole-programme figures are exact.** A programme-wide figure rests on many people and is
   already in published board papers; rounding it would only make the two disagree.
2. **Below programme level** (a district row, or the combined row of a view narrowed to some
   districts) **a count from 1 to min_count - 1 is suppressed** (``*``): "2 grants completed in
   Beta this quarter" can point at a neighbour. This covers count KPIs and the ``base`` column of
   every KPI (the cases, grants or responses behind the figure). **Other counts are rounded** to the
   nearest ``round_to`` (0 stays 0: that nobody was counted discloses nobody), so that comparing two
   views (two district selections, say) cannot pin a small number down exactly.
3. **A rate or mean resting on fewer than min_count cases, grants or responses is suppressed**:
   the average of one case is that person's own figure.
4. **Complementary suppression.** Where exactly one district of a (KPI, period) group is
   suppressed beside a shown total, the total minus the other districts gives it back, so the
   unsuppressed district with the smallest non-zero base (least information lost) is suppressed too,
   or, if there is none, the total. Whole rows go (value and base), because the base column has a
   total as well and would give the count back the same way. A narrowed view's combined row is the
   total of the districts shown, so the rule applies to it too; with one district shown the
   combined row equals that district and is suppressed with it. A hidden total must be hidden on
   every page, or another page's exact figure gives it back: ``public_view`` protects a frame
   computed with its district rows even where only the total is shown.
5. **Spend against allocation is withheld below programme level** (unless nothing was spent): its
   base is the allocation in pounds, not a count of grants, so rule 3 cannot tell that a district's
   spend rests on one grant, and spend x the published allocation would give that family's grant.

A suppressed figure's RAG is grey; a rounded count's RAG is worked out again from the rounded
value, so the status never says more than the figure shown. What the rules do not cover is listed
in docs/kpi-definitions.md ("Public figures"): chiefly, an exact rate can imply a small numerator
(1 withdrawal in 9 grants), and a hidden programme total of a quarter can follow from the year's.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.queries.targets import Target, rag_status

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
    return ("To protect people's privacy, for a district or a group of districts " + rounding
            + "* replaces " + hidden + "any figure that would let a hidden one be worked out by "
            "subtraction; whole-programme figures are exact, so district figures may not add up "
            "to them.")


def public_view(table: pd.DataFrame, whole_programme: bool, by_district: bool,
                rules: Rules | None = None) -> pd.DataFrame:
    """``protect`` on a frame computed *with* its district rows, keeping them only if
    ``by_district``. Every public output goes through this, so a total hidden because it would give
    a district away (rule 4) is hidden on every page, not only beside the districts."""
    out = protect(table, whole_programme, rules)
    return out if by_district else out[out["district_id"].isna()].reset_index(drop=True)


def suppressed_mask(table: pd.DataFrame) -> pd.Series:
    """The ``suppressed`` column of a protected frame; all False for a frame that was not."""
    if "suppressed" in table:
        return table["suppressed"].astype(bool)
    return pd.Series(False, index=table.index)


def _round(values: pd.Series, step: int) -> pd.Series:
    """Nearest multiple of ``step``, halves up (Python's round() would send 2.5 to 2)."""
    return np.floor(values / step + 0.5) * step


def _complementary(table: pd.DataFrame, suppressed: pd.Series, is_district: pd.Series) -> pd.Series:
    """Rule 4, per (KPI, period): one hidden district beside a shown total hides one more cell."""
    suppressed = suppressed.copy()
    for _key, group in table.groupby(["kpi", "period"], sort=False):
        districts = group[is_district[group.index]]
        totals = group.index[~is_district[group.index]]
        hidden = suppressed[districts.index]
        if hidden.sum() != 1 or len(totals) == 0 or suppressed[totals].all():
            continue
        candidates = districts[~hidden & (districts["base"] > 0)]
        if candidates.empty:
            suppressed[totals] = True
        else:
            suppressed[candidates.sort_values(["base", "district_id"]).index[0]] = True
    return suppressed


def _shown_rag(table: pd.DataFrame, rounded_counts: pd.Series) -> pd.Series:
    """RAG of a rounded count from the rounded value, so the status does not hint at the exact one."""
    rag = table["rag"].copy()
    for i in table.index[rounded_counts & table["target"].notna()]:
        row = table.loc[i]
        target = Target(float(row["target"]), float(row["amber_tolerance"]))
        rag[i] = rag_status(row["value"], target, row["good"], row["base"])
    return rag


def protect(table: pd.DataFrame, whole_programme: bool, rules: Rules | None = None) -> pd.DataFrame:
    """``table`` (columns as ``KPI_COLUMNS``) as the public may see it, plus a boolean
    ``suppressed`` column: suppressed rows have value and base NaN and rag grey; below programme
    level, counts and bases are rounded. ``whole_programme``: the view has no district filter, so
    the row without a district is the programme total and is shown exactly."""
    rules = rules or rules_from_environment()
    out = table.copy() if table.index.is_unique else table.reset_index(drop=True)
    is_district = out["district_id"].notna()
    below = is_district | (not whole_programme)
    is_count = out["unit"] == "count"
    small_base = (out["base"] > 0) & (out["base"] < rules.min_count)
    small_count = is_count & (out["value"] > 0) & (out["value"] < rules.min_count)
    withheld = out["kpi"].isin(WITHHELD_BELOW_PROGRAMME) & (out["value"] > 0)
    suppressed = _complementary(out, below & (small_base | small_count | withheld), is_district)
    rounded = below & ~suppressed
    out["value"] = out["value"].mask(rounded & is_count, _round(out["value"], rules.round_to))
    out["base"] = out["base"].mask(rounded, _round(out["base"], rules.round_to))
    out["rag"] = _shown_rag(out, rounded & is_count)
    out["value"] = out["value"].mask(suppressed).astype(float)
    out["base"] = out["base"].mask(suppressed).astype(float)
    out["rag"] = out["rag"].mask(suppressed, "grey")
    out["suppressed"] = suppressed.astype(bool)
    return out
