"""Snapshot storage stays small: a year of monthly board meetings for the seven-district sample
programme, each issued (so each freezes twelve periods of every KPI for the programme and each
district), measured as the space the database itself reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine, func, select

from dashboard.access.roles import Role, User
from dashboard.db import schema as s
from dashboard.meetings.meetings import create_meeting, issue_meeting
from dashboard.meetings.snapshots import PERIODS_BEFORE
from dashboard.queries.programmes import districts_frame
from data_loaders.seed import seed

ADMIN = User(name="Ada", email="ada@council.gov.uk", role=Role.ADMIN)
MONTHS = [(2019, m) for m in range(4, 13)] + [(2020, m) for m in range(1, 4)]
LIMIT = 5_000_000  # "a few MB" for a year


def _stored_bytes(engine: Engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return sum(conn.exec_driver_sql(f"SELECT pg_total_relation_size('{t}')").scalar()
                       for t in ("snapshot_kpis", "snapshot_documents"))
        return Path(engine.url.database).stat().st_size


def test_a_year_of_monthly_snapshots_takes_a_few_mb(engine: Engine) -> None:
    seed(engine, council_files=False)
    before = _stored_bytes(engine)
    for year, month in MONTHS:
        meeting = create_meeting(ADMIN, "Lightbulb", date(year, month, 20), "board",
                                 f"{year}-{month:02d}", f"Board {month}/{year}", engine=engine)
        issue_meeting(ADMIN, meeting, engine=engine)
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(s.snapshot_kpis)).scalar()
    assert len(districts_frame(engine, "Lightbulb")) == 7
    # Every meeting froze its own month and the eleven before it, for the programme and 7 districts.
    per_meeting = rows / len(MONTHS)
    assert per_meeting % (8 * (PERIODS_BEFORE + 1)) == 0 and per_meeting > 0
    grown = _stored_bytes(engine) - before
    print(f"{len(MONTHS)} issued meetings: {rows} frozen figures, {grown / 1e6:.2f} MB")
    assert grown < LIMIT
