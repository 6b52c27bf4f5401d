"""Creating, listing and issuing meetings; the frozen figures; who may do it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError

from dashboard.access.audit import verify
from dashboard.access.roles import PermissionDenied
from dashboard.db import schema as s
from dashboard.meetings.meetings import MeetingError, create_meeting, issue_meeting, list_meetings
from dashboard.meetings.snapshots import PERIODS_BEFORE, snapshot_documents, snapshot_frame
from dashboard.queries.registry import KPI_IDS
from tests.meetings.cycle import MEETING_DAY, OFFICER, VIEWER


def _meeting(engine: Engine, period: str = "2019/20-Q1", kind: str = "board") -> int:
    return create_meeting(OFFICER, "Testshire", MEETING_DAY, kind, period, "Board July", engine=engine)


def test_create_list_and_issue(testshire: Engine) -> None:
    meeting_id = _meeting(testshire)
    listed = list_meetings("Testshire", engine=testshire)
    assert listed[["id", "title", "kind", "period", "status"]].values.tolist() == [
        [meeting_id, "Board July", "board", "2019/20-Q1", "draft"]]
    assert snapshot_frame(meeting_id, engine=testshire).empty
    issue_meeting(OFFICER, meeting_id, engine=testshire)
    row = list_meetings("Testshire", engine=testshire).iloc[0]
    assert (row["status"], row["issued_by"]) == ("issued", OFFICER.actor)
    with testshire.connect() as conn:
        version = conn.execute(select(s.meetings.c.data_version)).scalar()
        newest = conn.execute(select(s.import_log.c.id).order_by(s.import_log.c.id.desc())).first()[0]
        actions = conn.execute(select(s.audit_log.c.action).order_by(s.audit_log.c.id)).scalars().all()
    assert version == newest
    assert actions[-2:] == ["meeting", "issue_meeting"]
    assert verify(testshire).ok
    frozen = snapshot_frame(meeting_id, engine=testshire)
    # Every KPI x (programme + Alpha + Beta) x 12 quarters.
    assert len(frozen) == len(KPI_IDS) * 3 * (PERIODS_BEFORE + 1)
    programme = frozen.set_index(["kpi", "area", "period"])
    # Q1 2019/20 completions: C1 (10 days), C2 (46 days), C4 (30 days) -> 3 cases, 86/3 days.
    assert programme.loc[("cases_completed", 0, "2019/20-Q1"), "value"] == 3
    assert programme.loc[("avg_days_to_complete", 0, "2019/20-Q1"), "value"] == pytest.approx(86 / 3)
    assert programme.loc[("avg_days_to_complete", 0, "2019/20-Q1"), "rag"] == "green"  # target 30
    assert snapshot_documents(meeting_id, engine=testshire) == {"commentary": [], "actions": []}


def test_issuing_twice_is_refused(testshire: Engine) -> None:
    meeting_id = _meeting(testshire)
    issue_meeting(OFFICER, meeting_id, engine=testshire)
    rows = len(snapshot_frame(meeting_id, engine=testshire))
    with pytest.raises(MeetingError, match="issued meetings never change"):
        issue_meeting(OFFICER, meeting_id, engine=testshire)
    assert len(snapshot_frame(meeting_id, engine=testshire)) == rows


@pytest.mark.parametrize(("kind", "period", "title", "message"), [
    ("committee", "2019/20-Q1", "Board", "board or a scrutiny"),
    ("board", "2019/20-Q5", "Board", "2019/20"),
    ("board", "2019/20-Q1", "  ", "needs a title"),
    ("board", "2019/20-Q1", "x" * 201, "at most 200"),
])
def test_bad_input_is_refused(testshire: Engine, kind: str, period: str, title: str,
                              message: str) -> None:
    with pytest.raises(MeetingError, match=message):
        create_meeting(OFFICER, "Testshire", MEETING_DAY, kind, period, title, engine=testshire)
    assert list_meetings("Testshire", engine=testshire).empty


def test_a_viewer_can_neither_create_nor_issue(testshire: Engine) -> None:
    with pytest.raises(PermissionDenied):
        create_meeting(VIEWER, "Testshire", MEETING_DAY, "board", "2019/20-Q1", "B", engine=testshire)
    meeting_id = _meeting(testshire)
    with pytest.raises(PermissionDenied):
        issue_meeting(VIEWER, meeting_id, engine=testshire)
    assert list_meetings("Testshire", engine=testshire)["status"].tolist() == ["draft"]


@pytest.mark.parametrize("statement", [
    "UPDATE snapshot_kpis SET value = 1", "DELETE FROM snapshot_kpis",
    "UPDATE snapshot_documents SET actions = '[]'", "DELETE FROM snapshot_documents",
])
def test_snapshots_are_append_only(testshire: Engine, statement: str) -> None:
    issue_meeting(OFFICER, _meeting(testshire), engine=testshire)
    with pytest.raises(DBAPIError, match="append-only"), testshire.begin() as conn:
        conn.execute(text(statement))


def test_the_snapshot_keeps_actions_as_they_stood(testshire: Engine) -> None:
    with testshire.begin() as conn:
        pid = conn.execute(select(s.programmes.c.id)).scalar()
        conn.execute(s.actions.insert().values(
            programme_id=pid, description="Chase Beta's return", owner="Ann", status="open",
            due_date=date(2019, 8, 1), created_by="test", created_at=date(2019, 7, 1)))
    meeting_id = _meeting(testshire)
    issue_meeting(OFFICER, meeting_id, engine=testshire)
    frozen = snapshot_documents(meeting_id, engine=testshire)["actions"]
    assert [(a["description"], a["status"], a["due_date"]) for a in frozen] == [
        ("Chase Beta's return", "open", "2019-08-01")]
