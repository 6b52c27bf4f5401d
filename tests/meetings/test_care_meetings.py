"""A care-at-home programme's meetings: its KPIs are frozen when papers issue and "what changed"
names them (figures: tests/queries/test_care_kpis.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from dashboard.meetings.changes import what_changed
from dashboard.meetings.meetings import create_meeting, issue_meeting
from dashboard.meetings.snapshots import snapshot_frame
from data_loaders import apply_plan, plan_load
from tests.meetings.cycle import OFFICER
from tests.queries.test_care_kpis import PROGRAMME, load_care


def test_a_care_meeting_freezes_its_kpis_and_a_late_return_is_a_revision(engine: Engine) -> None:
    load_care(engine)
    first = create_meeting(OFFICER, PROGRAMME, date(2016, 9, 15), "board", "2016-08", "Board August 2016",
                           engine=engine)
    issue_meeting(OFFICER, first, engine=engine)
    frozen = snapshot_frame(first, engine=engine).set_index(["kpi", "period"])
    assert frozen.loc[("care_hours_commissioned_weekly", "2016-08"), "value"] == 300
    assert frozen.loc[("care_people_waiting", "2016-08"), "value"] == 2
    # A late return: Zeta's August hours were 20 commissioned, not 10 (310 in all).
    late = plan_load(engine, PROGRAMME, "late.csv", (
        b"provider,month,client_group,hours_commissioned_weekly,hours_delivered_weekly,spend\n"
        b"Zeta Care,2016-08,Mental health,20,7,310\n"))
    apply_plan(engine, late, user="test")
    second = create_meeting(OFFICER, PROGRAMME, date(2016, 10, 15), "board", "2016-09",
                            "Board September 2016", engine=engine)
    changes = what_changed(PROGRAMME, second, engine, date(2016, 10, 15))
    assert ("Care hours commissioned a week in Aug 2016 was 300 when last shown; now 310 (a late or "
            "corrected return).") in changes.sentences()
