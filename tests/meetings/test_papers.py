"""Issued papers are kept once, for an issued meeting only, by an officer, and never change."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from dashboard.access.roles import PermissionDenied, Role, User
from dashboard.meetings.meetings import MeetingError, create_meeting, issue_meeting
from dashboard.meetings.papers import keep_papers, kept_papers, sha256_of

OFFICER = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER)
PDF = b"%PDF-1.7\n% a pack\n%%EOF\n"


def _meeting(engine: Engine) -> int:
    return create_meeting(OFFICER, "Testshire", date(2019, 7, 10), "board", "2019/20-Q1",
                          "Board July", engine=engine)


def test_kept_once_with_its_hash(testshire: Engine) -> None:
    meeting = _meeting(testshire)
    with pytest.raises(MeetingError, match="draft"):
        keep_papers(OFFICER, meeting, "board", PDF, 1, engine=testshire)
    issue_meeting(OFFICER, meeting, engine=testshire)
    with pytest.raises(PermissionDenied):
        keep_papers(User(name="Vic", email=None, role=Role.VIEWER), meeting, "board", PDF, 1,
                    engine=testshire)
    with pytest.raises(MeetingError, match="not a PDF"):
        keep_papers(OFFICER, meeting, "board", b"<html>", 1, engine=testshire)
    keep_papers(OFFICER, meeting, "board", PDF, 1, engine=testshire)
    kept = kept_papers(meeting, engine=testshire)
    assert kept.pdf == PDF and kept.sha256 == sha256_of(PDF) and kept.made_by == OFFICER.actor
    with pytest.raises(MeetingError, match="already kept"):
        keep_papers(OFFICER, meeting, "board", PDF + b" ", 1, engine=testshire)
    assert kept_papers(meeting, engine=testshire).pdf == PDF


@pytest.mark.parametrize("statement", ["UPDATE meeting_papers SET sha256 = 'x'",
                                       "DELETE FROM meeting_papers"])
def test_kept_papers_are_append_only(testshire: Engine, statement: str) -> None:
    meeting = _meeting(testshire)
    issue_meeting(OFFICER, meeting, engine=testshire)
    keep_papers(OFFICER, meeting, "board", PDF, 1, engine=testshire)
    with pytest.raises(DBAPIError, match="append-only"), testshire.begin() as conn:
        conn.execute(text(statement))
