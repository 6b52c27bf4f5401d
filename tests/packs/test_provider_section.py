"""Both packs carry the provider-quality section for a programme under a council, with the same
figures the Provider quality page shows, worked out by hand from the CQC fixture; a programme with
no council, or no CQC file by the period's end, carries none."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from dashboard.db.councils import ensure_council, place_programme
from dashboard.db.programmes import find_programme
from dashboard.figures.periods import parse_period
from dashboard.packs.board import SECTIONS as BOARD_SECTIONS
from dashboard.packs.providers import provider_section, with_providers
from dashboard.packs.scrutiny import scrutiny_pack
from data_loaders.cqc import load_cqc_file
from tests.loaders.test_cqc import NOV, directory, ratings
from tests.queries.conftest import testshire  # noqa: F401 - the fixture programme


@pytest.fixture
def placed(testshire: Engine) -> Engine:  # noqa: F811
    """Testshire (the programme) under the council Testshire, with November 2019's CQC files."""
    load_cqc_file(testshire, NOV, directory(), "tester")
    load_cqc_file(testshire, "01_November_2019_Latest_ratings.ods", ratings(), "tester")
    with testshire.begin() as conn:
        council_id, _created = ensure_council(conn, "Testshire", comparators=["Otherside"])
        place_programme(conn, find_programme(conn, "Testshire")[0], council_id)
    return testshire


def test_the_section_s_figures(placed: Engine) -> None:
    section = provider_section(placed, "Testshire", parse_period("2019/20"), date(2026, 1, 1))
    assert section is not None and section["as_at"] == "1 November 2019"
    rows = {r[0]: r[1:] for r in section["mix"].rows}
    # all 8 counted services: Good 3 (1-2, 1-3 and 1-6 by its service rating) = 37.5%;
    # Otherside 2 of 3 Good; England 5 of 11
    assert rows["Good"] == ["3 (37.5%)", "2 (66.7%)", "5 (45.5%)"]
    # rated: Testshire 6 of 8 (4 Good or Outstanding), Otherside 3 (2), England 9 (6): 66.7% each
    assert "Services rated Good or Outstanding: 66.7% (Comparator councils 66.7%; England 66.7%)" \
        in section["summary"]
    # reports published in 2019/20 (from 1 April 2019): 1-6 (Apr, Good), 1-2 (Jun, Good), 1-4 (Sep, RI)
    inspections = {r[0]: r[1:] for r in section["inspections"].rows}
    assert inspections["Good"] == ["1", "1"] and inspections["Requires improvement"] == ["1", "0"]


def test_no_file_by_the_period_s_end_no_section(placed: Engine) -> None:
    assert provider_section(placed, "Testshire", parse_period("2019/20-Q2"), date(2026, 1, 1)) is None
    ids = [s.id for s in with_providers(BOARD_SECTIONS, {"x": 1}, before="definitions")]
    assert ids[-2:] == ["providers", "definitions"]


def test_the_scrutiny_pack_carries_it(placed: Engine) -> None:
    pack = scrutiny_pack(placed, "Testshire", "2019/20", today=date(2026, 1, 1))
    assert [s["id"] for s in pack.context["sections"]][-2:] == ["providers", "about"]
    assert any(t.title.startswith("All care services by rating") for t in pack.tables)
