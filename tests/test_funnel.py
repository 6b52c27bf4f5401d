"""Funnel limits worked by hand."""

from __future__ import annotations

import math

import pytest

from dashboard.figures.funnel import limits, position


def test_proportion_limits() -> None:
    # p = 0.8, n = 100: sd = sqrt(0.8 * 0.2 / 100) = 0.04; 95%: 0.8 ± 1.96 * 0.04 = 72.16%..87.84%
    row = limits(80, [100], "proportion").iloc[0]
    assert row["lower95"] == pytest.approx(80 - 100 * 1.959964 * 0.04)
    assert row["upper95"] == pytest.approx(80 + 100 * 1.959964 * 0.04)
    assert row["upper998"] == pytest.approx(80 + 100 * 3.090232 * 0.04)


def test_limits_narrow_with_volume_and_stay_within_0_and_100() -> None:
    frame = limits(95, [5, 50, 500], "proportion")
    widths = (frame["upper95"] - frame["lower95"]).tolist()
    assert widths[0] > widths[1] > widths[2]
    assert frame["upper998"].max() <= 100 and frame["lower998"].min() >= 0


def test_rate_limits_per_100() -> None:
    # 1 complaint per 100 cases, n = 400: sd = sqrt(0.01 / 400) = 0.005 -> 1 ± 0.98 per 100
    row = limits(1.0, [400], "rate").iloc[0]
    assert row["upper95"] == pytest.approx(1 + 100 * 1.959964 * math.sqrt(0.01 / 400))


def test_position() -> None:
    assert position(80, 100, 80, "proportion") == "within the expected range"
    assert position(70, 100, 80, "proportion").startswith("outside 95%")  # 2.5 sd below
    assert position(60, 100, 80, "proportion").startswith("outside 99.8%")  # 5 sd below
