"""A client-side limit on every PostgreSQL round trip, for servers that stop answering.

PostgreSQL's ``statement_timeout`` cancels slow statements, and libpq's ``connect_timeout`` limits
connecting, but nothing limits a round trip on an open connection to a server that has stopped
answering (a paused or hung server, whose operating system still acknowledges every packet, so TCP
keepalives see nothing wrong): the page stays on "Running..." for ever. So every statement,
commit and rollback is timed here: if no answer comes within its limit, one watchdog thread shuts
the connection's socket down. libpq then fails at once ("server closed the connection"), psycopg2
marks the connection closed, and SQLAlchemy discards it and the pool's other connections.

This works on ordinary blocking connections, so ``COPY`` and everything else psycopg2 offers still
works (psycopg2's "green" wait callback would also bound waits, but refuses ``COPY``).
"""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import psycopg2
import psycopg2.extensions

T = TypeVar("T")
PING = "SELECT 1"  # what SQLAlchemy's pool_pre_ping sends: it gets the short, connect-time limit


class DatabaseNotAnswering(psycopg2.OperationalError):
    """The server did not answer within the limit; the connection has been closed."""


class _Watchdog:
    """One daemon thread that shuts down the socket of any round trip past its deadline."""

    def __init__(self) -> None:
        self._armed: dict[int, tuple[float, int]] = {}  # token -> (deadline, socket fd)
        self._fired: set[int] = set()
        self._next = 0
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None

    def arm(self, fd: int, seconds: float) -> int:
        with self._condition:
            self._next += 1
            self._armed[self._next] = (time.monotonic() + seconds, fd)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="database-watchdog",
                                                daemon=True)
                self._thread.start()
            self._condition.notify()
            return self._next

    def disarm(self, token: int) -> bool:
        """Stop watching; True if the watchdog had already shut the connection down."""
        with self._condition:
            self._armed.pop(token, None)
            if token in self._fired:
                self._fired.discard(token)
                return True
            return False

    def _watch(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                for token, (deadline, fd) in list(self._armed.items()):
                    if deadline <= now:
                        del self._armed[token]
                        self._fired.add(token)
                        _shut_down(fd)
                soonest = min((deadline for deadline, _ in self._armed.values()), default=None)
                self._condition.wait(None if soonest is None else max(0.0, soonest - now))


def _shut_down(fd: int) -> None:
    """Wake the thread blocked on ``fd``: shutdown acts on the socket, the duplicate is then closed."""
    try:
        with socket.socket(fileno=os.dup(fd)) as sock:
            sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: nothing is waiting on it


WATCHDOG = _Watchdog()


def _timed(conn: psycopg2.extensions.connection, seconds: float, call: Callable[..., T],
           *args: Any, **kwargs: Any) -> T:
    try:
        fd = conn.fileno()
    except psycopg2.Error:  # closed: let psycopg2 say so
        return call(*args, **kwargs)
    token = WATCHDOG.arm(fd, seconds)
    fired = False
    try:
        return call(*args, **kwargs)
    except psycopg2.Error as error:
        fired = WATCHDOG.disarm(token)
        if fired:
            raise DatabaseNotAnswering(
                f"the database server did not answer within {seconds:g} s") from error
        raise
    finally:
        if not fired:
            WATCHDOG.disarm(token)


class WatchedCursor(psycopg2.extensions.cursor):
    """A cursor whose every round trip has a deadline (see the module docstring)."""

    def _limit(self, query: object) -> float:
        conn = self.connection
        if isinstance(query, str) and query.strip() == PING:
            return conn.ping_seconds
        return conn.statement_seconds

    def execute(self, query: Any, vars: Any = None) -> None:  # noqa: A002 - psycopg2's name
        return _timed(self.connection, self._limit(query), super().execute, query, vars)

    def executemany(self, query: Any, vars_list: Any) -> None:
        return _timed(self.connection, self._limit(query), super().executemany, query, vars_list)

    def callproc(self, procname: Any, parameters: Any = None) -> Any:
        return _timed(self.connection, self.connection.statement_seconds, super().callproc,
                      procname, parameters)

    def copy_expert(self, sql: Any, file: Any, size: int = 8192) -> None:
        return _timed(self.connection, self.connection.statement_seconds, super().copy_expert,
                      sql, file, size)


class WatchedConnection(psycopg2.extensions.connection):
    """Cursors, commits and rollbacks with deadlines; subclasses made by :func:`connection_class`
    set the limits, and a load may raise ``statement_seconds`` on one connection for a while."""

    statement_seconds: float = 60.0
    ping_seconds: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cursor_factory = WatchedCursor

    def commit(self) -> None:
        return _timed(self, self.statement_seconds, super().commit)

    def rollback(self) -> None:
        return _timed(self, self.statement_seconds, super().rollback)


@functools.cache
def connection_class(statement_seconds: float, ping_seconds: float) -> type[WatchedConnection]:
    """The connection class for these limits (psycopg2's ``connection_factory``)."""
    return type("WatchedConnection", (WatchedConnection,),
                {"statement_seconds": statement_seconds, "ping_seconds": ping_seconds})
