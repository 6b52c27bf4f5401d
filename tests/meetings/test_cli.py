"""``python -m dashboard.meetings`` end to end, in a subprocess against the test database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]


def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "dashboard.meetings", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_create_issue_list_and_changes(testshire: Engine, db_url: str) -> None:
    made = _cli(db_url, "create", "--programme", "Testshire", "--date", "2019-07-10", "--kind",
                "board", "--period", "2019/20-Q1", "--title", "Board July")
    assert made.returncode == 0, made.stderr
    first = int(made.stdout)
    assert _cli(db_url, "issue", "--meeting", str(first)).returncode == 0
    again = _cli(db_url, "issue", "--meeting", str(first))
    assert again.returncode == 2 and "never change" in again.stderr
    assert "Traceback" not in again.stderr and len(again.stderr.strip().splitlines()) == 1
    second = _cli(db_url, "create", "--programme", "Testshire", "--date", "2019-10-09", "--kind",
                  "board", "--period", "2019/20-Q2", "--title", "Board October")
    listed = _cli(db_url, "list", "--programme", "Testshire")
    assert "Board July" in listed.stdout and "Board October" in listed.stdout
    changes = _cli(db_url, "changes", "--programme", "Testshire", "--json")
    found = json.loads(changes.stdout)
    assert found["meeting_id"] == int(second.stdout) and found["previous_id"] == first
    assert {"rag_changes", "revisions", "spc_changes", "actions", "returns"} <= set(found)
    assert all(isinstance(found[key], list) for key in ("rag_changes", "revisions", "returns"))


def test_bad_input_is_one_line_and_exit_2(testshire: Engine, db_url: str) -> None:
    for args in (("create", "--programme", "Testshire", "--date", "2019-07-10", "--kind", "board",
                  "--period", "2019/20-Q9", "--title", "B"),
                 ("list", "--programme", "Nowhere"), ("issue", "--meeting", "999")):
        result = _cli(db_url, *args)
        assert result.returncode == 2, result
        assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
