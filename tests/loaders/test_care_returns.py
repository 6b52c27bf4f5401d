"""Care-at-home returns and the Care Inspectorate's datastore through the loader: a providers file
creates the programme, monthly rows must name its providers, and every refusal names its row and
column and leaves the database exactly as it was."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from data_loaders import plan_load
from data_loaders.care_inspectorate import load_grades_file
from data_loaders.cqc import CqcProblems
from data_loaders.limits import FileProblem
from tests.conftest import FIXTURES, table_snapshot
from tests.loaders.conftest import refused_load
from tests.queries.test_care_kpis import PROGRAMME, load_care

CARE = FIXTURES / "care"
HOURS = "provider,month,client_group,hours_commissioned_weekly,hours_delivered_weekly,spend\n"
REQUESTS = "request_ref,client_group,request_date,hours_weekly,service_start_date,ended_date\n"
JULY = (CARE / "MDSF_data_31 July 2016.csv").read_bytes()


def refused(engine: Engine, text: str) -> list[tuple]:
    return refused_load(engine, PROGRAMME, text)


def test_providers_create_the_programme_and_hours_take_their_spelling(engine: Engine) -> None:
    load_care(engine, grades=False)
    with engine.connect() as conn:
        providers = conn.execute(select(s.care_hours.c.provider).where(s.care_hours.c.ym == 201608)
                                 .order_by(s.care_hours.c.provider)).scalars().all()
    assert "Beta Care" in providers and "beta  care" not in providers


@pytest.mark.parametrize(("row", "expected"), [
    ("Alpha Care,2016-08,Older people,100,110,4340",
     (2, "hours_delivered_weekly", "more than 5% above the hours commissioned (100 a week)")),
    ("Nobody Care,2016-08,Older people,100,90,4340", (2, "provider", None)),
    ("Alpha Care,2016-13,Older people,100,90,4340", (2, "month", "there is no month 13")),
    ("Alpha Care,2016-08,Adults,100,90,4340", (2, "client_group", None)),
    ("Alpha Care,2016-08,Older people,100,-5,4340",
     (2, "hours_delivered_weekly", "hours a week must be from 0 to 1,000,000")),
])
def test_a_wrong_monthly_row_is_refused(engine: Engine, row: str, expected: tuple) -> None:
    load_care(engine, grades=False)
    problems = refused(engine, HOURS + row + "\n")
    if expected[2] is None:
        assert expected[:2] in [p[:2] for p in problems]
    else:
        assert expected in problems


def test_the_same_provider_spelt_two_ways_is_one_row(engine: Engine) -> None:
    load_care(engine, grades=False)
    problems = refused(engine, HOURS + "Alpha Care,2016-10,Older people,10,9,400\n"
                       "ALPHA CARE,2016-10,Older people,10,9,400\n")
    assert (3, "provider", "duplicate of row 2 (same month, provider and client group)") in problems


def test_a_start_before_its_request_is_refused(engine: Engine) -> None:
    load_care(engine, grades=False)
    problems = refused(engine, REQUESTS + "R9,Older people,10/08/2016,7,01/08/2016,\n")
    assert (2, "service_start_date", "service starts before it was requested (request_date 10/08/2016)") \
        in problems


def test_hours_before_the_providers_file_are_refused(engine: Engine) -> None:
    problems = refused(engine, HOURS + "Alpha Care,2016-08,Older people,100,90,4340\n")
    assert problems == [(None, "", f"no programme called '{PROGRAMME}' (known: none yet); load its "
                                   "providers file first to create it")]


def test_the_datastore_loads_as_published_and_again_changes_nothing(engine: Engine) -> None:
    first = load_grades_file(engine, "MDSF_data_31 July 2016.csv", JULY, "test")
    again = load_grades_file(engine, "MDSF_data_31 July 2016.csv", JULY, "test")
    assert (first.rows, first.changed, again.changed) == (5, True, False)
    with engine.connect() as conn:
        provider = conn.execute(select(s.ci_services.c.provider).where(s.ci_services.c.cs_number == "CS0001")
                                ).scalar()
    assert provider == "Alpha Care Ltd – Édinburgh"  # Windows-1252 read as such


@pytest.mark.parametrize(("content", "message"), [
    (JULY.decode("cp1252").encode("utf-8"), "the file is in UTF-8, not Windows-1252"),
    (JULY.replace(b"MinGrade", b"Lowest"), "the datastore's columns are missing or renamed: 'MinGrade'"),
    (JULY.replace(b",5,,6,5,,5,6", b",7,,6,5,,7,6"), "not a grade (1 to 6, or blank)"),
    (JULY.replace(b"CS0002", b"CS0001"), "the same service as row 2"),
])
def test_a_wrong_datastore_is_refused_with_nothing_written(engine: Engine, content: bytes,
                                                           message: str) -> None:
    before = table_snapshot(engine)
    with pytest.raises((CqcProblems, FileProblem)) as raised:
        load_grades_file(engine, "MDSF_data_31 July 2016.csv", content, "test")
    assert message in str(raised.value)
    assert table_snapshot(engine) == before


def test_the_command_line_loads_the_providers_file_first_under_its_council(db_url: str,
                                                                           engine: Engine) -> None:
    files = [str(CARE / "care_hours.csv"), str(CARE / "care_providers.csv")]
    done = subprocess.run([sys.executable, "-m", "data_loaders", "load", "--council", "East Lothian",
                           "--programme", PROGRAMME, *files], cwd=FIXTURES.parents[1],
                          env={**os.environ, "DATABASE_URL": db_url}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.index("care_providers.csv") < done.stdout.index("care_hours.csv")
    with engine.connect() as conn:
        council = conn.execute(select(s.councils.c.name).join(
            s.council_programmes, s.council_programmes.c.council_id == s.councils.c.id)).scalar()
    assert council == "East Lothian"


def test_names_a_reader_cannot_tell_apart_are_one(engine: Engine) -> None:
    """A zero-width space, a non-breaking space or full-width letters do not make another provider
    or another framework."""
    load_care(engine, grades=False)
    plan = plan_load(engine, PROGRAMME, "more.csv", (
        "provider,framework\nAl\u200bpha\u00a0Care,Ｏff framework\n").encode("utf-8"))
    assert plan.ok and (plan.to_insert, plan.to_update) == (0, 1)  # Alpha Care, moved off framework
    text = HOURS + "ＡＬＰＨＡ CARE,2016-10,Older people,10,9,400\n"
    hours = plan_load(engine, PROGRAMME, "hours.csv", text.encode("utf-8"))
    assert hours.ok and hours.records[0]["provider"] == "Alpha Care"
