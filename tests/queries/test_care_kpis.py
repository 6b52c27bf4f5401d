"""The care-at-home KPIs against values worked out by hand from tests/fixtures/care.

August 2016 (31 days, 31/7 weeks): commissioned 100 + 80 + 50 + 40 + 20 + 10 = 300 a week;
delivered 98 + 70 + 49 + 35 + 14 + 7 = 273 (91.0%). Hours delivered in the month 273 x 31/7 =
1,209; spend 12,090: £10.00 an hour. Off framework (Gamma) 49 / 273 = 17.95%. The five largest
leave out Zeta's 7: 266 / 273 = 97.44%. Good or better as at 31 August (July's datastore): Alpha
(5), Gamma (4), Delta (6); not Beta (3), Zeta (2), nor Epsilon (no id): 182 / 273 = 66.67%.

Waiting at 31 August: R3 (started 10 September) and R6 (no start): 2 people, 14 + 5 = 19 hours;
R4 ended before any service. Starts in August: R5 3 days, R1 10, R2 20: median 10.

Quarter 2 2016/17 (July to September; July has no return): commissioned (300 + 110) / 2 = 205 a
week; delivered 378 / 410 = 92.20%; September's 105 x 30/7 = 450 hours for £4,500, so the quarter
is 16,590 / 1,659 = £10.00. Starts: 3, 10, 20 and R3's 31: median 15. Waiting at 30 September:
R6 alone, 5 hours.
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
from dashboard.queries import care
from data_loaders import apply_plan, plan_load
from data_loaders.care_inspectorate import load_grades_file
from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
CARE = FIXTURES / "care"
PROGRAMME = "Testshire care at home"


def load_care(engine: Engine, grades: bool = True) -> None:
    for kind in ("care_providers", "care_hours", "care_requests"):
        plan = plan_load(engine, PROGRAMME, f"{kind}.csv", (CARE / f"{kind}.csv").read_bytes())
        assert plan.ok, plan.problems
        apply_plan(engine, plan, user="test")
    if grades:
        for path in sorted(CARE.glob("MDSF_data_*.csv")):
            load_grades_file(engine, path.name, path.read_bytes(), "test")


@pytest.fixture
def small(engine: Engine) -> Engine:
    load_care(engine)
    return engine


def values(engine: Engine, period: str, **options: object) -> dict:
    frame = care.care_kpis(engine, PROGRAMME, parse_period(period), **options)
    return {(r.kpi, r.framework): r.value for r in frame.itertuples()}


def test_a_month(small: Engine) -> None:
    found = values(small, "2016-08")
    assert found[("care_hours_commissioned_weekly", None)] == 300
    assert found[("care_hours_delivered_pct", None)] == pytest.approx(91.0)
    assert found[("care_cost_per_hour", None)] == pytest.approx(10.0)
    assert found[("care_spend", None)] == 12090
    assert found[("care_off_framework_pct", None)] == pytest.approx(49 / 273 * 100)
    assert found[("care_top5_share_pct", None)] == pytest.approx(266 / 273 * 100)
    assert found[("care_hours_good_or_better_pct", None)] == pytest.approx(182 / 273 * 100)
    assert (found[("care_people_waiting", None)], found[("care_hours_waiting_weekly", None)]) == (2, 19)
    assert found[("care_days_to_service_median", None)] == 10


def test_a_quarter_averages_its_months_weekly_figures(small: Engine) -> None:
    found = values(small, "2016/17-Q2")
    assert found[("care_hours_commissioned_weekly", None)] == 205
    assert found[("care_hours_delivered_pct", None)] == pytest.approx(378 / 410 * 100)
    assert found[("care_cost_per_hour", None)] == pytest.approx(10.0)
    assert found[("care_days_to_service_median", None)] == 15
    assert (found[("care_people_waiting", None)], found[("care_hours_waiting_weekly", None)]) == (1, 5)


def test_by_framework(small: Engine) -> None:
    """Help to Live at Home in August: 180 commissioned, 168 delivered; Alpha good, Beta not:
    98 / 168. Specialist: 70 commissioned, 56 delivered; Delta good: 35 / 56."""
    found = values(small, "2016-08", by_framework=True)
    assert found[("care_hours_commissioned_weekly", "Help to Live at Home")] == 180
    assert found[("care_hours_good_or_better_pct", "Help to Live at Home")] == pytest.approx(98 / 168 * 100)
    assert found[("care_hours_good_or_better_pct", "Specialist")] == pytest.approx(35 / 56 * 100)
    assert found[("care_off_framework_pct", "Off framework")] == 100


def test_a_rating_published_after_the_period_is_not_used(small: Engine) -> None:
    """A datastore of 30 September regrades Beta to 5. August (as at 31 August) still counts
    182 / 273; the quarter to 30 September counts Beta too: Alpha 203 + Beta 70 + Gamma 49 +
    Delta 35 = 357 of 378."""
    july = (CARE / "MDSF_data_31 July 2016.csv").read_bytes().decode("cp1252")
    september = july.replace("01/03/2016,3,,4,3,,3,4", "01/09/2016,5,,6,5,,5,6")
    assert september != july
    load_grades_file(small, "MDSF_data_30 September 2016.csv", september.encode("cp1252"), "test")
    good = ("care_hours_good_or_better_pct", None)
    assert values(small, "2016-08")[good] == pytest.approx(182 / 273 * 100)
    assert values(small, "2016/17-Q2")[good] == pytest.approx(357 / 378 * 100)


def test_the_entry_rule_in_words(small: Engine) -> None:
    history = care.grade_history(small, ["CS0001", "CS0002", "CS0006", "CS0003"], parse_period("2016-08").end)
    assert care.entry_rule_words(history, "CS0006") == "Below the entry rule (lowest grades 2 (latest) and 4)"
    assert care.entry_rule_words(history, "CS0002") == "Meets the entry rule (lowest grades 3 (latest) and 3)"
    assert care.entry_rule_words(history, "CS0001").startswith("Meets the entry rule; eligible for uplifts")
    # Gamma's grading was published once (both files show the same inspection)
    assert care.entry_rule_words(history, "CS0003") == ("One inspection loaded (lowest grade 4): the rule "
                                                        "needs two")
    assert care.entry_rule_words(history, None) == "No regulator id given"


def test_the_kpi_command_line(db_url: str, small: Engine) -> None:
    env = {**os.environ, "DATABASE_URL": db_url}
    done = subprocess.run([sys.executable, "-m", "dashboard.kpi_cli", "--programme", PROGRAMME, "--period",
                           "2016-08", "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    found = {r["kpi"]: r["value"] for r in json.loads(done.stdout)}
    assert found["care_hours_commissioned_weekly"] == 300 and found["care_people_waiting"] == 2
    by = subprocess.run([sys.executable, "-m", "dashboard.kpi_cli", "--programme", PROGRAMME, "--period",
                         "2016-08", "--by", "framework", "--json"], cwd=ROOT, env=env, capture_output=True,
                        text=True, timeout=120)
    frameworks = {r["framework"] for r in json.loads(by.stdout)}
    assert frameworks == {None, "Help to Live at Home", "Off framework", "Specialist"}
