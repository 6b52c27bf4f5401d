"""The audit trail as tables: entries filtered by day, person and action, for the admin page and the
``python -m dashboard.audit list`` command.

Times are stored in UTC (see ``dashboard.access.audit``) and shown in UK time; a day filter means a
UK calendar day, midnight to midnight, across the clock changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.access.audit import VerifyResult, verify
from dashboard.db.engine import database_url, get_engine
from dashboard.db.schema import audit_log
from dashboard.queries.cache import cached_query

try:
    UK_TIME: tzinfo = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # no time-zone data on this machine (Windows without tzdata): UTC
    UK_TIME = UTC

COLUMNS = ["id", "at", "actor", "role", "action", "programme", "detail"]
DEFAULT_LIMIT = 500
MAX_LIMIT = 10_000


def _utc(day: date) -> datetime:
    """UK midnight at the start of ``day``, as the naive UTC time the table stores."""
    return datetime.combine(day, time(), UK_TIME).astimezone(UTC).replace(tzinfo=None)


def newest_id(engine: Engine) -> int:
    """Id of the newest audit row (0 when none): the cache key, as sign-ins change no import id."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(audit_log.c.id), 0))).scalar())


def entries_frame(engine: Engine, since: date | None = None, until: date | None = None,
                  actor: str | None = None, action: str | None = None,
                  limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """Columns: id, at (UK time, naive), actor, role, action (code), programme, detail — newest first,
    at most ``limit`` rows; ``since`` and ``until`` are UK days, both included."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT:,}")
    t = audit_log
    conditions = []
    if since is not None:
        conditions.append(t.c.at >= _utc(since))
    if until is not None:
        conditions.append(t.c.at < _utc(until + timedelta(days=1)))
    if actor:
        conditions.append(t.c.actor == actor)
    if action:
        conditions.append(t.c.action == action)
    query = (select(t.c.id, t.c.at, t.c.actor, t.c.role, t.c.action, t.c.programme, t.c.detail)
             .where(*conditions).order_by(t.c.id.desc()).limit(limit))
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=COLUMNS)
    stamps = pd.to_datetime(frame["at"]).dt.tz_localize("UTC").dt.tz_convert(UK_TIME)
    frame["at"] = stamps.dt.tz_localize(None)
    return frame


def actors_list(engine: Engine) -> list[str]:
    """Everyone who appears in the trail, alphabetically (ignoring case)."""
    with engine.connect() as conn:
        names = conn.execute(select(audit_log.c.actor).distinct()).scalars()
        return sorted(names, key=str.casefold)


@cached_query
def _entries(engine: Engine, newest: int, since: date | None, until: date | None, actor: str | None,
             action: str | None, limit: int) -> pd.DataFrame:
    return entries_frame(engine, since, until, actor, action, limit)


@cached_query
def _actors(engine: Engine, newest: int) -> list[str]:
    return actors_list(engine)


def audit_entries(since: date | None = None, until: date | None = None, actor: str | None = None,
                  action: str | None = None, limit: int = DEFAULT_LIMIT) -> pd.DataFrame:
    """:func:`entries_frame` on the configured database, cached until the next audit row."""
    return _entries(newest_id(get_engine(database_url())), since, until, actor, action, limit)


def audit_actors() -> list[str]:
    """:func:`actors_list` on the configured database, cached until the next audit row."""
    return _actors(newest_id(get_engine(database_url())))


def check_chain() -> VerifyResult:
    """The audit chain's verdict, read fresh every time (never cached: it answers "now")."""
    return verify(get_engine(database_url()))
