"""Database settings: timeouts read and checked, URLs described and scrubbed without the password,
and a load's longer limits given back when its connection returns to the pool."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError

from dashboard.db.engine import database_url, describe, get_engine, reset_engines, scrub
from dashboard.db.errors import DatabaseConfigError
from dashboard.db.settings import database_settings
from tests.db.test_concurrent_loads import cases_return
from tests.loaders.conftest import load_text


def test_timeouts_have_defaults_and_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CONNECT", "STATEMENT", "LOAD"):
        monkeypatch.delenv(f"DASHBOARD_DB_{name}_TIMEOUT", raising=False)
    assert database_settings().connect_timeout == 5 and database_settings().load_timeout == 300
    monkeypatch.setenv("DASHBOARD_DB_STATEMENT_TIMEOUT", "2.5")
    monkeypatch.setenv("DASHBOARD_DB_CONNECT_TIMEOUT", "1.5")
    settings = database_settings()
    assert settings.statement_timeout == 2.5 and settings.connect_seconds == 2
    assert settings.answer_within(settings.statement_timeout) == 4.0


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "soon", "1e9"])
def test_an_unusable_timeout_names_the_setting(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DB_LOAD_TIMEOUT", value)
    with pytest.raises(DatabaseConfigError, match="DASHBOARD_DB_LOAD_TIMEOUT must be a number of seconds"):
        database_settings()


def test_hosting_platform_urls_are_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:pw@db.example:5432/dash")
    assert database_url() == "postgresql+psycopg2://u:pw@db.example:5432/dash"


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql+psycopg2://u:s3cr3t@h:5432/db", "postgresql+psycopg2://u:***@h:5432/db"),
    ("postgresql+psycopg2://u@h/db?password=s3cr3t", "postgresql+psycopg2://u@h/db?password=***"),
    ("not a url s3cr3t", "DATABASE_URL (not a valid database URL)"),
    # An unencoded "@" in the password: the host is after the last "@", not the first.
    ("postgresql+psycopg2://u:p@ss@w0rd@h:5432/db", "postgresql+psycopg2://u:***@h:5432/db"),
])
def test_describe_never_shows_the_password(url: str, shown: str) -> None:
    assert describe(url) == shown


def test_scrub_removes_every_spelling_of_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql+psycopg2://u:s%40cr3t@h/db"  # the password is s@cr3t
    monkeypatch.setenv("DATABASE_URL", url)
    message = f"failed for s@cr3t\nand s%40cr3t, and {url}"
    assert scrub(message) == "failed for *** and ***, and postgresql+psycopg2://u:***@h/db"
    monkeypatch.setenv("DATABASE_URL", "not a url s3cr3t")
    assert scrub("could not parse not a url s3cr3t") == \
        "could not parse DATABASE_URL (not a valid database URL)"


def test_a_load_gives_its_connection_back_with_ordinary_limits(programme: Engine) -> None:
    load_text(programme, cases_return(1, 20, "Open"))
    settings = database_settings()
    with programme.connect() as conn:
        if programme.dialect.name == "sqlite":  # one limit for every connection: a load's
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == settings.load_timeout * 1000
        else:
            shown = conn.exec_driver_sql("SELECT current_setting('statement_timeout')").scalar()
            assert shown == f"{settings.statement_timeout:g}s"
            dbapi = conn.connection.dbapi_connection
            assert dbapi.statement_seconds == settings.answer_within(settings.statement_timeout)


def test_a_slow_statement_is_cancelled_by_the_server(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite has no statement timeout: a local file cannot hang like a server")
    monkeypatch.setenv("DASHBOARD_DB_STATEMENT_TIMEOUT", "1")
    reset_engines()
    started = time.monotonic()
    with get_engine(db_url).connect() as conn, pytest.raises(OperationalError, match="statement timeout"):
        conn.execute(select(func.pg_sleep(3)))
    assert time.monotonic() - started < 2.5


def test_an_unencoded_at_in_the_password_is_refused_without_quoting_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg2://u:p@ss@w0rd@h:5432/db")
    with pytest.raises(DatabaseConfigError, match="must be written %40") as refused:
        database_url()
    assert "w0rd" not in str(refused.value) and "ss@" not in str(refused.value)
    assert scrub("failed: postgresql+psycopg2://u:p@ss@w0rd@h:5432/db") == \
        "failed: postgresql+psycopg2://u:***@h:5432/db"
