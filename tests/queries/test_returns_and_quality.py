"""Submission tracker, import log and data quality, worked by hand from the Testshire fixture."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from dashboard.db import schema as s
from dashboard.db.summaries import REFERENCE_COLUMN, refresh_checks
from dashboard.queries import quality, returns
from tests.loaders.conftest import load_text


def status(frame, district: str, kind: str) -> str:  # noqa: ANN001
    return frame[(frame["district"] == district) & (frame["kind"] == kind)]["status"].iloc[0]


def test_tracker_for_a_quarter(testshire: Engine) -> None:
    before_due = returns.submissions.__wrapped__(testshire, "Testshire", "2019/20-Q1", 10,
                                                 date(2019, 7, 5))
    assert before_due["due"].iloc[0] == date(2019, 7, 10)
    # Every kind covers April-June for both districts, except Beta's finance (none sent).
    assert status(before_due, "Alpha", "cases") == "Received"
    assert status(before_due, "Beta", "feedback") == "Received"
    assert status(before_due, "Alpha", "finance") == "Received"
    assert status(before_due, "Beta", "finance") == "Not yet due"
    after_due = returns.submissions.__wrapped__(testshire, "Testshire", "2019/20-Q1", 10,
                                                date(2019, 7, 11))
    assert status(after_due, "Beta", "finance") == "Overdue"
    # Alpha's cases file covers 1 April to 31 July 2019 (C8 closed 31/07) and has 5 rows.
    row = after_due[(after_due["district"] == "Alpha") & (after_due["kind"] == "cases")].iloc[0]
    assert (row["loads"], row["rows"]) == (1, 5)
    # Nothing covers October-December: everything is overdue by 2020.
    later = returns.submissions.__wrapped__(testshire, "Testshire", "2019/20-Q3", 10,
                                            date(2020, 2, 1))
    assert set(later["status"]) == {"Overdue"}


def test_import_log_by_partner_and_period(testshire: Engine) -> None:
    everything = returns.import_log.__wrapped__(testshire, "Testshire")
    assert len(everything) == 8 and everything["id"].is_monotonic_decreasing
    beta = returns.import_log.__wrapped__(testshire, "Testshire", "Beta")
    assert set(beta["kind"]) == {"targets", "allocations", "cases", "dfg", "satisfaction",
                                 "feedback"}  # no finance lines for Beta
    # A load covers a period when its date span for a district overlaps it. August 2019: Alpha's
    # grants run to 05/08 (D2); targets and allocations span the 2019/20 year; cases end 31/07,
    # feedback 20/06, finance in July, survey answers 21/06.
    august = returns.import_log.__wrapped__(testshire, "Testshire", None, "2019-08")
    assert set(august["kind"]) == {"dfg", "targets", "allocations"}


def test_completeness(testshire: Engine) -> None:
    frame = quality.completeness.__wrapped__(testshire, "Testshire").set_index(
        ["kind", "column", "district"])
    # Alpha's cases: C1, C2, C3, C7, C8. C7 has no worker role; only C2 has an assessment date.
    assert tuple(frame.loc[("cases", "worker_role", "Alpha"), ["rows", "filled"]]) == (5, 4)
    assert tuple(frame.loc[("cases", "assessment_date", "Alpha"), ["rows", "filled"]]) == (5, 1)
    assert frame.loc[("cases", "worker_role", "Beta"), "percent"] == 100
    # Beta's grants D4, D5, D8: only D4 has an amount.
    assert tuple(frame.loc[("dfg", "grant_amount", "Beta"), ["rows", "filled"]]) == (3, 1)


def test_suspicious_records(testshire: Engine) -> None:
    load_text(testshire, "dfg_ref,district,enquiry_date,valid_application_date,completion_date,"
              "grant_amount,status\nBIG,Alpha,01/01/2019,01/02/2019,01/06/2019,\"£31,500\","
              "Completed\nSOON,Beta,01/01/2031,,,,Open\n", programme="Testshire")
    load_text(testshire, "case_ref,district,referral_date,case_type,outcome\n"
              "C1,Beta,01/05/2019,DFG,Open\n", programme="Testshire")  # C1 is also Alpha's
    found = quality.suspicious.__wrapped__(testshire, "Testshire", date(2026, 1, 1))
    listed = set(zip(found["check"], found["reference"], strict=True))
    assert listed == {("Grant above the £30,000 mandatory maximum", "BIG"),
                      ("Date in the future", "SOON"),
                      ("Same reference in more than one district", "C1")}


def _kept_checks(engine: Engine) -> list[tuple]:
    c = s.summary_checks
    with engine.connect() as conn:
        return sorted(conn.execute(select(c.c.district_id, c.c.kind, c.c.check, c.c.reference,
                                          c.c.date)).all())


def test_checks_kept_by_the_loader_match_the_rows_and_follow_corrections(testshire: Engine) -> None:
    """The page reads only the checks the loader keeps: after each load they equal a rebuild from
    every row, a corrected record leaves the list, and a date listed as ahead drops off once past."""
    grant = ("dfg_ref,district,enquiry_date,valid_application_date,completion_date,grant_amount,"
             "status\nBIG,Alpha,01/01/2019,01/02/2019,01/06/2019,{},Completed\n")
    load_text(testshire, grant.format(31500), programme="Testshire")
    load_text(testshire, "feedback_ref,district,received_date,kind\n"
              "AHEAD,Beta,01/03/2030,Compliment\n", programme="Testshire")
    kept = _kept_checks(testshire)
    with testshire.begin() as conn:
        pid = conn.execute(select(s.programmes.c.id)).scalar()
        for kind in REFERENCE_COLUMN:
            refresh_checks(conn, kind, pid, None)
    assert _kept_checks(testshire) == kept
    found = quality.suspicious.__wrapped__(testshire, "Testshire", date(2026, 1, 1))
    assert {("Grant above the £30,000 mandatory maximum", "BIG"), ("Date in the future", "AHEAD")} <= set(
        zip(found["check"], found["reference"], strict=True))
    load_text(testshire, grant.format(13500), programme="Testshire")  # the amount corrected
    later = quality.suspicious.__wrapped__(testshire, "Testshire", date(2030, 6, 1))
    assert not set(later["reference"]) & {"BIG", "AHEAD"}


def test_freshness(testshire: Engine) -> None:
    fresh = quality.freshness.__wrapped__(testshire, "Testshire").set_index("district")
    assert fresh.loc["Alpha", "cases"] == date(2019, 7, 31)  # C8 closed 31/07/2019
    assert fresh.loc["Beta", "dfg"] == date(2019, 6, 20)  # D8 completed 20/06/2019
