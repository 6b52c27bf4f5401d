"""Shared fixtures: every database test runs once per backend (SQLite and PostgreSQL).

PostgreSQL is reached through ``TEST_DATABASE_URL`` (the README's test command starts a local
server and sets it). Run by hand without it, PostgreSQL cases skip with a reason; under ``CI=true``
a missing server is a failure, never a silent skip.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import URL, Engine, create_engine, event, make_url, text

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


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``pytest -n`` (the README's command), the browser tests share one worker and its one
    ``streamlit run`` server, loaded with the sample once; the other worker takes the rest."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.xdist_group("browser"))


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
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return url if worker is None else _worker_database(url, worker)


@functools.cache
def _worker_database(url: str, worker: str) -> str:
    """``url``'s database with the worker's name added, made afresh once per run: each parallel
    worker (pytest -n) empties and fills a database of its own."""
    given = make_url(url)
    own = given.set(database=f"{given.database}_{worker}")
    recreate_database(own)
    return own.render_as_string(hide_password=False)


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


_FILLED: dict[tuple[str, str], str] = {}  # (backend, name) -> the URL of its filled template


def filled_copy(db_url: str, name: str, fill: Callable[[Engine], object],
                folder: Path) -> Engine:
    """The test's database replaced by a copy of one that ``fill`` filled once this session: the
    sample takes seconds to load and tests that start from it need not load it each time. Each
    test still has a database of its own to write to. ``folder`` holds SQLite templates."""
    url = make_url(db_url)
    template = _FILLED.get((url.get_backend_name(), name))
    if template is None:
        if url.get_backend_name() == "sqlite":
            template = url.set(database=str(folder / f"{name}.sqlite"))
        else:
            template = url.set(database=f"{url.database}_{name}")
            recreate_database(template)
        template = template.render_as_string(hide_password=False)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DATABASE_URL", template)
            fill(get_engine(template))
        _FILLED[(url.get_backend_name(), name)] = template
    reset_engines()  # no connection may stay open on either database while it is copied
    if url.get_backend_name() == "sqlite":
        for leftover in (Path(f"{url.database}-wal"), Path(f"{url.database}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(make_url(template).database, url.database)
    else:
        recreate_database(url, template=make_url(template).database)
    return get_engine(db_url)


@pytest.fixture
def filled(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Engine]:
    """``filled(name, fill)``: the test's database, a copy of one ``fill`` filled once."""
    folder = tmp_path_factory.getbasetemp() / "filled"
    folder.mkdir(exist_ok=True)
    return lambda name, fill: filled_copy(db_url, name, fill, folder)


def recreate_database(url: str | URL, template: str | None = None, drop_only: bool = False) -> None:
    """``url``'s PostgreSQL database dropped (its connections closed) and made again, empty or as
    a copy of ``template``: each worker, filled copy and scale-out run starts on one of its own."""
    url = make_url(url)
    statements = [f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)']
    if not drop_only:
        statements.append(f'CREATE DATABASE "{url.database}"'
                          + (f' TEMPLATE "{template}"' if template else ""))
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                           connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


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
