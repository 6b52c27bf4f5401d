"""CQC's care directory and Latest ratings loaded as published, on both databases: which rows
count, the rating counted for a 'Not Rated' location, snapshots and their changes, and every way a
file is refused with nothing written. Each expected figure is worked out by hand from the rows."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from dashboard.queries.providers import (
    inspections_published,
    old_ratings,
    provider_kpis,
    rating_changes,
    rating_mix,
    services_of_concern,
)
from data_loaders.council_level import load_council_level
from data_loaders.cqc import CqcProblems, as_at_from_name, load_cqc_file
from data_loaders.limits import FileProblem
from sample_data.ods_file import HEAD, TAIL, ods_bytes

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Location ID", "Location Name", "Care home?", "Care homes beds", "Location Type/Sector",
          "Location Inspection Directorate", "Location Primary Inspection Category",
          "Location Local Authority", "Location Region", "Location Latest Overall Rating", "Publication Date",
          "Inherited Rating (Y/N)", "Dormant (Y/N)", "Provider ID", "Provider Name", "Brand Name",
          "Location Web Address"]
ASC, ORG, HOME, COMMUNITY = ("Adult social care", "Social Care Org", "Residential social care",
                             "Community based adult social care services")


def row(location: str, council: str, care_home: str, rating: str, published: date | None = None,
        beds: int | str = "", directorate: str = ASC, sector: str = ORG, category: str | None = None,
        dormant: str = "N") -> list[object]:
    category = category or (HOME if care_home == "Y" else COMMUNITY)
    return [location, f"Place {location}", care_home, beds, sector, directorate, category, council,
            "East Midlands", rating, published, "N", dormant, "1-P", "Provider Ltd", "", "www.example.org"]


# Testshire: care homes Outstanding 1, Good 2, Requires improvement 1, not yet rated 1 (beds 10 +
# 20 + 30 + 40 + 5 = 105); community Good 1 ('Not Rated' in the directory, Good in the ratings
# file), Inadequate 1, not yet rated 1 ("Insufficient evidence to rate"). Not counted: a dormant
# home, a GP surgery, another adult social care category. Otherside: 2 Good homes, 1 RI community.
NOVEMBER = [
    row("1-1", "Testshire", "Y", "Outstanding", date(2019, 3, 1), 10),
    row("1-2", "Testshire", "Y", "Good", date(2019, 6, 1), 20),
    row("1-3", "Testshire", "Y", "Good", date(2016, 5, 1), 30),
    row("1-4", "Testshire", "Y", "Requires improvement", date(2019, 9, 30), 40),
    row("1-5", "Testshire", "Y", "", None, 5),
    row("1-6", "Testshire", "N", "Not Rated", date(2019, 4, 1)),
    row("1-7", "Testshire", "N", "Inadequate", date(2018, 12, 1)),
    row("1-8", "Testshire", "N", "Insufficient evidence to rate", None),
    row("1-9", "Testshire", "Y", "Good", date(2019, 1, 1), 50, dormant="Y"),
    row("1-10", "Testshire", "N", "Good", date(2019, 1, 1), directorate="Primary medical services",
        sector="Primary Medical Services", category="GP Practices"),
    row("1-11", "Testshire", "N", "Good", date(2019, 1, 1),
        category="Residential substance misuse treatment"),
    row("2-1", "Otherside", "Y", "Good", date(2018, 1, 1), 25),
    row("2-2", "Otherside", "Y", "Good", date(2018, 1, 1), 35),
    row("2-3", "Otherside", "N", "Requires improvement", date(2019, 2, 1)),
]
NOTICES = [["Care Quality Commission"], ["Data as at 01 November 2019"], [], ["Some notes about the file"]]
RATINGS_HEADER = ["Location ID", "Service / Population Group", "Domain", "Latest Rating", "Publication Date",
                  "Report Type", "Inherited Rating (Y/N)", "Provider ID"]
RATINGS = [["1-1", "Overall", "Overall", "Outstanding", date(2019, 3, 1), "Location", "N", "1-P"],
           ["1-1", "Overall", "Safe", "Good", date(2019, 3, 1), "Location", "N", "1-P"],
           # 1-6 has two services: its own category's rating counts, not the worse one
           ["1-6", COMMUNITY, "Overall", "Good", date(2019, 4, 1), "Service", "N", "1-P"],
           ["1-6", "Extra care housing services", "Overall", "Requires improvement", date(2019, 4, 1),
            "Service", "N", "1-P"]]
NOV, OCT = "01_November_2019_HSCA_Active_Locations.ods", "01_October_2019_HSCA_Active_Locations.ods"


def directory(rows: list[list[object]] = NOVEMBER, header: list[str] = HEADER) -> bytes:
    return ods_bytes({"HSCA_Active_Locations": [*NOTICES, header, *rows]})


def ratings(rows: list[list[object]] = RATINGS) -> bytes:
    return ods_bytes({"Locations": [RATINGS_HEADER, *rows], "Providers": [["Provider ID"]]})


def load(engine: Engine, name: str, content: bytes) -> None:
    load_cqc_file(engine, name, content, "tester")


def mix(engine: Engine, council: str = "Testshire", **options: object) -> dict[tuple[str, str, str], tuple]:
    frame = rating_mix(council, **options)
    return {(r.group, r.service, r.rating): (r.count, r.percent) for r in frame.itertuples()}


@pytest.fixture
def loaded(engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("DATABASE_URL", db_url)
    load(engine, NOV, directory())
    load(engine, "01_November_2019_Latest_ratings.ods", ratings())
    return engine


def test_the_counted_rows_and_their_mix(loaded: Engine) -> None:
    found = mix(loaded, comparators=("Otherside",))
    # care homes 1-1..1-5: one of five each Outstanding and RI, two Good, one not yet rated
    assert [found[("council", "care_home", r)] for r in ("Outstanding", "Good", "Requires improvement",
                                                          "Inadequate", "Not yet rated")] == [
        (1, 20.0), (2, 40.0), (1, 20.0), (0, 0.0), (1, 20.0)]
    # community 1-6 (Good from the ratings file), 1-7 Inadequate, 1-8 not yet rated: 1/3 each
    assert found[("council", "community", "Good")] == (1, 33.3)
    assert found[("council", "community", "Inadequate")] == (1, 33.3)
    assert found[("council", "community", "Not yet rated")] == (1, 33.3)
    assert found[("council", "all", "Good")] == (3, 37.5)  # 3 of 8
    assert found[("comparators", "all", "Good")] == (2, 66.7)
    assert found[("england", "all", "Requires improvement")] == (2, 18.2)  # 1-4 and 2-3 of 11


def test_names_match_in_any_case_and_the_kpis(loaded: Engine) -> None:
    assert mix(loaded, "  testSHIRE ")[("council", "all", "Good")] == (3, 37.5)
    kpis = provider_kpis("Testshire", comparators=())
    value = {(r.kpi, r.group): r.value for r in kpis.itertuples()}
    # rated: 8 - 2 not yet rated = 6; good or outstanding 1 + 2 + 1 = 4; concern 1 RI + 1 Inadequate
    assert value[("provider_good_or_outstanding_pct", "council")] == pytest.approx(66.7)
    assert value[("provider_ri_or_inadequate_pct", "council")] == pytest.approx(33.3)
    assert value[("provider_inadequate_count", "council")] == 1
    assert value[("provider_not_yet_rated_count", "council")] == 2
    assert value[("provider_beds", "council")] == 105  # the dormant home's 50 beds do not count


def test_inspections_in_a_period_old_ratings(loaded: Engine) -> None:
    found = inspections_published("Testshire", date(2019, 1, 1), date(2019, 12, 31))
    # 1-1 Mar, 1-2 Jun, 1-4 Sep, 1-6 Apr (Good, by service): unrated and 2018 ones left out
    assert list(found["location_id"]) == ["1-1", "1-6", "1-2", "1-4"]
    assert list(old_ratings("Testshire")["location_id"]) == ["1-3"]  # May 2016: over two years old


def test_a_later_snapshot_and_what_changed(loaded: Engine) -> None:
    earlier = [r[:] for r in NOVEMBER if r[0] != "1-5"]  # 1-5 is new since: not yet rated, not listed
    earlier[[r[0] for r in earlier].index("1-6")][9] = "Good"  # no ratings file as at October
    earlier[[r[0] for r in earlier].index("1-2")][9] = "Requires improvement"  # improved since
    earlier[[r[0] for r in earlier].index("1-4")][9] = "Good"  # declined since
    earlier[[r[0] for r in earlier].index("1-7")][9] = ""  # newly rated (as Inadequate)
    earlier.append(row("1-99", "Testshire", "Y", "Good", date(2017, 1, 1), 12))  # closed since
    load(loaded, OCT, directory(earlier))
    changes = rating_changes("Testshire")
    simple = {k: [(i["location_id"], i["before"], i["after"]) for i in v] for k, v in changes.items()}
    assert simple == {"improved": [("1-2", "Requires improvement", "Good")],
                      "declined": [("1-4", "Good", "Requires improvement")],
                      "newly_rated": [("1-7", "Not yet rated", "Inadequate")],
                      "closed": [("1-99", "Good", None)]}
    # the figures as at October come from October's file, never November's
    assert mix(loaded, as_at=date(2019, 10, 15))[("council", "care_home", "Good")][0] == 3


def test_loading_the_same_snapshot_twice_changes_nothing(loaded: Engine) -> None:
    with loaded.connect() as conn:
        before = conn.execute(select(func.count()).select_from(s.cqc_locations)).scalar()
    outcome = load_council_level(loaded, NOV, directory(), "tester", None, None)
    assert outcome is not None and outcome.ok and "nothing changed" in outcome.message
    with loaded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.cqc_locations)).scalar() == before
        assert conn.execute(select(func.count()).select_from(s.cqc_snapshots)).scalar() == 2


def _refused(engine: Engine, content: bytes, name: str = NOV) -> str:
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(s.cqc_locations)).scalar()
    outcome = load_council_level(engine, name, content, "tester", None, None)
    assert outcome is not None and not outcome.ok
    with engine.connect() as conn:  # nothing written
        assert conn.execute(select(func.count()).select_from(s.cqc_locations)).scalar() == before
    return outcome.message


def test_missing_or_renamed_columns_are_named(engine: Engine) -> None:
    header = [h if h != "Location Latest Overall Rating" else "Overall rating" for h in HEADER]
    header = [h for h in header if h != "Dormant (Y/N)"]
    rows = [r[:12] + r[13:] for r in NOVEMBER]
    message = _refused(engine, directory(rows, header))
    assert "'Location Latest Overall Rating'" in message and "'Dormant (Y/N)'" in message


def test_an_unknown_rating_names_row_and_value(engine: Engine) -> None:
    rows = [r[:] for r in NOVEMBER]
    rows[2][9] = "Brilliant"
    message = _refused(engine, directory(rows))
    # four notice lines, the header on row 5, so the third location is on row 8
    assert "row 8, column 'Location Latest Overall Rating' ('Brilliant'): not a CQC rating" in message


def test_a_duplicate_location_is_refused(engine: Engine) -> None:
    rows = [*NOVEMBER, NOVEMBER[0]]
    assert "the same Location ID is on row 6" in _refused(engine, directory(rows))


def test_a_file_without_a_date_is_refused(engine: Engine) -> None:
    assert "--as-at" in _refused(engine, directory(), name="locations.ods")
    assert as_at_from_name("01_September_2026_HSCA_Active_Locations.ods") == date(2026, 9, 1)
    assert as_at_from_name("HSCA Active Locations 1 Sept 2026.csv") is None  # not a month's name
    assert as_at_from_name("5 Sep 2026 HSCA.csv") == date(2026, 9, 5)


def test_a_return_of_another_kind_is_not_taken_for_cqc(engine: Engine) -> None:
    cases = b"district,case_ref,referral_date,case_type\nBlaby,C1,2019-01-01,DFG\n"
    assert load_council_level(engine, "cases.csv", cases, "tester", None, None) is None
    with pytest.raises(FileProblem, match="not one of CQC's"):
        load_cqc_file(engine, NOV, cases, "tester")


CELL = ('<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>')


@pytest.mark.parametrize(("row_attributes", "cell_attributes", "expected"), [
    ('table:number-rows-repeated="1000000"', 'table:number-columns-repeated="1000"',
     "more than 600,000 rows of data"),
    # a '>' inside another attribute must not hide the repeat after it
    ('table:number-rows-repeated="1000"', 'foo="a>b" table:number-columns-repeated = \'100000\'',
     "more than 72,000,000 cells with values"),
    # nor a repeat written as a character reference, which XML parsers expand: read as they do
    ('table:number-rows-repeated="&#49;000000"', "", "more than 600,000 rows of data"),
    ('table:number-rows-repeated="1e6"', "", "not a plain number"),
])
def test_repeated_cells_cannot_claim_a_billion_values(engine: Engine, row_attributes: str,
                                                     cell_attributes: str, expected: str) -> None:
    header = "".join(CELL.format(h) for h in HEADER)
    bomb = (HEAD + '<table:table table:name="x"><table:table-row>' + header + "</table:table-row>"
            f"<table:table-row {row_attributes}><table:table-cell {cell_attributes} "
            'office:value-type="string"><text:p>A</text:p></table:table-cell></table:table-row>'
            "</table:table>" + TAIL)
    content = ods_bytes({}, content_xml=bomb)
    assert len(content) < 2_000
    assert expected in _refused(engine, content)


def _as_xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _as_csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for values in rows:
        writer.writerow(["" if v is None else (f"{v:%d/%m/%Y}" if isinstance(v, date) else v)
                         for v in values])
    return out.getvalue().encode("cp1252")


@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_the_same_file_saved_as_xlsx_or_csv_counts_the_same(engine: Engine, db_url: str, form: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    rows = [*NOTICES, HEADER, *NOVEMBER]
    content = _as_xlsx(rows) if form == "xlsx" else _as_csv(rows)
    load(engine, f"01_November_2019_HSCA_Active_Locations.{form}", content)
    found = mix(engine)
    # without the ratings file, 1-6 stays not yet rated: community 0 Good, 2 not yet rated
    assert found[("council", "care_home", "Good")] == (2, 40.0)
    assert found[("council", "community", "Not yet rated")] == (2, 66.7)


def test_contracts_show_where_the_councils_money_is(loaded: Engine, tmp_path: Path) -> None:
    contracts = (b"Location ID,Contracted,Council funded beds,Council funded hours weekly\n"
                 b"1-1,Yes,6,\n1-4,Yes,14,\n1-2,No,,\n1-7,Yes,,300\n1-8,Yes,,100\n")
    outcome = load_council_level(loaded, "contracts.csv", contracts, "tester", "Testshire", None)
    assert outcome is not None and outcome.ok, outcome
    value = {r.kpi: r.value for r in provider_kpis("Testshire").itertuples() if r.group == "council"}
    assert value["provider_funded_beds_exposed_pct"] == pytest.approx(70.0)  # 14 of 6 + 14 beds
    assert value["provider_funded_hours_exposed_pct"] == pytest.approx(75.0)  # 300 of 400 hours
    concern = services_of_concern("Testshire")
    assert list(concern["location_id"]) == ["1-7", "1-4"]  # Inadequate first
    population = b"Area,Year,Aged 65+\nTestshire,2018,2000\nTestshire,2019,2100\n"
    assert load_council_level(loaded, "population.csv", population, "tester", None, None).ok
    value = {r.kpi: r.value for r in provider_kpis("Testshire").itertuples() if r.group == "council"}
    assert value["provider_beds_per_1000_65"] == pytest.approx(50.0)  # 105 beds / 2,100 people


def test_bad_contracts_are_refused_by_row(engine: Engine) -> None:
    contracts = b"Location ID,Contracted,Council funded beds\n1-1,Maybe,6\n1-2,Yes,-3\n"
    outcome = load_council_level(engine, "contracts.csv", contracts, "tester", "Testshire", None)
    assert outcome is not None and not outcome.ok
    assert "row 2, column 'Contracted' ('maybe'): expected Yes or No" in outcome.message
    assert "row 3, column 'Council funded beds' ('-3')" in outcome.message


def test_problems_say_row_and_column(engine: Engine) -> None:
    rows = [r[:] for r in NOVEMBER]
    rows[0][2] = "Perhaps"
    rows[1][10] = "31/02/2019"
    with pytest.raises(CqcProblems) as refused:
        load_cqc_file(engine, NOV, directory(rows), "tester")
    text = str(refused.value)
    assert "row 6, column 'Care home?' ('Perhaps'): expected Y or N" in text
    assert "row 7, column 'Publication Date' ('31/02/2019'): not a date" in text


def test_the_command_lines(engine: Engine, db_url: str, tmp_path: Path) -> None:
    """``python -m data_loaders load`` finds the kind; ``python -m dashboard.providers`` prints JSON."""
    env = {"DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    path = tmp_path / NOV
    path.write_bytes(directory())

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120, check=False)

    loaded = run("data_loaders", "load", "--council", "Testshire", str(path))
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "CQC care directory (HSCA Active Locations) as at 01/11/2019: 14 rows loaded" in loaded.stdout
    printed = run("dashboard.providers", "mix", "--council", "Testshire", "--comparators", "Otherside",
                  "--json")
    assert printed.returncode == 0, printed.stderr
    records = json.loads(printed.stdout)
    assert {"group": "comparators", "service": "care_home", "rating": "Good", "count": 2,
            "percent": 100.0} in records
    assert len(records) == 3 * 3 * 5
    changes = run("dashboard.providers", "changes", "--council", "Testshire", "--json")
    assert json.loads(changes.stdout) == {"improved": [], "declined": [], "newly_rated": [], "closed": []}
    missing = run("dashboard.providers", "mix", "--council", "Testshire", "--as-at", "2018-01-01")
    assert missing.returncode == 2
    assert "No CQC care directory is loaded on or before 01/01/2018" in missing.stderr


def test_a_problem_after_rows_were_written_rolls_them_back(engine: Engine,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows go in a batch at a time inside one transaction: a problem on the last row, after
    batches were written, leaves nothing behind, and a stored snapshot of the same date stays."""
    load(engine, NOV, directory())
    monkeypatch.setattr("data_loaders.cqc.BATCH", 2)
    rows = [r[:] for r in NOVEMBER]
    rows[-1][9] = "Splendid"
    message = _refused(engine, directory(rows))  # a corrected file for the same date, refused
    assert "row 19, column 'Location Latest Overall Rating' ('Splendid')" in message  # 6 to 19
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.cqc_locations)).scalar() == len(NOVEMBER)
