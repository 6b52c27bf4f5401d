"""The dashboard and its commands when the database is down, hung, or wrongly configured.

Down and hung databases are a private PostgreSQL server this session starts, stops and pauses
(tests/db/conftest.py), never the shared one. Every check also asserts that no password appears.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from streamlit.testing.v1 import AppTest

from dashboard.cli import audit
from dashboard.cli import kpi as kpi_cli
from dashboard.db import schema as s
from dashboard.db.engine import get_engine, reset_engines
from data_loaders import cli
from tests.conftest import FIXTURES
from tests.db import conftest as db_conftest
from tests.db.conftest import ENTRY, FAST_TIMEOUTS, PASSWORD, ROOT, PrivatePostgres

NOT_ANSWERING = "The database is not answering; retrying"
CANNOT_REACH = ("The dashboard cannot reach its database. The administrator can find the details in "
                "the server log.")
CASES = str(FIXTURES / "kpis" / "cases.csv")
COMMANDS = {
    "loader": ["-m", "data_loaders", "check", "--programme", "Testshire", CASES],
    "kpis": ["-m", "dashboard.kpi_cli", "--programme", "Testshire", "--period", "2019/20-Q1"],
    "audit": ["-m", "dashboard.audit", "verify"],
}


def open_app() -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.query_params.update({"programme": "Testshire", "grain": "Quarter",
                            "period_quarter": "2019/20 Q1"})
    at.run()
    return at


def text_of(elements: object) -> str:
    return "\n".join(str(e.value) for e in elements)  # type: ignore[attr-defined]


def shows_figures(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert NOT_ANSWERING not in text_of(at.warning)
    assert {m.label for m in at.metric} >= {"Average days to complete a case"}


def shows_not_answering(at: AppTest) -> None:
    """The message in place of the page; the sidebar's filters and the navigation still there."""
    assert not at.exception, [e.value for e in at.exception]
    assert NOT_ANSWERING in text_of(at.warning)
    assert not at.metric
    assert at.sidebar.selectbox(key="programme").value == "Testshire"
    assert at.sidebar.segmented_control(key="grain").value == "Quarter"


def failure_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "dashboard.database"]


def test_a_stopped_database_shows_a_message_keeps_the_sidebar_and_recovers(
    private_db: PrivatePostgres, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="dashboard.database")
    at = open_app()
    shows_figures(at)
    private_db.stop()
    try:
        started = time.monotonic()
        at.run()
        shows_not_answering(at)
        assert time.monotonic() - started < 10
        at.run()  # still down: still the message, no exception
        shows_not_answering(at)
    finally:
        private_db.start()
    at.run()  # the same session, the same server process: the figures come back by themselves
    shows_figures(at)
    records = failure_records(caplog)
    assert records and all(r.levelname == "ERROR" for r in records)
    first = records[0]
    assert first.db_where in {"sidebar", "filters", "query"} and first.db_error == "OperationalError"
    assert float(first.db_duration_s) >= 0 and f"127.0.0.1:{private_db.port}" in first.db_database
    assert "event=database_error" in first.getMessage() and "error=OperationalError" in first.getMessage()
    assert PASSWORD not in caplog.text and "postgres:***@" in caplog.text


def test_a_paused_database_gives_the_message_within_the_timeouts(
    private_db: PrivatePostgres, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="dashboard.database")
    at = open_app()
    shows_figures(at)
    private_db.pause()
    try:
        started = time.monotonic()
        at.run()
        took = time.monotonic() - started
        shows_not_answering(at)
        # A ping of a pooled connection (2 s) and a fresh connection (2 s), then nothing more.
        assert took < 10, took
    finally:
        private_db.resume()
    at.run()
    shows_figures(at)
    assert any("did not answer within" in r.db_message or "timeout expired" in r.db_message
               for r in failure_records(caplog))
    assert PASSWORD not in caplog.text


def test_the_first_start_without_a_database_says_so_and_retries(
    private_db: PrivatePostgres, caplog: pytest.LogCaptureFixture,
) -> None:
    """No engine yet (a fresh server process) and the database down: the generic message, then
    the figures once it is back, in the same session."""
    caplog.set_level(logging.ERROR, logger="dashboard.database")
    private_db.stop()
    reset_engines()
    st.cache_resource.clear()
    try:
        at = open_app()
        assert not at.exception
        assert CANNOT_REACH in text_of(at.error).replace("*", "")
        assert "127.0.0.1" not in str(at) and str(private_db.port) not in text_of(at.error)
        assert any("Trying again" in c.value for c in at.caption)
    finally:
        private_db.start()
    at.run()
    shows_figures(at)
    assert any(r.db_where == "start-up" for r in failure_records(caplog))


Finished = dict[str, tuple[subprocess.CompletedProcess, float]]


def run_commands(names: list[str], url: str, **env: str) -> Finished:
    """Run the commands side by side (each starts Python afresh); output and seconds taken."""
    started = time.monotonic()
    environment = {**os.environ, **FAST_TIMEOUTS, **env, "DATABASE_URL": url}
    running = {name: subprocess.Popen([sys.executable, *COMMANDS[name]], cwd=ROOT, text=True,
                                      env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for name in names}
    finished = {}
    for name, process in running.items():
        stdout, stderr = process.communicate(timeout=60)
        done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        finished[name] = (done, time.monotonic() - started)
    return finished


def run_command(name: str, url: str, **env: str) -> tuple[subprocess.CompletedProcess, float]:
    return run_commands([name], url, **env)[name]


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert PASSWORD not in done.stderr
    return lines[0]


def test_commands_give_up_on_a_paused_database_within_the_timeouts(private_db: PrivatePostgres) -> None:
    private_db.pause()
    try:
        finished = run_commands(list(COMMANDS), private_db.url)
    finally:
        private_db.resume()
    for name, (done, took) in finished.items():
        line = one_line_error(done)
        assert took < 15, (name, took)
        assert f"127.0.0.1:{private_db.port}" in line and "DASHBOARD_DB_CONNECT_TIMEOUT" in line


def test_commands_on_a_stopped_database(private_db: PrivatePostgres) -> None:
    private_db.stop()
    try:
        finished = run_commands(list(COMMANDS), private_db.url)
    finally:
        private_db.start()
    for name, (done, took) in finished.items():
        line = one_line_error(done)
        assert "Connection refused" in line and "Check DATABASE_URL" in line and took < 15, name


BAD_URLS = {
    "password in the netloc, unknown host": "postgresql://u:s3cr3t@h/db",
    "host in the query": "postgresql://u:s3cr3t@/db?host=x",
    "password in the query": "postgresql://u@h/db?password=s3cr3t&sslmode=disable",
    "not a URL": "not a url s3cr3t",
    "unsupported database": "mysql://u:s3cr3t@h/db",
    "unknown driver": "postgresql+nodriver://u:s3cr3t@h/db",
    "empty host": "postgresql://u:s3cr3t@/db",
    "port not a number": "postgresql://u:s3cr3t@h:5x/db",
    "no database name": "postgresql://u:s3cr3t@h:5432",
}


MAINS = {"loader": cli.main, "kpis": kpi_cli.main, "audit": audit.main}


@pytest.mark.parametrize("url", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_a_bad_database_url_is_one_line_naming_the_setting(
    url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """Each command's ``main``, in this process to keep the test fast (the ``python -m`` path is
    what the paused and stopped database tests run)."""
    monkeypatch.setenv("DATABASE_URL", url)
    for name, main in MAINS.items():
        reset_engines()
        code = main(COMMANDS[name][2:])
        captured = capsys.readouterr()
        line = one_line_error(subprocess.CompletedProcess([name], code, captured.out, captured.err))
        assert "DATABASE_URL" in line and "s3cr3t" not in line, line


def test_a_missing_driver_package_is_named_without_the_password() -> None:
    blocked = ("import runpy, sys; sys.modules['psycopg2'] = None; "
               "runpy.run_module('data_loaders', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", blocked, "check", "--programme", "X", CASES],
                          cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DATABASE_URL": "postgresql://u:s3cr3t@h/db"})
    line = one_line_error(done)
    assert "DATABASE_URL needs the Python package psycopg2" in line and "s3cr3t" not in line


@pytest.mark.parametrize("url", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_a_bad_database_url_shows_visitors_nothing_of_the_database(
    url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="dashboard.database")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DASHBOARD_DB_CONNECT_TIMEOUT", "2")
    reset_engines()
    st.cache_resource.clear()
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.run()
    assert not at.exception
    page = str(at)
    assert CANNOT_REACH in text_of(at.error).replace("*", "")
    for detail in ("s3cr3t", "u:", "@h", "/db", "mysql", "5432"):
        assert detail not in page, detail
    records = failure_records(caplog)
    assert records and records[0].db_where == "start-up"
    assert "DATABASE_URL" in caplog.text or "Cannot open the database at" in caplog.text
    assert "s3cr3t" not in caplog.text


def test_a_bad_timeout_setting_is_named(tmp_path: Path) -> None:
    done, _ = run_command("audit", f"sqlite:///{tmp_path / 'unused.sqlite'}",
                          DASHBOARD_DB_STATEMENT_TIMEOUT="soon")
    line = one_line_error(done)
    assert "DASHBOARD_DB_STATEMENT_TIMEOUT must be a number of seconds" in line


def test_a_statement_to_a_server_that_stops_answering_gives_up(private_db: PrivatePostgres) -> None:
    """Not the pool's ping: a query on a connection already in use when the server hangs. The
    server cannot cancel it, so the client's limit does (statement 2 s + connect 2 s)."""
    engine = get_engine(private_db.url)
    with engine.connect() as conn:
        conn.execute(select(1))
        private_db.pause()
        started = time.monotonic()
        try:
            with pytest.raises(OperationalError, match="did not answer within 4 s") as failed:
                conn.execute(select(func.count()).select_from(s.cases))
        finally:
            private_db.resume()
        assert 3.5 < time.monotonic() - started < 8
        assert failed.value.connection_invalidated  # the pool drops it and its other connections
    with engine.connect() as conn:  # and the next use simply works
        assert conn.execute(select(func.count()).select_from(s.cases)).scalar() == 8


def test_a_pause_is_ended_only_by_its_own_backstop(private_db: PrivatePostgres,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The backstop that resumes a forgotten pause must not end a later one: a stale timer that
    fired during the next test's pause let its hung query be answered (seen under pytest -n)."""
    monkeypatch.setattr(db_conftest, "PAUSE_AT_MOST", 0.5)
    private_db.pause()
    private_db.resume()  # the test that paused resumes in time; its backstop must go with it
    monkeypatch.setattr(db_conftest, "PAUSE_AT_MOST", 30.0)
    private_db.pause()
    try:
        time.sleep(1.5)  # past the first backstop
        assert private_db.paused and all(_state(pid) == "T" for pid in private_db.paused)
    finally:
        private_db.resume()


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
