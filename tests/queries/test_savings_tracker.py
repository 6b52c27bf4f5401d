"""The savings tracker's figures against values worked out by hand from tests/fixtures/savings.

The plan: A1 cashable £100,000-£200,000 (£50,000 already in the MTFS; 50% in 2019/20, 100% from
2020/21), A2 demand offset £40,000-£60,000 from 2020/21, Q1 quality reinvested £30,000-£50,000
from 2019/20. Guarantee threshold £150,000.

Summary: lower 170,000, upper 310,000; cashable and demand offset 140,000 / 260,000; less 50,000 in
the MTFS; net cashable 90,000 / 210,000; quality 30,000 / 50,000; overall 120,000 / 260,000.

As at 2019/20-Q2 (6 months of the year):
- A1: year's lower target 100,000 x 50% = 50,000; to date 50,000 x 6/12 = 25,000 (upper 50,000).
  Return of month 6: delivered 30,000 (>= 0.9 x 25,000), forecast 55,000 (>= 50,000), Medium:
  on track. Weighted: 30,000 + (55,000 - 30,000) x 0.6 = 45,000.
- Q1: year's target 30,000, to date 15,000 (upper 25,000). Month 6: delivered 12,000 < 13,500,
  forecast 30,000 >= 0.8 x 30,000: at risk. Weighted: 12,000 + 18,000 x 0.3 = 17,400.
- A2: no target this year: not started.
Totals: delivered 42,000; forecast 85,000; weighted 62,400; target to date 40,000 (upper 75,000).
The month-9 return of Q1 lies after the period and is never read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from dashboard.figures.periods import parse_period
from dashboard.queries import savings as q
from tests.loaders.test_savings_returns import load_sample

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def small(engine: Engine) -> Engine:
    load_sample(engine)
    return engine


def test_the_summary_and_each_workstream_as_at_a_quarter(small: Engine) -> None:
    found = q.tracker(small, "small savings", parse_period("2019/20-Q2")).as_json()
    assert {k: found[k] for k in ("lower", "upper", "cashable_lower", "cashable_upper", "in_mtfs",
                                  "net_cashable_lower", "net_cashable_upper", "quality_lower",
                                  "quality_upper", "overall_lower", "overall_upper")} == {
        "lower": 170000, "upper": 310000, "cashable_lower": 140000, "cashable_upper": 260000,
        "in_mtfs": 50000, "net_cashable_lower": 90000, "net_cashable_upper": 210000,
        "quality_lower": 30000, "quality_upper": 50000, "overall_lower": 120000, "overall_upper": 260000}
    assert (found["delivered_to_date"], found["forecast_year"], found["weighted_forecast"]) == (
        42000, 85000, 62400)
    assert (found["profiled_target_to_date"], found["profiled_target_to_date_upper"]) == (40000, 75000)
    assert [(w["code"], w["status"], w["delivered_to_date"], w["forecast_year"])
            for w in found["workstreams"]] == [
        ("A1", "On track", 30000, 55000), ("A2", "Not started", 0, 0), ("Q1", "At risk", 12000, 30000)]


def test_a_month_with_no_return_carries_the_one_before_and_says_so(small: Engine) -> None:
    """2019-07 is month 4: A1's month-3 return (delivered 10,000 < 0.9 x 16,667; forecast 60,000
    >= 50,000, High) is at risk; Q1 has sent nothing this year though it has a target: no return."""
    found = q.tracker(small, "Small savings", parse_period("2019-07"))
    status = dict(zip(found.workstreams["code"], found.workstreams["status"], strict=True))
    assert status == {"A1": "At risk", "A2": "Not started", "Q1": "No return"}
    assert found.notes == ["A1: the newest return this year is for month 3 of 2019/20; its figures are "
                           "carried forward."]


def test_nothing_after_the_period_is_read(small: Engine) -> None:
    q1 = q.tracker(small, "Small savings", parse_period("2019/20-Q2")).workstreams.set_index("code").loc["Q1"]
    assert q1["delivered"] == 12000  # the month-9 return says 99,000
    assert q.tracker(small, "Small savings", parse_period("2019/20-Q3")).workstreams.set_index(
        "code").loc["Q1", "delivered"] == 99000


def test_the_guarantee_in_words(small: Engine) -> None:
    lines = q.guarantee_lines(q.tracker(small, "Small savings", parse_period("2019/20-Q2")))
    assert lines[:2] == [
        "Recurrent benefit, lower estimate: £170,000 a year, above the guarantee threshold of £150,000.",
        "Recurrent benefit, upper estimate: £310,000 a year, above the guarantee threshold of £150,000."]
    assert "profiles below its full annual benefit" in lines[2]


def test_the_band_by_month(small: Engine) -> None:
    """2019/20: band 50,000 + 30,000 = 80,000 to 100,000 + 50,000 = 150,000; 2020/21 every
    workstream at 100%: 170,000 to 310,000. Delivered only up to the period's end; the months run
    to the end of the period's financial year."""
    band = q.band_frame(small, "Small savings", parse_period("2019/20-Q2"))
    september = band[(band["fy"] == 2019) & (band["month"] == 6)].iloc[0]
    assert (september["lower"], september["upper"], september["target_to_date"]) == (80000, 150000, 40000)
    assert (september["delivered"], september["forecast"], september["weighted"]) == (42000, 85000, 62400)
    assert band[(band["fy"] == 2019) & (band["month"] == 7)]["delivered"].isna().all()
    assert band["fy"].max() == 2019 and len(band) == 12
    later = q.band_frame(small, "Small savings", parse_period("2020/21-Q1"))
    full_year = later[later["fy"] == 2020][["lower", "upper"]].drop_duplicates()
    assert full_year.values.tolist() == [[170000, 310000]]


def test_the_command_line_prints_the_summary_as_json(db_url: str, small: Engine) -> None:
    env = {**os.environ, "DATABASE_URL": db_url}
    done = subprocess.run([sys.executable, "-m", "dashboard.savings", "summary", "--programme",
                           "Small savings", "--period", "2019/20-Q2", "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert (found["net_cashable_lower"], found["delivered_to_date"]) == (90000, 42000)
    wrong = subprocess.run([sys.executable, "-m", "dashboard.savings", "summary", "--council", "Nowhere",
                            "--programme", "Small savings", "--json"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == ("error: 'Small savings' is not a programme of Nowhere (it has no "
                                    "council)")
