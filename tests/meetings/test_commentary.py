"""Commentary keeps every version; only officers write; each write is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from dashboard.access.roles import PermissionDenied, Role, User
from dashboard.db import schema as s
from dashboard.meetings.commentary import (
    MAX_TEXT,
    commentary_history,
    latest_commentary,
    write_commentary,
)

OFFICER = User(name="Olive Officer", email="olive@council.example", role=Role.OFFICER, signed_in=True)
VIEWER = User(name="Vic Viewer", email="vic@council.example", role=Role.VIEWER, signed_in=True)


def _count(engine: Engine, table) -> int:  # noqa: ANN001
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar())


def test_two_edits_make_three_versions_newest_first(testshire: Engine) -> None:
    for n, reason in enumerate(["First reason", "Second reason", "Third reason"], start=1):
        version = write_commentary(OFFICER, "Testshire", "avg_days_to_complete", None, "2019/20-Q1",
                                   reason, "Act" if n == 2 else None, engine=testshire)
        assert version == n
    history = commentary_history("Testshire", "avg_days_to_complete", None, "2019/20-Q1",
                                 engine=testshire)
    assert history["version"].tolist() == [3, 2, 1]
    assert history["reason"].tolist() == ["Third reason", "Second reason", "First reason"]
    assert history["recommended_action"].tolist()[1] == "Act"
    assert set(history["author"]) == {"olive@council.example"}
    assert not history["drafted"].any()
    assert _count(testshire, s.commentary) == 3
    with testshire.connect() as conn:
        audited = conn.execute(select(s.audit_log.c.detail)
                               .where(s.audit_log.c.action == "commentary")).scalars().all()
    assert audited[-1] == "avg_days_to_complete programme 2019/20-Q1 version 3"


def test_latest_per_kpi_area_and_period_with_district_names(testshire: Engine) -> None:
    write_commentary(OFFICER, "Testshire", "avg_days_to_complete", "Alpha", "2019/20-Q1", "old",
                     engine=testshire)
    write_commentary(OFFICER, "Testshire", "avg_days_to_complete", "alp", "2019/20-Q1", "new",
                     engine=testshire)
    write_commentary(OFFICER, "Testshire", "cases_completed", None, "2019/20-Q1", "programme",
                     engine=testshire)
    write_commentary(OFFICER, "Testshire", "cases_completed", None, "2019/20-Q2", "elsewhere",
                     engine=testshire)
    latest = latest_commentary("Testshire", ("2019/20-Q1",), engine=testshire)
    got = {(r.kpi, r.district if isinstance(r.district, str) else None): (r.reason, r.version)
           for r in latest.itertuples()}
    assert got == {("avg_days_to_complete", "Alpha"): ("new", 2), ("cases_completed", None): ("programme", 1)}


def test_a_viewer_cannot_write(testshire: Engine) -> None:
    with pytest.raises(PermissionDenied, match="viewer role"):
        write_commentary(VIEWER, "Testshire", "avg_days_to_complete", None, "2019/20-Q1", "No",
                         engine=testshire)
    assert _count(testshire, s.commentary) == 0


def test_accepted_draft_is_stored_as_drafted_by_the_officer(testshire: Engine) -> None:
    write_commentary(OFFICER, "Testshire", "avg_days_to_complete", None, "2019/20-Q1",
                     "Drafted sentence", drafted=True, engine=testshire)
    row = commentary_history("Testshire", "avg_days_to_complete", None, "2019/20-Q1",
                             engine=testshire).iloc[0]
    assert bool(row["drafted"]) is True
    assert row["author"] == "olive@council.example"


@pytest.mark.parametrize(("kpi", "district", "period", "reason", "message"), [
    ("no_such_kpi", None, "2019/20-Q1", "x", "Unknown KPI"),
    ("cases_completed", "Gamma", "2019/20-Q1", "x", "Unknown district"),
    ("cases_completed", None, "Q1 2019", "x", "not a period"),
    ("cases_completed", None, "2019/20-Q1", "   ", "Write the reason"),
    ("cases_completed", None, "2019/20-Q1", "x" * (MAX_TEXT + 1), "the most is 5,000"),
])
def test_bad_input_is_refused_and_writes_nothing(testshire: Engine, kpi: str,
                                                 district: str | None, period: str, reason: str,
                                                 message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_commentary(OFFICER, "Testshire", kpi, district, period, reason, engine=testshire)
    assert _count(testshire, s.commentary) == 0
