"""The built-in provider-quality sample reproduces the Leicestershire scrutiny report of November
2019 ("Quality of Care in Leicestershire", paras 4-7) through the command line councils script
against, on both databases. The report's own totals disagree (289 services in para 3, 287 in the
table; 8 for 1 in para 7's last row): the table is what is reproduced."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine

from dashboard.cli.providers import main as providers_main
from dashboard.queries.providers import (
    contracted_services,
    inspections_published,
    outcome_counts,
    provider_kpis,
)
from data_loaders.care_inspectorate import GradesResult
from data_loaders.cqc import CqcResult
from data_loaders.seed import SAMPLE_DATA, seed_council_files

RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate", "Not yet rated")
# para 5: current ratings; para 6: comparators and England, per cent (their rows add to 99-101)
COUNCIL = {"all": (6, 215, 43, 1, 22), "care_home": (3, 143, 33, 0, 4), "community": (3, 72, 10, 1, 18)}
PERCENT = {("comparators", "care_home"): (6, 74, 15, 2, 4), ("comparators", "community"): (5, 71, 7, 0, 16),
           ("england", "care_home"): (4, 74, 17, 2, 4), ("england", "community"): (3, 65, 10, 1, 21)}


@pytest.fixture
def providers(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("DATABASE_URL", db_url)
    results = seed_council_files(engine, SAMPLE_DATA / "council_files", "sample data")
    # CQC's files and the Care Inspectorate's load cleanly; the councils file warns of programmes
    # this test does not load
    assert all(isinstance(r, CqcResult | GradesResult) and not getattr(r, "warnings", [])
               for r in results[:-3])
    return engine


def _mix(capsys: pytest.CaptureFixture, *args: str) -> dict[tuple[str, str, str], tuple[int, float]]:
    assert providers_main(["mix", "--council", "Leicestershire", "--json", *args]) == 0
    return {(r["group"], r["service"], r["rating"]): (r["count"], r["percent"])
            for r in json.loads(capsys.readouterr().out)}


def test_the_report_s_tables(providers: Engine, capsys: pytest.CaptureFixture) -> None:
    found = _mix(capsys, "--as-at", "2019-11-01")
    for service, counts in COUNCIL.items():
        assert tuple(found[("council", service, r)][0] for r in RATINGS) == counts, service
    assert sum(COUNCIL["all"]) == 287
    for (group, service), percents in PERCENT.items():
        for rating, published in zip(RATINGS, percents, strict=True):
            assert abs(found[(group, service, rating)][1] - published) <= 0.5, (group, service, rating)
    # the comparator group is the one set up for Leicestershire (councils.csv), 15 councils
    assert found == _mix(capsys, "--comparators", "Buckinghamshire; Cumbria; Devon; Derbyshire; "
                         "Gloucestershire; Hampshire; Northamptonshire; North Yorkshire; Nottinghamshire; "
                         "Oxfordshire; Somerset; Staffordshire; Suffolk; Warwickshire; Worcestershire")
    # one test per database, as loading the national sample takes a few seconds
    kpis = provider_kpis("Leicestershire", date(2019, 11, 1))
    kpis = {(r.kpi, r.group): r.value for r in kpis.itertuples()}
    assert kpis[("provider_beds", "council")] == 5144  # para 4
    assert kpis[("provider_not_yet_rated_count", "council")] == 22
    # 72 inspections published in 2019: 50 care homes, 22 community (para 7)
    inspections = inspections_published("Leicestershire", date(2019, 1, 1), date(2019, 12, 31))
    counts = outcome_counts(inspections).set_index(["service", "rating"])["count"]
    assert len(inspections) == 72
    assert [counts[("care_home", r)] for r in RATINGS[:4]] == [0, 28, 22, 0]
    assert [counts[("community", r)] for r in RATINGS[:4]] == [1, 16, 4, 1]
    assert [counts[("all", r)] for r in RATINGS[:4]] == [1, 44, 26, 1]
    contracted = contracted_services("Leicestershire").set_index("service")["contracted"]
    assert (contracted["care_home"], contracted["community"]) == (172, 68)  # para 5
