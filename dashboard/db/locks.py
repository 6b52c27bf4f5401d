"""One load per programme at a time, so concurrent loads queue instead of failing.

Two loads of the same district at the same moment would each work out inserts and updates from the
rows they saw, then each rebuild the same summary rows: on PostgreSQL one failed with a duplicate
key. A load therefore takes its programme's lock first thing in its transaction, before reading
anything, and keeps it until it commits or rolls back; the next load of that programme waits, then
reads what the first one wrote.

* PostgreSQL: ``pg_advisory_xact_lock(LOAD_LOCK_SPACE, key)``, key from the programme's name in
  lower case (a new programme has no id yet). The two-number form never collides with the audit
  trail's one-number lock; the audit lock is always taken last (``dashboard.access.audit``), after
  this one, so the two cannot deadlock.
* SQLite: a write that changes nothing, which takes the database's single write lock (every
  writer queues there, whatever its programme), waiting up to ``busy_timeout``.

The wait is limited by ``DASHBOARD_DB_LOAD_TIMEOUT``; past it the load gives up with LoadBusy.
"""

from __future__ import annotations

import hashlib
import time

from sqlalchemy import Connection, Integer, false, func, literal, select, update
from sqlalchemy.exc import OperationalError

from dashboard.db.errors import LoadBusy
from dashboard.db.schema import meta

LOAD_LOCK_SPACE = int.from_bytes(b"load", "big")  # first number of the two-number advisory lock
QUERY_CANCELED = "57014"  # PostgreSQL's code when statement_timeout ends a statement


def programme_key(programme: str) -> int:
    """A signed 32-bit number for the programme's name, the same for any spelling of its case."""
    digest = hashlib.sha256(programme.strip().lower().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def lock_programme(conn: Connection, programme: str, limit_seconds: float) -> None:
    """Wait (up to ``limit_seconds``, the transaction's statement limit) until no other load of
    ``programme`` is running, then hold the lock until this transaction ends."""
    started = time.monotonic()
    try:
        if conn.dialect.name == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(
                literal(LOAD_LOCK_SPACE, Integer), literal(programme_key(programme), Integer))))
        elif conn.dialect.name == "sqlite":
            conn.execute(update(meta).where(false()).values(value=meta.c.value))
    except OperationalError as error:
        if not _gave_up_waiting(error):
            raise
        waited = time.monotonic() - started
        raise LoadBusy(
            f"Another load was still being written to the database after {waited:.0f} s "
            f"(the limit, DASHBOARD_DB_LOAD_TIMEOUT, is {limit_seconds:g} s), so this load of "
            f"{programme} gave up. Nothing from it was written: load it again when the other load "
            "has finished.") from error


def _gave_up_waiting(error: OperationalError) -> bool:
    original = error.orig
    if getattr(original, "pgcode", None) == QUERY_CANCELED:
        return True
    return "database is locked" in str(original)
