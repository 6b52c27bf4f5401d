"""One engine per database URL, with the schema created on first use.

``DATABASE_URL`` selects the database (PostgreSQL in production); without it the product keeps a
SQLite file in ``data/dashboard.sqlite`` beside the code, so ``streamlit run`` works with no setup.

Every wait on the database is limited (``dashboard.db.settings``): connecting, each statement, and
on PostgreSQL each round trip to a server that has stopped answering (``dashboard.db.watchdog``).
Messages never contain the password; see :func:`scrub`.
"""

from __future__ import annotations

import functools
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from dashboard.db.errors import DatabaseConfigError, DatabaseUnavailable
from dashboard.db.schema import (
    ADDITIVE_UPGRADES,
    LOAD_INDEXES,
    REFERENCE_INDEXES,
    SCHEMA_VERSION,
    care_requests,
    meta,
    metadata,
    programmes,
)
from dashboard.db.settings import DatabaseSettings, database_settings
from dashboard.db.summaries import REFERENCE_COLUMN, refresh, refresh_checks

__all__ = ["DatabaseConfigError", "DatabaseUnavailable", "allow_load_time", "database_url",
           "describe", "forget_connections", "get_engine", "reset_engines", "scrub"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "dashboard.sqlite"
EXPECTED = ("expected postgresql+psycopg2://user:password@host:5432/dbname "
            "(or sqlite:///path/to/dashboard.sqlite)")
SUPPORTED = {("postgresql", "psycopg2"), ("sqlite", "pysqlite")}
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}


def database_url() -> str:
    """The configured URL, checked and normalised (``postgres://`` style URLs from hosting platforms
    work). Raises DatabaseConfigError naming DATABASE_URL, never quoting it, when it is unusable."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    return _checked(url)


_NETLOC = re.compile(r"^[^:/?#\s]+://([^/?#\s]*)")


def _userinfo(url: str) -> str | None:
    """What stands before the host's ``@`` (the last one in the address: a password holding an
    unencoded ``@`` would otherwise be split, and its tail taken for the host)."""
    found = _NETLOC.match(url)
    if found is None or "@" not in found.group(1):
        return None
    return found.group(1).rsplit("@", 1)[0]


@functools.lru_cache(maxsize=16)
def _checked(url: str) -> str:
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg2://" + url[len(prefix):]
    userinfo = _userinfo(url)
    if userinfo is not None and "@" in userinfo:
        raise DatabaseConfigError(
            "DATABASE_URL's user name or password holds an '@', which must be written %40 "
            f"(percent-encoded) in a URL: {EXPECTED}.")
    try:
        parsed = make_url(url)
        port = parsed.port
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise DatabaseConfigError(f"DATABASE_URL is not a valid database URL: {EXPECTED}.") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    if (backend, driver) not in SUPPORTED:
        raise DatabaseConfigError(
            f"DATABASE_URL names a database or driver this dashboard does not support "
            f"({parsed.drivername}): {EXPECTED}.")
    if backend == "postgresql":
        if not parsed.database:
            raise DatabaseConfigError(f"DATABASE_URL has no database name: {EXPECTED}.")
        if port is not None and not 0 < port < 65536:
            raise DatabaseConfigError(f"DATABASE_URL has port {port}, which cannot exist: {EXPECTED}.")
    return url


def describe(url: str) -> str:
    """The URL without its password (in the address or as ``?password=``), for operators and the
    server log (never for pages)."""
    userinfo = _userinfo(url)
    if userinfo is not None and "@" in userinfo:  # SQLAlchemy would show the password's tail
        host = url[url.index(userinfo) + len(userinfo) + 1:]
        return f"{url.split('://', 1)[0]}://{userinfo.split(':', 1)[0]}:***@{host}"
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return "DATABASE_URL (not a valid database URL)"
    if any(key.lower().endswith("password") for key in parsed.query):
        parsed = parsed.set(query={key: "***" if key.lower().endswith("password") else value
                                   for key, value in parsed.query.items()})
    return parsed.render_as_string(hide_password=True).replace("%2A%2A%2A", "***")


def _secrets(url: str) -> set[str]:
    """Every spelling of the password a message might contain."""
    found = set()
    # What sits between "user:" and the host's "@", even in a URL SQLAlchemy cannot parse (or
    # would split at an unencoded "@" in the password, which database_url refuses).
    userinfo = _userinfo(url)
    if userinfo is not None and ":" in userinfo:
        found.add(userinfo.split(":", 1)[1])
    if userinfo is None or "@" not in userinfo:
        try:
            password = make_url(url).password
        except (ArgumentError, ValueError):
            password = None
        if password:
            found |= {str(password), quote(str(password), safe=""), quote(str(password))}
    found |= {m for m in re.findall(r"password=([^&\s]+)", url, flags=re.IGNORECASE) if m}
    return found


def scrub(message: object, url: str | None = None) -> str:
    """``message`` on one line, with the configured database password (and, for a URL that cannot
    be parsed, the whole URL) replaced by ``***``: driver messages sometimes quote connection
    settings."""
    result = " ".join(str(message).split())
    raw = os.environ.get("DATABASE_URL", "").strip()
    for source in {u for u in (url, raw) if u}:
        if source in result and len(source) > 3:
            result = result.replace(source, describe(source))
        for secret in sorted(_secrets(source), key=len, reverse=True):
            result = result.replace(secret, "***")
    return result


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")  # readers (the app) never block the loader
    cursor.close()


def _postgres_arguments(url: URL, settings: DatabaseSettings) -> dict[str, Any]:
    """Limits for connecting, for each statement (server side and client side), and keepalives so
    a vanished server host is noticed; a value given in the URL itself is kept."""
    from dashboard.db.watchdog import connection_class  # imports psycopg2 only when it is needed

    given = set(url.query)
    ms = int(settings.statement_timeout * 1000)
    options = " ".join(filter(None, [str(url.query.get("options", "")),
                                     f"-c statement_timeout={ms}"]))
    arguments: dict[str, Any] = {
        "options": options,
        "connection_factory": connection_class(settings.answer_within(settings.statement_timeout),
                                               settings.connect_timeout),
    }
    if "connect_timeout" not in given:
        arguments["connect_timeout"] = settings.connect_seconds
    arguments.update({k: v for k, v in KEEPALIVES.items() if k not in given})
    return arguments


def _forget_load_time(dbapi_connection: Any, record: Any) -> None:
    """Back to the ordinary client-side limit when a connection that ran a load returns to the pool
    (the server-side one was local to the load's transaction)."""
    if dbapi_connection is not None and record.info.pop("load_time", False):
        vars(dbapi_connection).pop("statement_seconds", None)  # the class holds the ordinary one


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str) -> Engine:
    """A pooled engine for ``url`` with the schema in place; kept per URL because engines are costly.

    Raises DatabaseUnavailable (the URL without its password, and the reason) when the database
    cannot be opened, DatabaseConfigError when a setting or the driver is wrong."""
    if url in _ENGINES:
        return _ENGINES[url]
    settings = database_settings()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and ":memory:" not in url:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        if parsed.get_backend_name() == "postgresql":
            engine = create_engine(parsed, pool_pre_ping=True,
                                   connect_args=_postgres_arguments(parsed, settings))
            event.listen(engine, "checkin", _forget_load_time)
        else:
            # SQLite's one limit is how long a writer waits for another's lock (busy_timeout); only
            # loads hold it for long, so every connection waits as long as a load may.
            engine = create_engine(parsed, pool_pre_ping=True,
                                   connect_args={"timeout": settings.load_timeout})
            event.listen(engine, "connect", _sqlite_pragmas)
    except ImportError as error:  # the driver's package is not installed
        raise DatabaseConfigError(
            f"DATABASE_URL needs the Python package {error.name or 'of its driver'}, which is not "
            "installed: pip install -r requirements.txt.") from None
    try:
        ensure_schema(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        raise DatabaseUnavailable(
            f"Cannot open the database at {describe(url)}: {_reason(error, url, settings)}. "
            "Check DATABASE_URL and that the database server is running."
        ) from error
    _ENGINES[url] = engine
    return engine


def _reason(error: SQLAlchemyError, url: str, settings: DatabaseSettings) -> str:
    reason = scrub(getattr(error, "orig", None) or error, url).rstrip(".?")
    if reason.endswith("timeout expired"):
        reason += (f" (no answer within {settings.connect_seconds} s, DASHBOARD_DB_CONNECT_TIMEOUT; "
                   "the server may be hung)")
    return reason


def ensure_schema(engine: Engine) -> None:
    """Create missing tables and check the stored schema version matches this code."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        stored = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if stored is None:
            conn.execute(meta.insert().values(key="schema_version", value=SCHEMA_VERSION))
            conn.execute(meta.insert().values(key="created_at", value=datetime.now().isoformat()))
        elif stored in ADDITIVE_UPGRADES:  # create_all above has added the new tables
            if int(stored) < 5:
                _upgrade_indexes(conn)
            if int(stored) < 4:
                _fill_checks(conn)
            if int(stored) < 8:
                for index in LOAD_INDEXES:
                    index.create(conn, checkfirst=True)
            if int(stored) < 12:
                _fill_care_summaries(conn)
            conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=SCHEMA_VERSION))
        elif stored != SCHEMA_VERSION:
            raise DatabaseUnavailable(
                f"The database has schema version {stored} but this code expects {SCHEMA_VERSION}."
            )


def _upgrade_indexes(conn: Connection) -> None:
    """The reference indexes as this version defines them, on tables that already exist (create_all
    adds indexes only with a new table): schema 4 made them without the district."""
    for index in REFERENCE_INDEXES:
        index.drop(conn, checkfirst=True)
        index.create(conn)


def _fill_checks(conn: Connection) -> None:
    """The records to check, worked out once from the rows already loaded (before schema 4 the
    loader did not keep them)."""
    for programme_id in conn.execute(select(programmes.c.id)).scalars().all():
        for kind in REFERENCE_COLUMN:
            refresh_checks(conn, kind, programme_id, None)


def _fill_care_summaries(conn: Connection) -> None:
    """The care requests' import index and monthly summaries, built once from the requests already
    loaded (before schema 12 the waiting list was counted from every request)."""
    for index in care_requests.indexes:
        index.create(conn, checkfirst=True)
    with_requests = select(care_requests.c.programme_id).distinct()
    for programme_id in conn.execute(with_requests).scalars().all():
        refresh(conn, "care_requests", programme_id)


def allow_load_time(conn: Connection) -> float:
    """Give this transaction the load limit (``DASHBOARD_DB_LOAD_TIMEOUT``) instead of the page one:
    loads rebuild summaries and may queue behind another load. Returns the limit in seconds.

    PostgreSQL: ``statement_timeout`` local to the transaction, and the client-side limit of this
    connection until it returns to the pool. SQLite: every connection already waits this long for
    a lock (set when the engine was made)."""
    if conn.dialect.name != "postgresql":
        return _sqlite_wait(conn)
    settings = database_settings()
    seconds = settings.load_timeout
    conn.execute(select(func.set_config("statement_timeout", str(int(seconds * 1000)), True)))
    fairy = conn.connection
    fairy.info["load_time"] = True
    fairy.dbapi_connection.statement_seconds = settings.answer_within(seconds)
    return seconds


def _sqlite_wait(conn: Connection) -> float:
    """The busy timeout of this SQLite connection, in seconds."""
    return float(conn.exec_driver_sql("PRAGMA busy_timeout").scalar() or 0) / 1000


def forget_connections(url: str) -> None:
    """Close the pooled connections of ``url`` after a failure, so the next attempt opens fresh ones
    instead of pinging each dead one in turn; the engine itself stays, with its schema checked."""
    engine = _ENGINES.get(url)
    if engine is not None:
        engine.dispose()


def reset_engines() -> None:
    """Dispose of every engine (tests drop and recreate databases between runs)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
