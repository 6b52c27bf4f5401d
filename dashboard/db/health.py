"""Telling a database outage from a bug, remembering it for the rest of a page run, and logging it.

A page run that has met a database that is down or hung should not wait on it again: the first
failure is noted (:func:`note_outage`), and later queries in the same run fail at once, or, in the
sidebar only, are answered from the cache (:func:`stale_allowed`). Each failure is logged once as a
structured record on the ``dashboard.database`` logger, one line each, e.g. (wrapped here)::

    2025-06-01T10:00:00 level=ERROR logger=dashboard.database event=database_error where=page:trends
    error=OperationalError duration_s=2.003 database="postgresql+psycopg2://app:***@db:5432/dash"
    message="connection to server at \\"db\\" (10.0.0.5), port 5432 failed: Connection refused"

The database's address is written to this log (for the administrator), never to a page; the
password never appears anywhere.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import sys
import time
from collections.abc import Iterator

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from dashboard.db.engine import database_url, describe, forget_connections, scrub
from dashboard.db.errors import DatabaseConfigError, DatabaseUnavailable

LOG = logging.getLogger("dashboard.database")
OUTAGE_ERRORS: tuple[type[BaseException], ...] = (
    DatabaseUnavailable, OperationalError, InterfaceError, DisconnectionError, PoolTimeout,
    TimeoutError, ConnectionError)

# Per script run (set by begin_run): the failure met so far. None outside a run (commands, tests),
# where nothing is remembered and every query asks the database.
_run: contextvars.ContextVar[dict[str, BaseException | None] | None] = contextvars.ContextVar(
    "database_run", default=None)
_stale_ok: contextvars.ContextVar[bool] = contextvars.ContextVar("stale_ok", default=False)
# Per script run: values worth asking the database for once a run (the data version). None
# outside a run.
_memo: contextvars.ContextVar[dict[str, object] | None] = contextvars.ContextVar(
    "run_memo", default=None)


def is_outage(error: BaseException) -> bool:
    """True for "the database cannot be reached or did not answer", false for bugs (bad SQL, a
    broken constraint), which must surface as errors rather than as "retrying"."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OUTAGE_ERRORS)


def is_config_error(error: BaseException) -> bool:
    """A setting is wrong: retrying cannot help."""
    return isinstance(error, DatabaseConfigError)


def begin_run() -> None:
    """Start remembering failures for this script run, forgetting the previous run's: each run (and
    so each retry) asks the database again."""
    _run.set({"outage": None})
    _stale_ok.set(False)
    _memo.set({})


def run_memo() -> dict[str, object] | None:
    """This run's remembered answers (None outside a run, where nothing is remembered)."""
    return _memo.get()


def outage() -> BaseException | None:
    """The database failure met earlier in this run, if any."""
    run = _run.get()
    return None if run is None else run["outage"]


def note_outage(error: BaseException, where: str, started: float) -> None:
    """Remember ``error`` for the rest of this script run, close the pooled connections (the next
    attempt opens fresh ones rather than waiting on each dead one) and log it once. Outside a run
    (a command) only the connections are closed: the command reports the error itself."""
    run = _run.get()
    if run is not None:
        if run["outage"] is not None:
            return
        run["outage"] = error
    try:
        url = database_url()
    except DatabaseConfigError:
        url = ""
    if url and not is_config_error(error):
        forget_connections(url)
    if run is not None:
        log_failure(error, where, started, url)


@contextlib.contextmanager
def stale_allowed() -> Iterator[None]:
    """Within this block a cached query may answer from the cache when the database does not: for
    the sidebar, so its choices stay while the page says the database is not answering."""
    token = _stale_ok.set(True)
    try:
        yield
    finally:
        _stale_ok.reset(token)


def stale_ok() -> bool:
    return _stale_ok.get()


def _value(value: object) -> str:
    text = str(value)
    return text if text and all(c.isalnum() or c in "._:-/" for c in text) else json.dumps(text)


def record_fields(error: BaseException, where: str, started: float, url: str) -> dict[str, object]:
    """The structured fields of one failure: no password, one line each."""
    original = getattr(error, "orig", None) or error
    return {"event": "database_error", "where": where, "error": type(original).__name__,
            "duration_s": f"{time.monotonic() - started:.3f}",
            "database": describe(url) if url else "DATABASE_URL (not usable)",
            "message": scrub(original, url or None)}


def log_failure(error: BaseException, where: str, started: float, url: str | None = None) -> None:
    """One ERROR record, ``key=value`` (the fields are also on the record as ``db_<key>``)."""
    ensure_log_handler()
    if url is None:
        try:
            url = database_url()
        except DatabaseConfigError:
            url = ""
    fields = record_fields(error, where, started, url)
    LOG.error(" ".join(f"{key}={_value(value)}" for key, value in fields.items()),
              extra={f"db_{key}": value for key, value in fields.items()})


class _KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        stamp = self.formatTime(record, "%Y-%m-%dT%H:%M:%S")
        return f"{stamp} level={record.levelname} logger={record.name} {record.getMessage()}"


def ensure_log_handler() -> None:
    """Write these records to stderr (the server log) unless logging has been set up already:
    Streamlit configures only its own loggers, and Python's fallback would drop the time and level."""
    if LOG.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_KeyValueFormatter())
    LOG.addHandler(handler)
