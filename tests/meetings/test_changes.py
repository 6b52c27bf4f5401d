"""What changed since the last meeting, with every before/after worked out by hand."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from dashboard.figures.periods import Period
from dashboard.meetings.changes import what_changed
from dashboard.meetings.meetings import create_meeting, issue_meeting, list_meetings
from dashboard.meetings.snapshots import snapshot_frame
from tests.loaders.conftest import load_text
from tests.meetings.cycle import CASES_HEADER, OFFICER, SOLO_DAYS, case_rows

# A late return for Testshire, loaded after the Q1 meeting was issued:
#   C9  Beta, referred 01/04/2019, closed 30/04/2019: 29 days, completed in Q1 (a late return);
#   C10 Beta, referred 01/07/2019, closed 11/07/2019: 10 days, completed in Q2.
LATE_RETURN = CASES_HEADER + ("C9,Beta,01/04/2019,30/04/2019,Completed,Housing MOT\n"
                              "C10,Beta,01/07/2019,11/07/2019,Completed,Housing MOT\n")


@pytest.fixture
def solo(engine: Engine) -> Engine:
    """Programme "Solo": one district, one case a quarter (``SOLO_DAYS``)."""
    load_text(engine, "district,code,aliases\nOnly,ONL,\n", name="districts.csv", programme="Solo")
    text = CASES_HEADER + case_rows(SOLO_DAYS, Period(2017, "quarter", 1), "Only", "S")
    load_text(engine, text, name="cases.csv", programme="Solo")
    return engine


def _issued(engine: Engine, programme: str, period: str, day: date) -> int:
    meeting_id = create_meeting(OFFICER, programme, day, "board", period, f"Board {period}",
                                engine=engine)
    issue_meeting(OFFICER, meeting_id, engine=engine)
    return meeting_id


def _kpi_items(items: list[dict], kpi: str) -> dict:
    return {(i["district"], i["period"]): (i["before"], i["after"]) for i in items if i["kpi"] == kpi}


def test_a_late_return_is_a_revision_and_never_changes_the_snapshot(testshire: Engine) -> None:
    first = _issued(testshire, "Testshire", "2019/20-Q1", date(2019, 7, 10))
    frozen = snapshot_frame(first, engine=testshire)
    load_text(testshire, LATE_RETURN, name="beta-late.csv")
    assert snapshot_frame(first, engine=testshire).equals(frozen)
    second = create_meeting(OFFICER, "Testshire", date(2019, 10, 9), "board", "2019/20-Q2",
                            "Board October", engine=testshire)
    draft = what_changed("Testshire", engine=testshire, today=date(2019, 10, 1))
    issue_meeting(OFFICER, second, engine=testshire)
    issued = what_changed("Testshire", second, engine=testshire, today=date(2019, 10, 1))
    for changes in (draft, issued):
        assert (changes.meeting_id, changes.previous_id) == (second, first)
        # Cases completed in Q1 2019/20: Testshire had C1, C2 (Alpha) and C4 (Beta) = 3, Beta 1;
        # C9 makes it 4, Beta 2. Average days: (10 + 46 + 30) / 3 = 28.67 -> (86 + 29) / 4 = 28.75;
        # Beta 30 -> (30 + 29) / 2 = 29.5. Alpha is untouched.
        completed = _kpi_items(changes.revisions, "cases_completed")
        assert completed == {(None, "2019/20-Q1"): (3, 4), ("Beta", "2019/20-Q1"): (1, 2)}
        days = _kpi_items(changes.revisions, "avg_days_to_complete")
        assert days[(None, "2019/20-Q1")] == (pytest.approx(86 / 3), 28.75)
        assert days[("Beta", "2019/20-Q1")] == (30, 29.5)
        # RAG of average days, Beta: Q1 30 days against Beta's 2019/20 target 29 (tolerance 2):
        # amber. Q2: only C10, 10 days: green. Alpha: 28 (Q1) and C3's 11 (Q2) both green.
        rag = _kpi_items(changes.rag_changes, "avg_days_to_complete")
        assert rag == {("Beta", "2019/20-Q2"): ("amber", "green")}
        assert [(r["file"], r["kind"], r["by"]) for r in changes.returns] == [
            ("beta-late.csv", "cases", "test")]
    sentences = issued.sentences()
    assert ("Cases completed in 2019/20 Q1 was 3 when last shown; now 4 "
            "(a late or corrected return).") in sentences
    # The programme first; then each KPI's district changes in one sentence.
    sections = dict(issued.sections())
    assert list(sections)[:2] == ["Whole programme", "Districts, by KPI"]
    assert all(", by district:" not in s for s in sections["Whole programme"])
    assert ("Average days to complete a case, by district: Beta close to target → on target "
            "(2019/20 Q2); Beta in 2019/20 Q1 revised from 30.0 days to 29.5 days (a late or "
            "corrected return).") in sections["Districts, by KPI"]
    assert len([s for s in sections["Districts, by KPI"] if s.startswith("Cases completed")]) == 1
    assert set(json.loads(issued.to_json())) >= {"rag_changes", "revisions", "spc_changes", "actions",
                                          "returns"}


def test_a_special_cause_signal_between_two_issued_meetings(solo: Engine) -> None:
    # Average days per quarter, one case each, 2017/18 Q1 .. 2018/19 Q4: 51, 25, 20, 26, 18, 26,
    # 18, 26. Meeting on 2018/19 Q3 (seven points): mean 184/7 = 26.29, moving ranges 26, 5, 6, 8,
    # 8, 8 -> 10.17 (26 is under 3.267 x 10.17, so none is screened out), limits 26.29 +/- 27.04:
    # nothing outside, 51 alone close to a limit, the six below the mean not yet a run of 7:
    # common cause. Meeting on 2018/19 Q4 (eight points): mean 210/8 = 26.25; the last seven
    # (26 included) are below it, a run of 7, and fewer days is better: special cause improving.
    first = _issued(solo, "Solo", "2018/19-Q3", date(2019, 1, 9))
    second = _issued(solo, "Solo", "2018/19-Q4", date(2019, 4, 10))
    changes = what_changed("Solo", engine=solo, today=date(2019, 4, 10))
    assert (changes.meeting_id, changes.previous_id) == (second, first)
    assert _kpi_items(changes.spc_changes, "avg_days_to_complete") == {
        (None, "2018/19-Q4"): ("common cause", "special cause improving"),
        ("Only", "2018/19-Q4"): ("common cause", "special cause improving"),
    }
    assert changes.revisions == [] and changes.returns == []
    assert ("Average days to complete a case now shows special cause improving (2018/19 Q4)."
            in changes.sentences())


def test_actions_against_a_fixed_today(testshire: Engine) -> None:
    first = _issued(testshire, "Testshire", "2019/20-Q1", date(2019, 7, 10))
    with testshire.connect() as conn:
        issued_at = conn.execute(select(s.meetings.c.issued_at)).scalar()
        pid = conn.execute(select(s.programmes.c.id)).scalar()
    before, after = issued_at - timedelta(days=1), issued_at + timedelta(seconds=5)
    rows = [  # description, status, due, created, done
        ("Done before the meeting", "done", date(2019, 6, 1), before, before),
        ("Completed since", "done", date(2019, 6, 1), before, after),
        ("Overdue", "open", date(2019, 9, 30), before, None),
        ("New since", "open", date(2019, 12, 31), after, None),
        ("Open, not yet due", "open", date(2019, 12, 31), before, None),
    ]
    with testshire.begin() as conn:
        for description, status, due, created, done in rows:
            conn.execute(s.actions.insert().values(
                programme_id=pid, description=description, owner="Ann", status=status,
                due_date=due, created_by="test", created_at=created, done_at=done,
                done_by="test" if done else None))
    create_meeting(OFFICER, "Testshire", date(2019, 10, 9), "board", "2019/20-Q2", "October",
                   engine=testshire)
    changes = what_changed("Testshire", engine=testshire, today=date(2019, 10, 1))
    assert changes.previous_id == first
    assert [(a["description"], a["change"]) for a in changes.actions] == [
        ("Completed since", "completed"), ("Overdue", "overdue"), ("New since", "new")]
    assert "Action overdue: Overdue (Ann, due 30/09/2019)." in changes.sentences()


def test_no_previous_meeting_of_that_kind_means_nothing_to_compare(testshire: Engine) -> None:
    _issued(testshire, "Testshire", "2019/20-Q1", date(2019, 7, 10))
    scrutiny = create_meeting(OFFICER, "Testshire", date(2019, 7, 20), "scrutiny", "2019/20-Q1",
                              "Scrutiny", engine=testshire)
    changes = what_changed("Testshire", engine=testshire)
    assert (changes.meeting_id, changes.previous_id, changes.sentences()) == (scrutiny, None, [])
    assert len(list_meetings("Testshire", engine=testshire)) == 2


def test_provider_quality_moves_between_meetings(testshire: Engine) -> None:
    """Each meeting's CQC file is the newest by its period's end: September's for Q2, November's
    for Q3. Between them 1-2 went from Requires improvement to Good. Rated services (1-5, 1-6 and
    1-8 not yet rated, no ratings file) are 5 both times: Good or Outstanding 2 of 5 = 40.0% →
    3 of 5 = 60.0%; Requires improvement or Inadequate 3 of 5 = 60.0% → 2 of 5 = 40.0%."""
    from dashboard.db.councils import ensure_council, place_programme
    from dashboard.db.programmes import find_programme
    from data_loaders.cqc import load_cqc_file
    from tests.loaders.test_cqc import NOV, NOVEMBER, directory

    september = [r[:] for r in NOVEMBER]
    september[1][9] = "Requires improvement"  # 1-2
    load_cqc_file(testshire, "01_September_2019_HSCA_Active_Locations.ods", directory(september), "t")
    load_cqc_file(testshire, NOV, directory(), "t")
    with testshire.begin() as conn:
        council_id, _created = ensure_council(conn, "Testshire")
        place_programme(conn, find_programme(conn, "Testshire")[0], council_id)
    _issued(testshire, "Testshire", "2019/20-Q2", date(2019, 10, 9))
    second = _issued(testshire, "Testshire", "2019/20-Q3", date(2020, 1, 8))
    changes = what_changed("Testshire", second, engine=testshire, today=date(2020, 1, 8))
    moved = {i["kpi"]: (i["before"], i["after"]) for i in changes.providers}
    assert moved == {"provider_good_or_outstanding_pct": (40.0, 60.0),
                     "provider_ri_or_inadequate_pct": (60.0, 40.0)}
    lines = dict(changes.sections())["Care providers (CQC)"]
    assert ("Services rated Good or Outstanding (Testshire): 40.0% → 60.0% (CQC files of 1 September 2019 "
            "and 1 November 2019).") in lines
    assert lines[-1] == "Services rated by CQC in Testshire since the file of 1 September 2019: 1 improved."
