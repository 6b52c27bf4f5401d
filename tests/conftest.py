"""Shared fixtures: every database test runs once per backend (SQLite and PostgreSQL).

PostgreSQL is reached through ``TEST_DATABASE_URL`` (the README's test command starts a local
server and sets it). Run by hand without it, PostgreSQL cases skip with a reason; under ``CI=true``
a missing server is a failure, never a silent skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine, create_engine, event, text

from dashboard.db.engine import get_engine, reset_engines
from dashboard.db.schema import metadata

FIXTURES = Path(__file__).parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        action="append",
        choices=["sqlite", "postgresql"],
        help="backend(s) to run database tests on (default: both)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = metafunc.config.getoption("--db") or ["sqlite", "postgresql"]
        metafunc.parametrize("backend", chosen, scope="function")


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        message = "PostgreSQL tests need TEST_DATABASE_URL (the README's test command sets it)"
        if IN_CI:
            pytest.fail(message + "; CI=true, so this is not skipped")
        pytest.skip(message)
    return url


def _empty_postgres(url: str) -> None:
    """Drop everything through a plain engine: the product's engine checks the stored schema first,
    and a database left by another version of the code (a newer stamp) must not stop the reset."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    reset_engines()


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database with the schema created, of the backend under test."""
    reset_engines()
    st.cache_data.clear()  # a recreated database can repeat import ids, the cache's version key
    st.cache_resource.clear()
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.sqlite'}"
    else:
        url = _postgres_url()
        _empty_postgres(url)
    get_engine(url)
    yield url
    reset_engines()


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


def table_snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: compare before and after to prove nothing changed."""
    snapshot = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            rows = conn.execute(table.select()).all()
            snapshot[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return snapshot


# The statements that read or write rows (not DDL, PRAGMA or ANALYZE).
DATA_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@contextmanager
def captured_statements(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    """(statement, parameters) of every data statement the engine runs inside the block (the
    first row's parameters for an executemany), so a test can read their plans or their tables."""
    seen: list[tuple[str, object]] = []

    def remember(_conn, _cursor, statement, parameters, _context, many) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith(DATA_STATEMENTS):
            seen.append((statement, parameters[0] if many and isinstance(parameters, list | tuple)
                         else parameters))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", remember)
