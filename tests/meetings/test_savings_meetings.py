"""A savings programme's meetings: its figures are frozen when papers issue, and "what changed"
speaks of its workstreams like any KPI (figures: tests/queries/test_savings_tracker.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from dashboard.meetings.changes import what_changed
from dashboard.meetings.commentary import write_commentary
from dashboard.meetings.meetings import create_meeting, issue_meeting
from dashboard.meetings.snapshots import snapshot_frame
from data_loaders import apply_plan, plan_load
from tests.loaders.test_savings_returns import DELIVERY_HEADER, load_sample
from tests.meetings.cycle import OFFICER


def _issued(engine: Engine, period: str, day: date) -> int:
    meeting_id = create_meeting(OFFICER, "Small savings", day, "board", period, f"Savings board {period}",
                                engine=engine)
    issue_meeting(OFFICER, meeting_id, engine=engine)
    return meeting_id


def test_a_savings_meeting_freezes_its_figures_and_says_what_changed(engine: Engine) -> None:
    load_sample(engine)
    first = _issued(engine, "2019/20-Q1", date(2019, 7, 10))
    frozen = snapshot_frame(first, engine=engine).set_index(["kpi", "period"])
    # Q1 as at month 3: A1 delivered 10,000 against 50,000 x 3/12 = 12,500 to date, forecast 60,000
    # (>= 50,000), High, but 10,000 < 0.9 x 12,500: at risk (amber). Q1 no return: grey.
    assert frozen.loc[("savings:A1", "2019/20-Q1"), ["value", "target", "rag"]].tolist() == [
        10000.0, 12500.0, "amber"]
    assert frozen.loc[("savings:Q1", "2019/20-Q1"), "rag"] == "grey"
    # A corrected month-3 return for A1 arrives after the papers were issued: 12,000 delivered.
    correction = DELIVERY_HEADER + "Small savings,A1,2019/20,3,12000,60000,High\n"
    fixed = plan_load(engine, "", "fix.csv", correction.encode())
    apply_plan(engine, fixed, user="test")
    assert snapshot_frame(first, engine=engine).set_index(["kpi", "period"]).equals(frozen)
    write_commentary(OFFICER, "Small savings", "savings:Q1", None, "2019/20-Q2",
                     "Quality reviews start late; the forecast holds.", None, engine=engine)
    second = create_meeting(OFFICER, "Small savings", date(2019, 10, 10), "board", "2019/20-Q2",
                            "Savings board Q2", engine=engine)
    changes = what_changed("Small savings", second, engine, date(2019, 10, 10))
    # A1 at risk in Q1, on track in Q2 (30,000 >= 22,500; 55,000 >= 50,000; Medium); Q1 no return
    # in Q1 (grey), at risk in Q2 (amber).
    assert {(i["kpi"], i["before"], i["after"]) for i in changes.rag_changes} >= {
        ("savings:A1", "amber", "green"), ("savings:Q1", "grey", "amber")}
    assert ("Workstream A1: savings delivered to date in 2019/20 Q1 was £10,000 when last shown; now "
            "£12,000 (a late or corrected return).") in changes.sentences()
    assert not changes.providers
