"""Savings returns through the same loader as every return: a plan creates its programme (named in
the file), a delivery return is checked against the stored plan, and every refusal names its row
and column and leaves the database exactly as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from data_loaders import apply_plan, plan_load
from tests.conftest import FIXTURES
from tests.loaders.conftest import load_text, refused_load

SAVINGS = FIXTURES / "savings"
PLAN_HEADER = ("programme,workstream_code,workstream,cohort,benefit_type,lower_bound,upper_bound,"
               "already_in_mtfs,first_year,profile\n")
DELIVERY_HEADER = ("programme,workstream_code,financial_year,month,delivered_to_date,forecast_year,"
                   "confidence\n")


def load_sample(engine: Engine) -> None:
    for kind in ("savings_plan", "savings_delivery"):
        plan = plan_load(engine, "", f"{kind}.csv", (SAVINGS / f"{kind}.csv").read_bytes())
        assert plan.ok, plan.problems
        apply_plan(engine, plan, user="test")


def refused(engine: Engine, text: str, programme: str = "") -> list[tuple]:
    """A savings return names its programme: the load need not (``programme`` "")."""
    return refused_load(engine, programme, text)


def test_a_plan_creates_its_programme_and_delivery_finds_the_workstreams(engine: Engine) -> None:
    load_sample(engine)
    with engine.connect() as conn:
        names = conn.execute(select(s.programmes.c.name)).scalars().all()
        w = s.savings_workstreams
        plan = conn.execute(select(w.c.workstream_code, w.c.lower_bound, w.c.already_in_mtfs)
                            .order_by(w.c.workstream_code)).all()
        codes = conn.execute(select(s.savings_delivery.c.workstream_code, s.savings_delivery.c.month)
                             .order_by(s.savings_delivery.c.id)).all()
        logged = conn.execute(select(s.import_log.c.kind)).scalars().all()
    assert names == ["Small savings"]
    assert [(c, float(low), m and float(m)) for c, low, m in plan] == [
        ("A1", 100000.0, 50000.0), ("A2", 40000.0, None), ("Q1", 30000.0, None)]
    assert [tuple(r) for r in codes] == [("A1", 3), ("A1", 6), ("Q1", 6), ("Q1", 9)]  # "a 1" is A1
    assert logged == ["savings_plan", "savings_delivery"]


def test_the_same_plan_again_changes_nothing(engine: Engine) -> None:
    load_sample(engine)
    plan = plan_load(engine, "", "savings_plan.csv", (SAVINGS / "savings_plan.csv").read_bytes())
    assert (plan.to_insert, plan.to_update, plan.unchanged) == (0, 0, 3)


@pytest.mark.parametrize(("row", "expected"), [
    ("P,A1,Reablement,Older,Cashable,200000,100000,,2019/20,",
     (2, "upper_bound", "the upper estimate is below the lower (£200,000)")),
    ("P,A1,Reablement,Older,Cashable,100000,200000,,2019/20,2019/20: 60%; 2020/21: 40%",
     (2, "profile", "the share falls from 60% in 2019/20 to 40% in 2020/21: a profile only rises")),
    ("P,A1,Reablement,Older,Cashable,100000,200000,,2019/20,2019/20: 60%; 2020/21: 90%",
     (2, "profile", "the profile never reaches 100% of the annual benefit")),
    ("P,A1,Reablement,Older,Cashable,100000,200000,,2019/20,2018/19: 60%; 2020/21: 100%",
     (2, "profile", "2018/19 is before the workstream's first year, 2019/20")),
    ("P,A1,Quality,Older,Quality reinvested,100000,200000,5000,2019/20,",
     (2, "already_in_mtfs", "a quality reinvested benefit is reinvested, not banked, so none of it "
                            "can already be counted in the MTFS")),
    ("P,A1,Reablement,Older,Cashable,-100000,200000,,2019/20,", (2, "lower_bound", "negative amount")),
    ("P,A1,Reablement,Older,Savings,100000,200000,,2019/20,",
     (2, "benefit_type", "must be one of: Cashable, Demand offset, Quality reinvested")),
])
def test_a_plan_with_a_wrong_row_is_refused_by_row_and_column(engine: Engine, row: str,
                                                             expected: tuple) -> None:
    assert expected in refused(engine, PLAN_HEADER + row + "\n")


def test_a_file_naming_two_programmes_is_refused(engine: Engine) -> None:
    problems = refused(engine, PLAN_HEADER + "P,A1,R,O,Cashable,1,2,,2019/20,\n"
                       "Q,A2,R,O,Cashable,1,2,,2019/20,\n")
    assert (3, "programme", "a return is for one programme; row 2 names 'P'") in problems


def test_a_programme_named_for_the_load_must_be_the_files(engine: Engine) -> None:
    problems = refused(engine, PLAN_HEADER + "P,A1,R,O,Cashable,1,2,,2019/20,\n", programme="Other")
    assert (2, "programme", "the load is for 'Other', but the file names 'P'") in problems


@pytest.mark.parametrize(("row", "expected"), [
    ("Small savings,ZZ9,2019/20,3,100,200,High",
     (2, "workstream_code", "the plan has no workstream ZZ9 (its workstreams: A1, A2, Q1)")),
    ("Small savings,A1,2019/20,3,-100,200,High", (2, "delivered_to_date", "negative amount")),
    ("Small savings,A2,2019/20,3,100,200,High",
     (2, "financial_year", "before workstream A2's first year, 2020/21")),
    ("Small savings,A1,2019/20,13,100,200,High", (2, "month", None)),
    ("Small savings,A1,2019/20,3,100,200,Certain",
     (2, "confidence", "must be one of: High, Medium, Low")),
])
def test_a_delivery_return_with_a_wrong_row_is_refused(engine: Engine, row: str, expected: tuple) -> None:
    load_sample(engine)
    problems = refused(engine, DELIVERY_HEADER + row + "\n")
    if expected[2] is None:
        assert [p[:2] for p in problems] == [expected[:2]]
    else:
        assert expected in problems


def test_a_delivery_return_before_its_plan_is_refused(engine: Engine) -> None:
    problems = refused(engine, DELIVERY_HEADER + "New savings,A1,2019/20,3,100,200,High\n")
    assert problems == [(None, "", "no programme called 'New savings' (known: none yet); load its "
                                    "savings plan first to create it")]


def test_savings_and_districts_never_share_a_programme(engine: Engine) -> None:
    load_text(engine, (FIXTURES / "kpis" / "districts.csv").read_text(), name="districts.csv")
    problems = refused(engine, PLAN_HEADER + "Testshire,A1,R,O,Cashable,1,2,,2019/20,\n")
    assert (None, "", "'Testshire' is a programme of districts; a savings_plan return belongs to a "
                      "savings programme of its own") in problems


def test_personal_data_in_a_delivery_note_is_refused(engine: Engine) -> None:
    load_sample(engine)
    problems = refused(engine, DELIVERY_HEADER.replace("\n", ",note\n")
                       + "Small savings,A1,2019/20,7,100,200,High,Mrs Jane Smith of LE1 6ZZ moved\n")
    assert problems and problems[0][1] == "note" and "personal data" in problems[0][2]


@pytest.mark.parametrize(("text", "expected"), [
    ("workstream_code,workstream,cohort,benefit_type,lower_bound,upper_bound,first_year\n"
     "A1,R,O,Cashable,1,2,2019/20\n", (1, "programme", "required column is missing")),
    (PLAN_HEADER, (None, "", "the file has a header but no data rows")),
])
def test_a_plan_with_no_programme_or_no_rows_is_refused(engine: Engine, text: str, expected: tuple) -> None:
    assert expected in refused(engine, text)
