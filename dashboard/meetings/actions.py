"""The board's action log: who will do what by when, and whether it is done.

Only "open" and "done" are stored; "overdue" is worked out against the day asked about, so an
action never needs a nightly job to become overdue and a past meeting's view stays reproducible.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd
from sqlalchemy import Engine, insert, or_, select, update

from dashboard.access import audit
from dashboard.access.roles import User, require
from dashboard.db import schema as s
from dashboard.meetings.commentary import clean_text, engine_for, now
from dashboard.queries.programmes import programme_id
from dashboard.queries.registry import get_kpi

Status = Literal["open", "done", "overdue"]
STATUSES: tuple[str, ...] = ("open", "done", "overdue")
OWNER_LENGTH = 200
ACTION_COLUMNS = ["id", "description", "owner", "due_date", "status", "kpi", "meeting_id",
                  "created_by", "created_at", "done_by", "done_at"]


def add_action(user: User, programme: str, description: str, owner: str, due_date: date,
               kpi: str | None = None, meeting_id: int | None = None,
               engine: Engine | None = None) -> int:
    """Record a new open action; returns its id."""
    require(user, "action")
    text = clean_text(description, "action", required=True)
    who = clean_text(owner, "owner", required=True)
    if len(who) > OWNER_LENGTH:
        raise ValueError(f"The owner is longer than {OWNER_LENGTH} characters.")
    if not isinstance(due_date, date):
        raise ValueError("Give the action a due date.")
    kpi_id = None if not kpi else get_kpi(kpi).id
    engine = engine_for(engine)
    pid = programme_id(engine, programme)
    with engine.begin() as conn:
        new = conn.execute(insert(s.actions).values(
            programme_id=pid, description=text, owner=who, due_date=due_date, status="open",
            kpi=kpi_id, meeting_id=meeting_id, created_by=user.actor, created_at=now()))
        action_id = int(new.inserted_primary_key[0])
        audit.record(conn, actor=user.actor, role=user.role.label, action="action",
                     programme=programme, detail=f"action {action_id} added, due {due_date:%Y-%m-%d}")
    return action_id


def _set_status(user: User, action_id: int, status: str, engine: Engine | None) -> None:
    """Move one action to ``status``; a ValueError if there is no such action."""
    require(user, "action")
    engine = engine_for(engine)
    a, p = s.actions.c, s.programmes.c
    done = {"done_by": user.actor, "done_at": now()} if status == "done" else {"done_by": None,
                                                                              "done_at": None}
    with engine.begin() as conn:
        found = conn.execute(select(a.status, p.name).join(s.programmes, p.id == a.programme_id)
                             .where(a.id == int(action_id))).first()
        if found is None:
            raise ValueError(f"There is no action {action_id}.")
        conn.execute(update(s.actions).where(a.id == int(action_id)).values(status=status, **done))
        audit.record(conn, actor=user.actor, role=user.role.label, action="action",
                     programme=found.name, detail=f"action {action_id}: {found.status} -> {status}")


def mark_done(user: User, action_id: int, engine: Engine | None = None) -> None:
    _set_status(user, action_id, "done", engine)


def reopen(user: User, action_id: int, engine: Engine | None = None) -> None:
    _set_status(user, action_id, "open", engine)


def actions_frame(programme: str, today: date, status: Status | None = None,
                  engine: Engine | None = None) -> pd.DataFrame:
    """The programme's actions as at ``today``, soonest due first, with ``overdue`` (open and due
    before ``today``); ``status`` filters to open, done or overdue. As at a past day (a meeting's
    papers) an action agreed at a later meeting is left out."""
    if status is not None and status not in STATUSES:
        raise ValueError(f"Unknown status {status!r}; use one of {', '.join(STATUSES)}.")
    engine = engine_for(engine)
    pid = programme_id(engine, programme)
    a = s.actions.c
    m = s.meetings.c
    query = (select(*(a[name] for name in ACTION_COLUMNS))
             .outerjoin(s.meetings, m.id == a.meeting_id)
             .where(a.programme_id == pid, or_(m.meeting_date.is_(None), m.meeting_date <= today)))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(a.due_date, a.id)).mappings().all()
    frame = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    frame["due_date"] = [d if isinstance(d, date) else date.fromisoformat(str(d)) for d in frame["due_date"]]
    frame["overdue"] = [st == "open" and due < today for st, due in
                        zip(frame["status"], frame["due_date"], strict=True)]
    frame = frame.astype({"overdue": bool})
    if status == "overdue":
        frame = frame[frame["overdue"]]
    elif status is not None:
        frame = frame[frame["status"] == status]
    return frame.reset_index(drop=True)


def action_counts(programme: str, today: date, engine: Engine | None = None) -> tuple[int, int]:
    """(open, overdue) — overdue actions are open ones, so they are counted in both."""
    frame = actions_frame(programme, today, engine=engine)
    return int((frame["status"] == "open").sum()), int(frame["overdue"].sum())
