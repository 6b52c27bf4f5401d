"""A meeting's papers are as at the meeting: an action due after the meeting is open, not overdue,
however long ago the meeting was; one agreed at a later meeting is not in them at all."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from dashboard.access.roles import Role, User
from dashboard.meetings.actions import add_action
from dashboard.meetings.meetings import create_meeting
from dashboard.packs.make import build_pack
from tests.queries.conftest import testshire  # noqa: F401 - fixture used below

OFFICER = User(name="Olive Officer", email="olive@council.gov.uk", role=Role.OFFICER, signed_in=True)


def test_actions_are_counted_on_the_meeting_day(testshire: Engine) -> None:  # noqa: F811
    july = create_meeting(OFFICER, "Testshire", date(2019, 7, 10), "board", "2019/20-Q1",
                          "Board, 10 July 2019", engine=testshire)
    october = create_meeting(OFFICER, "Testshire", date(2019, 10, 9), "board", "2019/20-Q2",
                             "Board, 9 October 2019", engine=testshire)
    add_action(OFFICER, "Testshire", "Review the DFG backlog", "Ann", date(2019, 9, 30),
               meeting_id=july, engine=testshire)
    add_action(OFFICER, "Testshire", "Chase Beta's June return", "Bob", date(2019, 6, 30),
               engine=testshire)
    add_action(OFFICER, "Testshire", "Agreed in October", "Cat", date(2019, 11, 30),
               meeting_id=october, engine=testshire)
    pack = build_pack("board", "Testshire", meeting_id=july, engine=testshire,
                      today=date(2026, 12, 6))  # made years later: still as at 10 July 2019
    actions = pack.context["actions"]
    assert actions["counts"] == (1, 1, 0)  # open, overdue, done
    assert actions["open"].frame["What is to be done"].tolist() == ["Review the DFG backlog"]
    assert actions["overdue"].frame["What is to be done"].tolist() == ["Chase Beta's June return"]
    later = build_pack("board", "Testshire", meeting_id=october, engine=testshire,
                       today=date(2026, 12, 6))
    assert later.context["actions"]["counts"] == (1, 2, 0)  # by 9 October the backlog is overdue
