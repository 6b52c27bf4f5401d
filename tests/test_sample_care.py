"""The care-at-home sample reproduces East Lothian's paper (Integration Joint Board, October 2016)
through ``python -m dashboard.kpi_cli``: 21,388 hours a week bought in August 2016, 21,000 of them
for adults and older people, £17.5m a year, two frameworks of eight providers, one children's
supplier and purchase off framework."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from data_loaders.apply import load_file
from data_loaders.care_inspectorate import load_grades_file
from data_loaders.seed import CARE, CARE_ORDER, COUNCIL_FILES, SAMPLE_DATA

ROOT = Path(__file__).resolve().parents[1]
EAST_LOTHIAN = "East Lothian care at home"


@pytest.fixture
def care_sample(engine: Engine) -> Engine:
    folder = SAMPLE_DATA / CARE / EAST_LOTHIAN
    for kind in CARE_ORDER:
        load_file(engine, EAST_LOTHIAN, folder / f"{kind}.csv", kind=kind, user="test")
    for path in sorted((SAMPLE_DATA / COUNCIL_FILES).glob("MDSF_data_*.csv")):
        load_grades_file(engine, path.name, path.read_bytes(), "test")
    return engine


def kpis(db_url: str, period: str, *more: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "dashboard.kpi_cli", "--programme", EAST_LOTHIAN, "--period",
                           period, "--json", *more], cwd=ROOT, env={**os.environ, "DATABASE_URL": db_url},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_august_2016_as_the_paper(db_url: str, care_sample: Engine) -> None:
    whole = {r["kpi"]: r["value"] for r in kpis(db_url, "2016-08")}
    assert whole["care_hours_commissioned_weekly"] == 21_388  # para 3.2
    year = {r["kpi"]: r["value"] for r in kpis(db_url, "2016/17")}
    assert year["care_spend"] == pytest.approx(17_500_000, rel=0.005)  # paras 3.2 and 6.1
    by = {(r["kpi"], r["framework"]): r["value"] for r in kpis(db_url, "2016-08", "--by", "framework")}
    assert by[("care_off_framework_pct", "Off framework")] == 100
    h = s.care_hours
    with care_sample.connect() as conn:  # 21,000 of the hours for adults and older people
        adults = conn.execute(select(func.sum(h.c.hours_commissioned_weekly))
                              .where(h.c.ym == 201608, h.c.client_group != "Children")).scalar()
        frameworks = dict(conn.execute(select(s.care_providers.c.framework, func.count())
                                       .group_by(s.care_providers.c.framework)).all())
    assert adults == 21_000
    counted = [frameworks[name] for name in ("Help to Live at Home", "Specialist", "Children's care at home")]
    assert counted == [8, 8, 1]
    assert frameworks["Off framework"] >= 1
