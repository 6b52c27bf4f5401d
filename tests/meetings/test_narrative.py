"""Draft sentences, each worked out by hand from a small frame of ``kpi_history`` rows."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import spc
from dashboard.figures.periods import parse_period
from dashboard.meetings.narrative import Draft, draft_sentences, ordinal, spc_clause


def _rows(kpi: str, name: str, unit: str, good: str, district: str | None, last: str,
          values: list[float], target: float, rags: list[str]) -> pd.DataFrame:
    """History of one KPI and area ending at ``last``, one row per value (oldest first)."""
    end = parse_period(last)
    periods = [end.shift(n - len(values) + 1).label for n in range(len(values))]
    return pd.DataFrame({"kpi": kpi, "name": name, "unit": unit, "good": good, "period": periods,
                         "district": district, "value": values, "target": target, "rag": rags,
                         "base": 10.0})


# Average days, programme, eleven quarters. Mean = 419.1 / 11 = 38.1. Moving ranges 2, 2, 2, 10,
# 2, 2, 2, 1, 1.2, 8.3: mean 3.25, so limits 38.1 ± 2.66 × 3.25 = 29.455 to 46.745. The last
# seven points are below 38.1 (a run of 7) and 27.9 is below 29.455 (outside the limits); lower is
# better, so a special cause improving. Target 36 with 5% tolerance 1.8: 36.2 is amber, 27.9 green.
DAYS = _rows("avg_days_to_complete", "Average days to complete a case", "days", "lower", None,
             "2019/20-Q4", [44, 46, 44, 46, 36, 34, 36, 34, 35, 36.2, 27.9], 36.0,
             ["red"] * 4 + ["green", "green", "green", "green", "green", "amber", "green"])
# Beta, two quarters of % within 20 weeks against 90: red both times; mean 77.5, limits
# 77.5 ± 13.3 hold both points, so common cause. It is drafted because it is off target.
BETA = _rows("dfg_within_20_weeks", "DFGs completed within 20 weeks", "%", "higher", "Beta",
             "2019/20-Q4", [80.0, 75.0], 90.0, ["red", "red"])
# The programme's % within 20 weeks: green both times, common cause, so nothing to say.
QUIET = _rows("dfg_within_20_weeks", "DFGs completed within 20 weeks", "%", "higher", None,
              "2019/20-Q4", [95.0, 96.0], 90.0, ["green", "green"])


def test_sentences_worked_by_hand() -> None:
    drafts = draft_sentences(pd.concat([BETA, QUIET, DAYS], ignore_index=True), "2019/20-Q4")
    assert drafts == [
        Draft("avg_days_to_complete", None, "2019/20-Q4",
              "Average days to complete a case improved from 36.2 days to 27.9 days against a target "
              "of 36.0 days: on target, changed from close to target; below the lower process limit; "
              "the seventh quarter in a row below the average, a special cause improving."),
        Draft("dfg_within_20_weeks", "Beta", "2019/20-Q4",
              "Beta: DFGs completed within 20 weeks worsened from 80.0% to 75.0% against a target of "
              "90.0%: off target."),
    ]


def test_an_earlier_period_is_drafted_from_the_figures_up_to_it() -> None:
    # At Q3 the series ends 35, 36.2: mean of the first ten 38.22, no run of 7 yet (six below);
    # 36.2 is amber (36.2 - 36 = 0.2, within 1.8) and was green, so it is drafted for both reasons.
    drafts = draft_sentences(DAYS, "2019/20-Q3")
    assert [d.text for d in drafts] == [
        "Average days to complete a case worsened from 35.0 days to 36.2 days against a target of "
        "36.0 days: close to target, changed from on target."]


def test_unchanged_and_no_previous_period() -> None:
    flat = _rows("dfg_within_20_weeks", "DFGs completed within 20 weeks", "%", "higher", None,
                 "2019/20-Q2", [70.0, 70.0], 90.0, ["red", "red"])
    assert draft_sentences(flat, "2019/20-Q2")[0].text == (
        "DFGs completed within 20 weeks was unchanged at 70.0% against a target of 90.0%: off target.")
    assert draft_sentences(flat, "2019/20-Q1")[0].text == (
        "DFGs completed within 20 weeks was 70.0% against a target of 90.0%: off target.")


def test_trend_clause_worked_by_hand() -> None:
    # 1..7: mean 4, every moving range 1, limits 1.34 to 6.66; 7 is above the upper limit, the
    # seventh rise in a row (6 and 7 are also beyond 4 + 2/3 × 2.66 = 5.77, which being outside
    # the limits already says, so that rule is not repeated).
    result = spc.xmr([1, 2, 3, 4, 5, 6, 7], good="higher")
    assert spc_clause(result, "month") == (
        "above the upper process limit; rising for the seventh month in a row, a special cause "
        "improving")
    assert spc_clause(spc.xmr([5, 6, 5, 6], good="higher"), "month") is None


def test_two_of_three_clause_worked_by_hand() -> None:
    # 0, 1 four times, then 2.8, 2.8: mean 9.6 / 10 = 0.96; moving ranges seven 1s, 1.8 and 0:
    # mean 0.978, upper limit 0.96 + 2.601 = 3.561; two-thirds of the way 0.96 + 1.734 = 2.694.
    # Both 2.8s lie between the two, sides alternate (no run) and nothing rises seven times.
    result = spc.xmr([0, 1, 0, 1, 0, 1, 0, 1, 2.8, 2.8], good="higher")
    assert result.reasons[-1] == ("2 of 3 near a limit",)
    assert spc_clause(result, "month") == (
        "two of the last three months close to the upper process limit, a special cause improving")


def test_ordinals() -> None:
    assert [ordinal(n) for n in (1, 7, 20, 21, 22, 23, 111)] == [
        "first", "seventh", "twentieth", "21st", "22nd", "23rd", "111th"]
