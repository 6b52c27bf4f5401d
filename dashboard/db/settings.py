"""How long the dashboard waits for its database, read from the environment in one place.

A database that is down answers at once ("connection refused"); one that is hung (a paused server,
a dead network path) answers never, so every wait has a limit:

* ``DASHBOARD_DB_CONNECT_TIMEOUT`` (5 s): opening a connection, and the pool's "are you still
  there?" check of an idle one.
* ``DASHBOARD_DB_STATEMENT_TIMEOUT`` (30 s): any one statement of a page or a command; PostgreSQL
  cancels it itself (``statement_timeout``), and the client gives up one connect timeout later if
  even the cancel goes unanswered.
* ``DASHBOARD_DB_LOAD_TIMEOUT`` (300 s): each statement of a load's transaction, including the wait
  for another load of the same programme to finish: loads rebuild summaries and may queue.

SQLite is a local file: it cannot hang like a server, and its one wait is for another writer's lock
(``busy_timeout``), which only loads hold for long, so every SQLite connection waits up to
``DASHBOARD_DB_LOAD_TIMEOUT`` for it (readers never wait: the file is in WAL mode).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from dashboard.db.errors import DatabaseConfigError

DEFAULTS = {"DASHBOARD_DB_CONNECT_TIMEOUT": 5.0, "DASHBOARD_DB_STATEMENT_TIMEOUT": 30.0,
            "DASHBOARD_DB_LOAD_TIMEOUT": 300.0}
MOST_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class DatabaseSettings:
    connect_timeout: float  # seconds to open a connection or hear back from a ping
    statement_timeout: float  # seconds per statement for pages and commands
    load_timeout: float  # seconds per statement inside a load, lock wait included

    @property
    def connect_seconds(self) -> int:
        """libpq takes whole seconds (and treats 1 as 2 in older versions)."""
        return max(1, math.ceil(self.connect_timeout))

    def answer_within(self, statement_seconds: float) -> float:
        """The client's own limit for a statement: the server's, plus time for its cancel to arrive."""
        return statement_seconds + self.connect_timeout


def _seconds(name: str) -> float:
    text = os.environ.get(name, "").strip()
    if not text:
        return DEFAULTS[name]
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MOST_SECONDS:  # also refuses nan and inf
        raise DatabaseConfigError(
            f"{name} must be a number of seconds above 0 (e.g. {DEFAULTS[name]:g}), not {text!r}.")
    return value


def database_settings() -> DatabaseSettings:
    """The current settings (read each time: cheap, and tests change the environment)."""
    return DatabaseSettings(connect_timeout=_seconds("DASHBOARD_DB_CONNECT_TIMEOUT"),
                            statement_timeout=_seconds("DASHBOARD_DB_STATEMENT_TIMEOUT"),
                            load_timeout=_seconds("DASHBOARD_DB_LOAD_TIMEOUT"))
