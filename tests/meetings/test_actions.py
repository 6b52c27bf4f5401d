"""Actions: open or done is stored, overdue is worked out against the day asked about."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select

from dashboard.access.roles import PermissionDenied, Role, User
from dashboard.db import schema as s
from dashboard.meetings.actions import action_counts, actions_frame, add_action, mark_done, reopen

TODAY = date(2019, 7, 1)
OFFICER = User(name="Olive Officer", email="olive@council.example", role=Role.OFFICER, signed_in=True)
VIEWER = User(name="Vic Viewer", email="vic@council.example", role=Role.VIEWER, signed_in=True)


def test_overdue_on_a_fixed_date(testshire: Engine) -> None:
    late = add_action(OFFICER, "Testshire", "Chase Beta's return", "Ann", date(2019, 6, 30),
                      kpi="avg_days_to_complete", engine=testshire)
    due_today = add_action(OFFICER, "Testshire", "Report on DFGs", "Bob", date(2019, 7, 1),
                           engine=testshire)
    frame = actions_frame("Testshire", TODAY, engine=testshire).set_index("id")
    assert frame.loc[late, "overdue"] and not frame.loc[due_today, "overdue"]
    assert frame.loc[late, "kpi"] == "avg_days_to_complete"
    assert action_counts("Testshire", TODAY, engine=testshire) == (2, 1)
    assert actions_frame("Testshire", TODAY, "overdue", engine=testshire)["id"].tolist() == [late]

    mark_done(OFFICER, late, engine=testshire)
    frame = actions_frame("Testshire", TODAY, engine=testshire).set_index("id")
    assert frame.loc[late, "status"] == "done" and not frame.loc[late, "overdue"]
    assert frame.loc[late, "done_by"] == "olive@council.example"
    assert action_counts("Testshire", TODAY, engine=testshire) == (1, 0)
    assert actions_frame("Testshire", TODAY, "done", engine=testshire)["id"].tolist() == [late]

    reopen(OFFICER, late, engine=testshire)
    assert action_counts("Testshire", TODAY, engine=testshire) == (2, 1)
    with testshire.connect() as conn:
        details = conn.execute(select(s.audit_log.c.detail)
                               .where(s.audit_log.c.action == "action")).scalars().all()
    assert details[-2:] == [f"action {late}: open -> done", f"action {late}: done -> open"]


def test_a_viewer_cannot_add_or_close(testshire: Engine) -> None:
    with pytest.raises(PermissionDenied):
        add_action(VIEWER, "Testshire", "x", "Ann", TODAY, engine=testshire)
    action_id = add_action(OFFICER, "Testshire", "x", "Ann", TODAY, engine=testshire)
    with pytest.raises(PermissionDenied):
        mark_done(VIEWER, action_id, engine=testshire)
    assert actions_frame("Testshire", TODAY, engine=testshire)["status"].tolist() == ["open"]


def test_bad_actions_are_refused(testshire: Engine) -> None:
    with pytest.raises(ValueError, match="Write the action"):
        add_action(OFFICER, "Testshire", " ", "Ann", TODAY, engine=testshire)
    with pytest.raises(ValueError, match="Unknown KPI"):
        add_action(OFFICER, "Testshire", "x", "Ann", TODAY, kpi="nope", engine=testshire)
    with pytest.raises(ValueError, match="no action 999"):
        mark_done(OFFICER, 999, engine=testshire)
    assert actions_frame("Testshire", TODAY, engine=testshire).empty
