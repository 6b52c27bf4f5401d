"""XmR rules on worked examples (each worked by hand in the comments)."""

from __future__ import annotations

import pytest

from dashboard.figures.spc import describe, xmr


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
    result = xmr(values, good="lower", screen_outliers=False)
    assert result.mean == pytest.approx(14)
    assert result.upper == pytest.approx(14 + 2.66 * 40 / 9)  # 25.82: 50 is outside
    assert result.special[-1] and "outside the limits" in result.reasons[-1]
    assert result.variation == "special cause concerning"  # high is bad when lower is better
    # Screened, as the reference does by default: 40 >= 3.267 x 4.44, so it is left out and the
    # mean moving range is 0: limits at the mean, every point beyond one.
    screened = xmr(values, good="lower")
    assert screened.upper == screened.lower == pytest.approx(14) and all(screened.special)


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


# --- the reference implementation's own values (NHSRplotthedots 0.2.0) ------------------------------

RNORM_123 = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
             -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
             -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141]


def test_the_references_published_snapshot() -> None:
    # tests/testthat/_snaps: set.seed(123); rnorm(20): mean 0.1416238, limits -3.01138, 3.294627.
    result = xmr(RNORM_123)
    assert result.mean == pytest.approx(0.1416238, abs=1e-7)
    assert result.lower == pytest.approx(-3.01138, abs=1e-5)
    assert result.upper == pytest.approx(3.294627, abs=1e-6)
    assert not any(result.special)


@pytest.mark.parametrize(("values", "special"), [
    # Outside the limits is not "close": 31.2 and 31.5 are below the lower limit's two-thirds line
    # but the reference counts only points between it and the limit.
    ([44.0, 42.6, 46.6, 31.2, 31.5, 43.1, 45.5, 51.6, 48.6], []),
    # 2 of 3 near a limit needs all three on the same side of the mean: only 42.1 stays.
    ([24.1, 28.4, 24.0, 27.5, 25.2, 20.8, 27.3, 21.3, 20.4, 38.1, 28.0, 24.7, 27.5, 19.0, 23.6,
      26.8, 21.6, 38.7, 42.1, 27.3, 27.5, 24.8, 27.1, 23.4, 25.9, 20.5, 27.2, 22.2, 22.1, 19.2,
      20.2, 37.1], [18]),
])
def test_special_causes_as_the_reference_finds_them(values: list[float], special: list[int]) -> None:
    for screen in (True, False):
        found = xmr(values, screen_outliers=screen).special
        assert [i for i, s in enumerate(found) if s] == special


def test_one_spike_is_screened_out_of_the_limits() -> None:
    spike = [37.7, 36.9, 37.2, 35.8, 36.4, 35.1, 34.9, 52.0, 34.2, 33.8, 33.1, 32.6, 31.9, 31.4,
             30.8, 30.2]
    assert (round(xmr(spike).lower, 1), round(xmr(spike).upper, 1)) == (33.5, 37.0)
    unscreened = xmr(spike, screen_outliers=False)
    assert (round(unscreened.lower, 1), round(unscreened.upper, 1)) == (27.5, 43.0)


def test_a_trend_takes_its_own_direction_not_the_side_of_the_mean() -> None:
    # Seven falling points all above the mean of the series: the trend is decreasing, so where
    # higher is better it is a concern although every point is above the mean.
    values = [50, 10, 10, 10, 10, 10, 10, 10, 30, 29, 28, 27, 26, 25, 24]
    result = xmr(values, good="higher", screen_outliers=False)
    assert result.reasons[-1][0] == "trend of 7"
    assert result.direction[-1] == -1 and result.side[-1] == 1
    assert result.variation == "special cause concerning"


def test_the_command_line_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import json

    from dashboard.cli.spc import main

    assert main(["--good", "lower", "--target", "0", "--json"],
                io.StringIO("\n".join(str(v) for v in RNORM_123))) == 0
    record = json.loads(capsys.readouterr().out)
    assert set(record) == {"mean", "lower", "upper", "special", "variation", "assurance"}
    assert record["upper"] == pytest.approx(3.294627, abs=1e-6) and len(record["special"]) == 20
    assert record["variation"] == "common cause" and record["assurance"] == "hit and miss"
    assert main(["--good", "higher"], io.StringIO("1 2 x")) == 2
    assert "could not convert" in capsys.readouterr().err
