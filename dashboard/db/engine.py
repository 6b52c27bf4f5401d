"""One engine per database URL, with the schema created on first use.

``DATABASE_URL`` selects the database (PostgreSQL in production); without it the product keeps a
SQLite file in ``data/dashboard.sqlite`` beside the code, so ``streamlit run`` works with no setup.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import SQLAlchemyError

from dashboard.db.schema import ADDITIVE_UPGRADES, SCHEMA_VERSION, meta, metadata

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "data" / "dashboard.sqlite"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached or is not ours; the message says which and what to do."""


def database_url() -> str:
    """The configured URL, normalised so ``postgres://`` style URLs from hosting platforms work."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")  # readers (the app) never block the loader
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str) -> Engine:
    """A pooled engine for ``url`` with the schema in place; kept per URL because engines are costly."""
    if url in _ENGINES:
        return _ENGINES[url]
    if url.startswith("sqlite:///") and ":memory:" not in url:
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        ensure_schema(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        raise DatabaseUnavailable(
            f"Cannot open the database at {describe(url)}: "
            f"{' '.join(str(getattr(error, 'orig', None) or error).split()).rstrip('.?')}. "
            "Check DATABASE_URL and that the database server is running."
        ) from error
    _ENGINES[url] = engine
    return engine


def ensure_schema(engine: Engine) -> None:
    """Create missing tables and check the stored schema version matches this code."""
    metadata.create_all(engine)
    with engine.begin() as conn:
        stored = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
        if stored is None:
            conn.execute(meta.insert().values(key="schema_version", value=SCHEMA_VERSION))
            conn.execute(meta.insert().values(key="created_at", value=datetime.now().isoformat()))
        elif stored in ADDITIVE_UPGRADES:  # create_all above has added the new tables
            conn.execute(meta.update().where(meta.c.key == "schema_version").values(value=SCHEMA_VERSION))
        elif stored != SCHEMA_VERSION:
            raise DatabaseUnavailable(
                f"The database has schema version {stored} but this code expects {SCHEMA_VERSION}."
            )


def reset_engines() -> None:
    """Dispose of every engine (tests drop and recreate databases between runs)."""
    for engine in _ENGINES.values():
        engine.dispose()
    _ENGINES.clear()
