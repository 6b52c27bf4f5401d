"""XmR rules on worked examples (each worked by hand in the comments)."""

from __future__ import annotations

import pytest

from dashboard.spc import describe, xmr


def test_limits_from_the_mean_moving_range() -> None:
    # mean (10+12+11+13+12)/5 = 11.6; moving ranges 2,1,2,1 -> mean 1.5; 2.66 * 1.5 = 3.99
    result = xmr([10, 12, 11, 13, 12])
    assert result.mean == pytest.approx(11.6)
    assert result.mean_moving_range == pytest.approx(1.5)
    assert (result.upper, result.lower) == (pytest.approx(15.59), pytest.approx(7.61))
    assert not any(result.special)
    assert result.variation == "common cause"


def test_point_outside_the_limits() -> None:
    # nine 10s and a 50: mean 140 / 10 = 14; moving ranges eight 0s and 40 -> 40 / 9
    values = [10] * 9 + [50]
    result = xmr(values, good="lower")
    assert result.mean == pytest.approx(14)
    assert result.upper == pytest.approx(14 + 2.66 * 40 / 9)  # 25.82: 50 is outside
    assert result.special[-1] and "outside the limits" in result.reasons[-1]
    assert result.variation == "special cause concerning"  # high is bad when lower is better


def test_run_of_seven_on_one_side_and_a_point_on_the_mean_breaks_it() -> None:
    # mean of [1]*7 + [9]*7 is 5: two runs of 7, both flagged
    result = xmr([1] * 7 + [9] * 7, good="higher")
    assert all(result.special)
    assert result.variation == "special cause improving"
    # six below, one on the mean (5), six above: no run reaches 7
    broken = xmr([4, 3, 4, 3, 4, 3, 5, 7, 6, 7, 6, 7, 6])
    assert broken.mean == pytest.approx(5)
    assert not any("run" in " ".join(r) for r in broken.reasons)


def test_trend_of_seven_rising() -> None:
    # 1..7 rising then flat noise: the seven rising points are a trend
    values = [1, 2, 3, 4, 5, 6, 7, 4, 4, 4]
    result = xmr(values)
    assert all("trend of 7" in r for r in result.reasons[:7])
    assert not any("trend of 7" in r for r in result.reasons[7:])
    # six rises only (a repeat breaks it): no trend
    assert not any("trend" in " ".join(r) for r in xmr([1, 2, 3, 4, 5, 6, 6, 5]).reasons)


def test_two_of_three_beyond_two_thirds_of_the_way_to_a_limit() -> None:
    # 19 points summing to 206: mean 10.842. Moving ranges: eleven 1s, 2.5 x3, 3.5, three 1s = 25
    # over 18 -> 1.389. Upper limit 10.842 + 2.66 * 1.389 = 14.537; two-thirds line 13.305.
    # Points 12 and 14 (13.5) are beyond it, inside the limits, two of three on the same side.
    values = [10, 11] * 6 + [13.5, 11, 13.5] + [10, 11] * 2
    result = xmr(values)
    assert result.upper == pytest.approx(206 / 19 + 2.66 * 25 / 18)
    flagged = [i for i, r in enumerate(result.reasons) if r]
    assert flagged == [12, 14]
    assert all(r == ("2 of 3 near a limit",) for r in (result.reasons[12], result.reasons[14]))


@pytest.mark.parametrize(
    ("values", "good", "target", "expected"),
    [
        # mean 30, moving ranges 1,2,1,1,2 -> 1.4: limits 26.28 to 33.72
        ([30, 31, 29, 30, 31, 29], "lower", 36, "target consistently met"),
        ([30, 31, 29, 30, 31, 29], "lower", 24, "target consistently not met"),
        ([30, 31, 29, 30, 31, 29], "lower", 30, "hit and miss"),
        # mean 96.83, moving ranges all 1: limits 94.17 to 99.49
        ([96, 97, 98, 97, 96, 97], "higher", 94, "target consistently met"),
        ([96, 97, 98, 97, 96, 97], "higher", 95, "hit and miss"),
        ([96, 97, 98, 97, 96, 97], "higher", 100, "target consistently not met"),
    ],
)
def test_assurance(values: list[float], good: str, target: float, expected: str) -> None:
    assert xmr(values, good=good, target=target).assurance == expected


def test_needs_two_points_and_describes_itself() -> None:
    with pytest.raises(ValueError):
        xmr([1])
    text = describe(xmr([30, 31, 29, 30, 31, 29], good="lower", target=36), "Average days", " days")
    assert text.startswith("Average days: average 30.0 days over 6 periods")
    assert "target consistently met" in text
