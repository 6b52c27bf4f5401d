"""Year-end DFG spend forecast against the allocation, worked out by hand from the Testshire
fixture (tests/fixtures/kpis/dfg.csv and allocations.csv)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.queries.dfg import year_end_forecast


def _rows(engine: Engine, period: str) -> dict:
    frame = year_end_forecast(engine, "Testshire", period)
    return {r.district: (r.spend_to_date, r.months, r.forecast, r.allocation, r.forecast_gap)
            for r in frame.itertuples(index=False)}


def test_straight_line_forecast_to_the_year_end(testshire: Engine) -> None:
    # Q1 2019/20 (3 months). Alpha: D1 £6,000 (21/06) + D3 £8,000.50 (22/06) = £14,000.50;
    # allocation 20,000 + 5,000 = £25,000; forecast 14,000.50 × 12 / 3 = £56,002.
    # Beta: D4 £4,000 (10/05), D8 completed with no amount; allocation 10,000 + 2,000 = £12,000.
    rows = _rows(testshire, "2019/20-Q1")
    assert rows["Alpha"] == pytest.approx((14000.50, 3, 56002.0, 25000.0, 31002.0))
    assert rows["Beta"] == pytest.approx((4000.0, 3, 16000.0, 12000.0, 4000.0))
    assert rows[None] == pytest.approx((18000.50, 3, 72002.0, 37000.0, 35002.0))


def test_a_later_period_takes_more_months_of_spend(testshire: Engine) -> None:
    # Q2 (6 months) adds Alpha's D2 £5,000 (05/08): 19,000.50 × 12 / 6 = £38,001 against £25,000.
    rows = _rows(testshire, "2019/20-Q2")
    assert rows["Alpha"] == pytest.approx((19000.50, 6, 38001.0, 25000.0, 13001.0))
    assert list(rows)[-1] is None  # districts first, the programme last
