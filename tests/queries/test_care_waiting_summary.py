"""The waiting list and days to service come from the care requests' monthly summaries, kept by
the loader as it writes: the same figures as the requests themselves, without reading them. (That
a load changes them by its own rows alone: tests/db/test_load_plans.py.)

A second requests return (tests/fixtures/care plus this file's changes): R3 now started on 25
August (not 10 September), R6 on 5 September, and R7 (Older people, 8 hours) arrived on 20 August
and waits. At 31 August: R6 (5 hours) and R7 (8): 2 people, 13 hours. At 30 September: R7 alone.
Starts in August: R5 3 days, R1 10, R3 15, R2 20: median (10 + 15) / 2 = 12.5.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine

from dashboard.db import schema as s
from dashboard.figures.periods import parse_period
from dashboard.queries import care
from data_loaders import apply_plan, plan_load
from tests.conftest import captured_statements
from tests.loaders.conftest import summary_rows_match_the_raw_rows
from tests.queries.test_care_kpis import PROGRAMME, load_care, values

SECOND_RETURN = """request_ref,client_group,request_date,hours_weekly,service_start_date,ended_date,reason
R3,Learning disability,10/08/2016,14,25/08/2016,,
R6,Mental health,31/08/2016,5,05/09/2016,,
R7,Older people,20/08/2016,8,,,
"""
CARE_SUMMARIES = (s.summary_care_requests, s.summary_care_starts)


def reads_requests(statement: str) -> bool:
    return re.search(r"(?<!summary_)\bcare_requests\b", statement) is not None


def summaries_match_the_requests(engine: Engine) -> None:
    counts = summary_rows_match_the_raw_rows(engine, CARE_SUMMARIES, PROGRAMME)
    assert all(counts.values()), counts


def test_the_figures_never_read_the_requests(engine: Engine) -> None:
    load_care(engine, grades=False)
    with captured_statements(engine) as seen:
        found = values(engine, "2016-08")
        series = care.waiting_series(engine, PROGRAMME, parse_period("2016/17-Q2"))
    assert (found[("care_people_waiting", None)], found[("care_days_to_service_median", None)]) == (2, 10)
    assert list(series["waiting"]) == [1, 2, 1]  # July: R5 (started 2 August); August; September
    assert seen and not [q for q, _ in seen if reads_requests(q)]


def test_a_second_return_moves_requests_on_and_off_the_list(engine: Engine) -> None:
    load_care(engine, grades=False)
    plan = plan_load(engine, PROGRAMME, "care_requests_september.csv", SECOND_RETURN.encode())
    assert plan.ok, plan.problems
    result = apply_plan(engine, plan, user="test")
    assert (result.inserted, result.updated) == (1, 2)
    summaries_match_the_requests(engine)
    august, september = values(engine, "2016-08"), values(engine, "2016-09")
    waiting = ("care_people_waiting", None), ("care_hours_waiting_weekly", None)
    assert (august[waiting[0]], august[waiting[1]]) == (2, 13)
    assert (september[waiting[0]], september[waiting[1]]) == (1, 8)
    assert august[("care_days_to_service_median", None)] == 12.5
    assert september[("care_days_to_service_median", None)] == 5  # R6 alone


def test_the_fixture_summaries_equal_the_requests(engine: Engine) -> None:
    load_care(engine, grades=False)
    summaries_match_the_requests(engine)
