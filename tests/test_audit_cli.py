"""``python -m dashboard.audit``: exit codes and messages for an intact trail, a broken one and a
database that cannot be used."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from dashboard.access.audit import record_event
from dashboard.cli.audit import main
from dashboard.db.engine import reset_engines
from dashboard.queries.audit import UK_TIME

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def configured(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The CLI pointed at the test database through DATABASE_URL, with three entries."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    for actor, action, detail in [("ann@council.gov.uk", "sign_in", None),
                                  ("bob@council.gov.uk", "load_return", "blaby-cases.csv\n412 rows"),
                                  ("ann@council.gov.uk", "load_return", "hinckley-dfg.csv")]:
        record_event(engine, actor=actor, role="manager", action=action, programme="Lightbulb",
                     detail=detail)
    return engine


def test_verify_intact(configured: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Audit trail intact: 3 rows"
    assert re.search(r"Newest hash: [0-9a-f]{64}", out)


def test_verify_broken_names_the_row(configured: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    with configured.begin() as conn:
        if configured.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        second = conn.execute(text("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1")).scalar()
        conn.execute(text("UPDATE audit_log SET actor = 'carol@council.gov.uk' WHERE id = :id"),
                     {"id": second})
    assert main(["verify"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"Audit trail broken at row {second}: its contents have been changed")


def test_list_filters_and_formats(configured: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--actor", "ann@council.gov.uk", "--action", "load_return"]) == 0
    out = capsys.readouterr().out
    assert "hinckley-dfg.csv" in out and "Loaded a return" in out
    assert "bob@council.gov.uk" not in out and "Signed in" not in out
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", out)  # day first
    assert "1 entry, newest first" in out

    uk_today = datetime.now(UK_TIME).date()  # entries are filtered by UK day, whatever the machine's zone
    assert main(["list", "--since", uk_today.isoformat(), "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "blaby-cases.csv 412 rows" in out  # one line per entry
    assert "2 entries" in out

    assert main(["list", "--since", (uk_today + timedelta(days=1)).isoformat()]) == 0
    assert "No audit entries match." in capsys.readouterr().out


@pytest.mark.parametrize("arguments", [["list", "--since", "01/04/2025"], ["list", "--limit", "0"],
                                       ["list", "--action", "nonsense"], ["rewrite"]])
def test_bad_arguments_exit_2(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    assert stopped.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize("url, says", [
    ("postgresql+psycopg2://auditor:s3cret-word@127.0.0.1:1/audit", "Cannot open the database at"),
    ("nonsense", "not a valid database URL"),
])
def test_database_problems_exit_2_without_password(url: str, says: str, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    reset_engines()
    monkeypatch.setenv("DATABASE_URL", url)
    for command in (["verify"], ["list"]):
        assert main(command) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.startswith("error: ") and says in captured.err
        assert "s3cret-word" not in captured.err and "Traceback" not in captured.err


def test_not_a_database_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "dashboard.sqlite"
    junk.write_bytes(b"this is a spreadsheet, honestly" * 100)
    reset_engines()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{junk}")
    assert main(["verify"]) == 2
    assert "file is not a database" in capsys.readouterr().err


def test_runs_as_a_module(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite'}"}
    done = subprocess.run([sys.executable, "-m", "dashboard.audit", "verify"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip()) == (0, "Audit trail intact: 0 rows")
