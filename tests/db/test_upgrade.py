"""A database made by an earlier release upgrades in place on first start: from schema 3 the new
summary of records to check is filled from the rows already there and the reference indexes are
added to tables that already exist; from schema 4 the reference indexes are built again with the
district in them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, inspect, select, text

from dashboard.db import schema as s
from dashboard.db.engine import ensure_schema
from dashboard.queries import quality
from tests.loaders.conftest import load_text


def test_schema_3_upgrades_with_checks_filled(programme: Engine) -> None:
    engine = programme
    load_text(engine, "dfg_ref,district,enquiry_date,valid_application_date,completion_date,"
              "grant_amount,status\nBIG,Alpha,01/01/2019,01/02/2019,01/06/2019,31500,Completed\n",
              programme="Testshire")
    with engine.begin() as conn:  # as schema 3 left it: no summary_checks, no reference indexes
        s.summary_checks.drop(conn)
        for index in s.REFERENCE_INDEXES:
            conn.execute(text(f"DROP INDEX {index.name}"))
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value="3"))
    ensure_schema(engine)
    with engine.connect() as conn:
        version = conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version")).scalar()
    assert version == s.SCHEMA_VERSION
    names = {i["name"] for table in ("cases", "dfg", "feedback") for i in inspect(engine).get_indexes(table)}
    assert {index.name for index in s.REFERENCE_INDEXES} <= names
    found = quality.suspicious.__wrapped__(engine, "Testshire", date(2026, 1, 1))
    listed = set(zip(found["check"], found["reference"], strict=True))
    assert ("Grant above the £30,000 mandatory maximum", "BIG") in listed


def test_schema_4_reference_indexes_gain_the_district(programme: Engine) -> None:
    engine = programme
    with engine.begin() as conn:  # as schema 4 left it: reference indexes without the district
        for index in s.REFERENCE_INDEXES:
            conn.execute(text(f"DROP INDEX {index.name}"))
            table, reference = index.table.name, list(index.columns)[1].name
            conn.execute(text(f"CREATE INDEX {index.name} ON {table} (programme_id, {reference})"))
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value="4"))
    ensure_schema(engine)
    indexes = {i["name"]: i["column_names"] for table in ("cases", "dfg", "feedback")
               for i in inspect(engine).get_indexes(table)}
    assert indexes["ix_cases_reference"] == ["programme_id", "case_ref", "district_id"]
    assert indexes["ix_dfg_reference"] == ["programme_id", "dfg_ref", "district_id"]
    assert indexes["ix_feedback_reference"] == ["programme_id", "feedback_ref", "district_id"]


@pytest.mark.parametrize(("stored", "table"), [("5", "sign_outs"), ("6", "meeting_commentary"),
                                               ("9", "savings_workstreams"), ("9", "savings_delivery")])
def test_a_table_added_since_is_created_in_place(programme: Engine, stored: str, table: str) -> None:
    engine = programme
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value=stored))
    ensure_schema(engine)
    assert table in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.execute(select(s.meta.c.value).where(s.meta.c.key == "schema_version")).scalar() == \
            s.SCHEMA_VERSION


def test_schema_7_gains_the_load_indexes(programme: Engine) -> None:
    engine = programme
    with engine.begin() as conn:  # as schema 7 left it: no indexes for a load's own rows
        for index in s.LOAD_INDEXES:
            conn.execute(text(f"DROP INDEX {index.name}"))
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value="7"))
    ensure_schema(engine)
    names = {i["name"] for table in ("cases", "dfg", "satisfaction", "feedback", "summary_checks")
             for i in inspect(engine).get_indexes(table)}
    assert {index.name for index in s.LOAD_INDEXES} <= names
    load_text(engine, "feedback_ref,district,received_date,kind\nF9,Alpha,01/05/2019,Complaint\n",
              programme="Testshire")


def test_schema_8_gains_councils_and_cqc_tables(programme: Engine) -> None:
    """Schema 8 had no council level: its tables are created, programmes stay as they were."""
    engine = programme
    added = ("council_programmes", "cqc_mix", "cqc_ratings", "cqc_locations", "cqc_snapshots",
             "council_contracts", "council_population", "councils")
    with engine.begin() as conn:
        for table in added:
            conn.execute(text(f"DROP TABLE {table}"))
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value="8"))
    ensure_schema(engine)
    assert set(added) <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(select(s.programmes.c.name)).scalars().all() == ["Testshire"]


def test_schema_11_builds_the_care_request_summaries(engine: Engine) -> None:
    """Schema 11 counted the waiting list from every request: the upgrade builds the requests'
    summaries and import index from the requests already loaded, so the figures stay the same."""
    from tests.queries.test_care_kpis import load_care, values

    load_care(engine, grades=False)
    before = values(engine, "2016/17-Q2")
    with engine.begin() as conn:  # as schema 11 left it
        for table in (s.summary_care_requests, s.summary_care_starts):
            table.drop(conn)
        conn.execute(text("DROP INDEX ix_care_requests_import"))
        conn.execute(s.meta.update().where(s.meta.c.key == "schema_version").values(value="11"))
    ensure_schema(engine)
    assert "ix_care_requests_import" in {i["name"] for i in inspect(engine).get_indexes("care_requests")}
    assert repr(values(engine, "2016/17-Q2")) == repr(before)  # repr: nan (no ratings) equals nan
    assert (before[("care_people_waiting", None)], before[("care_days_to_service_median", None)]) == (1, 15)
