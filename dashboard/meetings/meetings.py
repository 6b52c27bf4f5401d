"""Meetings of a programme board or scrutiny committee: create, list and issue.

Issuing freezes the figures the papers show (``dashboard.meetings.snapshots``) in the same
transaction that marks the meeting issued; an issued meeting never changes.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, func, insert, select, update

from dashboard.access import audit
from dashboard.access.roles import User, require
from dashboard.db import schema as s
from dashboard.figures.periods import parse_period
from dashboard.meetings.snapshots import _engine, live_figures, write_snapshot
from dashboard.queries.programmes import programme_id

KINDS = ("board", "scrutiny")
TITLE_LENGTH = 200
MEETING_COLUMNS = ["id", "meeting_date", "title", "kind", "period", "status", "issued_at",
                   "issued_by"]


class MeetingError(ValueError):
    """Bad input for a meeting, or a meeting that may not be changed; the message says which."""


def _checked(kind: str, period: str, title: str) -> tuple[str, str, str]:
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise MeetingError(f"A meeting is a board or a scrutiny meeting, not {kind!r}.")
    try:
        label = parse_period(period).label
    except ValueError as error:
        raise MeetingError(str(error)) from None
    title = title.strip()
    if not title:
        raise MeetingError("A meeting needs a title.")
    if len(title) > TITLE_LENGTH:
        raise MeetingError(f"A meeting title has at most {TITLE_LENGTH} characters; "
                           f"this one has {len(title)}.")
    return kind, label, title


def create_meeting(user: User, programme: str, meeting_date: date, kind: str, period: str,
                   title: str, engine: Engine | None = None) -> int:
    """A new draft meeting; returns its id."""
    require(user, "meeting")
    kind, label, title = _checked(kind, period, title)
    engine = _engine(engine)
    pid = programme_id(engine, programme)
    with engine.begin() as conn:
        meeting_id = conn.execute(insert(s.meetings).values(
            programme_id=pid, meeting_date=meeting_date, title=title, kind=kind, period=label,
            status="draft", created_by=user.actor, created_at=datetime.now(),
        ).returning(s.meetings.c.id)).scalar_one()
        audit.record(conn, actor=user.actor, role=user.role.label, action="meeting",
                     programme=programme.strip(),
                     detail=f"meeting {meeting_id}: {kind} {meeting_date.isoformat()} on {label}")
    return int(meeting_id)


def list_meetings(programme: str, engine: Engine | None = None) -> pd.DataFrame:
    """The programme's meetings, newest first. Columns: ``MEETING_COLUMNS``."""
    engine = _engine(engine)
    pid = programme_id(engine, programme)
    m = s.meetings
    query = (select(*[m.c[name] for name in MEETING_COLUMNS]).where(m.c.programme_id == pid)
             .order_by(m.c.meeting_date.desc(), m.c.id.desc()))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(), columns=MEETING_COLUMNS)


def get_meeting(meeting_id: int, engine: Engine | None = None) -> dict:
    """Every column of one meeting, with its programme's name; MeetingError if there is none."""
    m = s.meetings
    query = (select(m, s.programmes.c.name.label("programme"))
             .join(s.programmes, s.programmes.c.id == m.c.programme_id).where(m.c.id == meeting_id))
    with _engine(engine).connect() as conn:
        row = conn.execute(query).mappings().first()
    if row is None:
        raise MeetingError(f"There is no meeting {meeting_id}.")
    return dict(row)


def _refuse_issued(meeting: dict) -> None:
    if meeting["status"] == "issued":
        raise MeetingError(
            f"Meeting {meeting['id']} was issued on {meeting['issued_at']:%d/%m/%Y %H:%M} by "
            f"{meeting['issued_by']}; issued meetings never change.")


def issue_meeting(user: User, meeting_id: int, engine: Engine | None = None) -> None:
    """Mark the meeting issued and freeze its figures, commentary and actions, in one transaction.

    The figures are worked out first (they read through their own connections); the conditional
    update then makes sure two people issuing at once cannot both succeed.
    """
    require(user, "issue_meeting")
    engine = _engine(engine)
    meeting = get_meeting(meeting_id, engine)
    _refuse_issued(meeting)
    figures = live_figures(engine, meeting["programme"], meeting["period"])
    with engine.begin() as conn:
        version = conn.execute(select(func.max(s.import_log.c.id))).scalar()
        changed = conn.execute(
            update(s.meetings).where(s.meetings.c.id == meeting_id, s.meetings.c.status == "draft")
            .values(status="issued", issued_by=user.actor, issued_at=datetime.now(),
                    data_version=version)
        ).rowcount
        if changed != 1:  # issued by someone else since it was read: the block rolls back
            raise MeetingError(f"Meeting {meeting_id} has just been issued by someone else; "
                               "issued meetings never change.")
        write_snapshot(conn, meeting_id, meeting["programme_id"], figures)
        audit.record(conn, actor=user.actor, role=user.role.label, action="issue_meeting",
                     programme=meeting["programme"],
                     detail=f"meeting {meeting_id}: {len(figures)} figures, data version {version}")
