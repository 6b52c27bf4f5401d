"""``python -m data_loaders`` as a user runs it: output, exit codes, and what it writes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from tests.conftest import FIXTURES, table_snapshot

ROOT = Path(__file__).resolve().parents[2]
KPIS = FIXTURES / "kpis"


def run(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "data_loaders", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def count(engine: Engine, table) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def test_load_puts_districts_first_and_exits_zero(db_url: str, engine: Engine) -> None:
    done = run(db_url, "load", "--programme", "Testshire", str(KPIS / "cases.csv"),
               str(KPIS / "districts.csv"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.index("districts.csv") < done.stdout.index("cases.csv")
    assert "8 inserted" in done.stdout
    assert count(engine, s.cases) == 8
    with engine.connect() as conn:  # each load is in the audit trail, marked as from here
        trail = conn.execute(select(s.audit_log.c.role, s.audit_log.c.action, s.audit_log.c.detail)
                             .order_by(s.audit_log.c.id)).all()
    assert [(r.role, r.action) for r in trail] == [("command line", "load_return")] * 2
    assert "cases.csv (cases), sha256 " in trail[1].detail


def test_rejected_file_lists_problems_writes_report_and_exits_one(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    run(db_url, "load", "--programme", "Testshire", str(KPIS / "districts.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("case_ref,district,referral_date,case_type,outcome\n"
                   "C1,Gamma,01/04/2019,DFG,Open\nC2,Alpha,06/13/2019,DFG,Open\n")
    before = table_snapshot(engine)
    report = tmp_path / "problems.csv"
    done = run(db_url, "load", "--programme", "Testshire", str(bad), "--report", str(report))
    assert done.returncode == 1
    assert "Gamma" in done.stdout and "there is no month 13" in done.stdout
    assert "nothing from them was written" in done.stdout
    assert table_snapshot(engine) == before
    assert report.read_text(encoding="utf-8-sig").splitlines()[0] == "row,column,value,reason,file"


def test_the_problems_report_neutralises_formula_cells(db_url: str, engine: Engine,
                                                       tmp_path: Path) -> None:
    run(db_url, "load", "--programme", "Testshire", str(KPIS / "districts.csv"))
    bad = tmp_path / "bad.csv"
    bad.write_text("case_ref,district,referral_date,case_type,outcome\n"
                   'C1,"=HYPERLINK(""http://evil.example"",""x"")",01/04/2019,DFG,Open\n'
                   "C2,@SUM(A1),02/04/2019,DFG,Open\n")
    report = tmp_path / "problems.csv"
    done = run(db_url, "check", "--programme", "Testshire", str(bad), "--report", str(report))
    assert done.returncode == 1
    with report.open(encoding="utf-8-sig", newline="") as handle:
        values = [row["value"] for row in csv.DictReader(handle)]
    assert values and all(v.startswith("'") for v in values if v[:1] in "'=@+-"), values
    assert any(v.startswith("'=HYPERLINK") for v in values) and any(v.startswith("'@SUM") for v in values)


def test_dry_run_and_check_write_nothing(db_url: str, engine: Engine) -> None:
    run(db_url, "load", "--programme", "Testshire", str(KPIS / "districts.csv"))
    before = table_snapshot(engine)
    for args in (("load", "--dry-run"), ("check",)):
        done = run(db_url, *args, "--programme", "Testshire", str(KPIS / "cases.csv"))
        assert done.returncode == 0
        assert "8 to insert" in done.stdout
    assert table_snapshot(engine) == before


def test_unreachable_database_is_one_clear_line() -> None:
    done = run("postgresql+psycopg2://postgres:secret@127.0.0.1:1/nowhere", "check",
               "--programme", "X", str(KPIS / "cases.csv"))
    assert done.returncode == 2
    assert "Cannot open the database at postgresql+psycopg2://postgres:***@127.0.0.1:1/nowhere" \
        in done.stderr
    assert "secret" not in done.stderr and "Traceback" not in done.stderr


def test_seed_loads_each_programme_folder(db_url: str, engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "samples" / "Testshire"
    folder.mkdir(parents=True)
    for kind in ("districts", "cases", "targets"):
        (folder / f"{kind}.csv").write_text((KPIS / f"{kind}.csv").read_text())
    done = run(db_url, "seed", "--folder", str(tmp_path / "samples"))
    assert done.returncode == 0, done.stderr
    assert count(engine, s.cases) == 8 and count(engine, s.targets) == 2
    with engine.connect() as conn:  # every file on the audit trail, as any load is
        trail = conn.execute(select(s.audit_log.c.role, s.audit_log.c.action, s.audit_log.c.detail)
                             .order_by(s.audit_log.c.id)).all()
    assert [(r.role, r.action) for r in trail] == [("sample data", "load_return"), ("sample data", "target"),
                                                   ("sample data", "load_return")]
    assert [r.detail.split(": ")[1].split(" ")[0] for r in trail] == ["districts.csv", "targets.csv",
                                                                      "cases.csv"]


def test_a_load_compares_its_rows_once(db_url: str, engine: Engine) -> None:
    """A load checks every row, then compares them with the database once, inside its lock (a
    preview first would compare them twice: a second of a 100,000-row load)."""
    run(db_url, "load", "--programme", "Testshire", str(KPIS / "districts.csv"))
    done = run(db_url, "load", "--programme", "Testshire", str(KPIS / "cases.csv"))
    assert done.returncode == 0
    assert "cases.csv (cases): 8 rows checked" in done.stdout
    assert "8 inserted, 0 updated, 0 unchanged" in done.stdout and "to insert" not in done.stdout


def test_council_puts_the_programme_under_it(db_url: str, engine: Engine) -> None:
    """``--council`` creates the council if new and places the programme; without it the
    programme works on its own, as before."""
    alone = run(db_url, "load", "--programme", "Testshire", str(KPIS / "districts.csv"))
    assert alone.returncode == 0, alone.stdout + alone.stderr
    assert count(engine, s.councils) == 0
    done = run(db_url, "load", "--council", " Testshire  County", "--programme", "Testshire",
               str(KPIS / "cases.csv"))
    assert done.returncode == 0, done.stdout + done.stderr
    with engine.connect() as conn:
        cp = s.council_programmes
        placed = conn.execute(select(s.councils.c.name, s.programmes.c.name)
                              .join(cp, cp.c.council_id == s.councils.c.id)
                              .join(s.programmes, s.programmes.c.id == cp.c.programme_id)).all()
    assert [tuple(r) for r in placed] == [("Testshire County", "Testshire")]
    again = run(db_url, "load", "--council", "testshire county", "--programme", "Testshire",
                str(KPIS / "cases.csv"))
    assert again.returncode == 0 and count(engine, s.councils) == 1  # the same council, any case


def test_a_return_with_no_programme_is_refused_by_name(db_url: str, engine: Engine) -> None:
    done = run(db_url, "load", str(KPIS / "cases.csv"))
    assert done.returncode == 1
    assert "no programme named for the load: name it with --programme" in done.stdout
    assert count(engine, s.cases) == 0
