"""A council's own files beside CQC's: its contracts (which registered services it buys from, and
how much) and a population file (people aged 65 and over, as the ONS mid-year estimates publish
it), read as CSV, .xlsx or .ods like the regulator's files and checked the same way.

- contracts: ``Location ID``, ``Contracted`` (Yes/No), ``Council funded beds``, ``Council funded
  hours weekly`` (either amount may be blank). A load replaces the council's list: the file is
  the contracts as they stand.
- population: ``Area`` (or ``Council``, ``Name``), ``Year``, ``Aged 65+`` (or ``Population aged
  65+``, ``65+``). One row per area and year; a later file's figure for the same area and year
  replaces the earlier one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, delete, select

from dashboard.access import audit
from dashboard.db import schema as s
from dashboard.db.bulk_write import insert_rows
from dashboard.db.councils import (
    KINDS,
    clean_name,
    comparator_text,
    ensure_council,
    note_council_write,
    place_programme,
)
from dashboard.db.programmes import find_programme
from data_loaders.cqc import MAX_REPORTED, CqcProblems, cell_text
from data_loaders.limits import FileProblem
from data_loaders.regulator_read import RegulatorTable, heading_key, read_table, top_headings

CONTRACT_HEADINGS = {"location_id": ("Location ID",), "contracted": ("Contracted",),
                     "beds": ("Council funded beds", "Funded beds"),
                     "hours": ("Council funded hours weekly", "Council funded weekly hours",
                               "Funded hours weekly")}
POPULATION_HEADINGS = {"area": ("Area", "Council", "Name", "Local authority"), "year": ("Year",),
                       "people": ("Aged 65+", "Population aged 65+", "65+", "Aged 65 and over")}
COUNCIL_HEADINGS = {"council": ("Council",), "kind": ("Kind",), "comparators": ("Comparators",),
                    "programmes": ("Programmes",)}
KIND_NAMES = {"contracts": "council contracts", "population": "population aged 65+", "councils": "councils"}


@dataclass
class CouncilFileResult:
    kind: str
    rows: int
    file_name: str
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"{self.file_name}: {KIND_NAMES[self.kind]}: {self.rows:,} rows loaded"]
        return "\n".join(lines + [f"  warning: {w}" for w in self.warnings])


def detect_kind(content: bytes) -> str | None:
    headings = top_headings(content)
    if heading_key("Council") in headings and heading_key("Comparators") in headings:
        return "councils"
    if heading_key("Location ID") in headings and heading_key("Contracted") in headings:
        return "contracts"
    people = {heading_key(h) for h in POPULATION_HEADINGS["people"]}
    if heading_key("Year") in headings and people & headings:
        return "population"
    return None


def _find(table: RegulatorTable, wanted: dict[str, tuple[str, ...]], file_name: str,
          optional: tuple[str, ...] = ()) -> dict[str, int | None]:
    found = {key: next((table.column(h) for h in names if table.column(h) is not None), None)
             for key, names in wanted.items()}
    missing = [wanted[k][0] for k, v in found.items() if v is None and k not in optional]
    if missing:
        named = ", ".join(f"'{m}'" for m in missing)
        raise CqcProblems(file_name, [(0, "", "", f"columns missing: {named}")])
    return found


def _cell(row: list[object], index: int | None) -> str:
    """The cell's text as CQC's files are read (whole numbers without '.0', spaces collapsed)."""
    return "" if index is None or index >= len(row) else cell_text(row[index])


def _amount(text: str, column: str, number: int, problems: list, whole: bool,
            unit: str = "beds", most: float = 1_000_000) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        value = -1.0
    if value < 0 or value > most or (whole and not value.is_integer()):
        problems.append((number, column, text[:40], f"not a number of {unit}"))
        return None
    return value


def contract_records(table: RegulatorTable, file_name: str) -> list[dict]:
    columns = _find(table, CONTRACT_HEADINGS, file_name, optional=("beds", "hours"))
    problems: list = []
    records: dict[str, dict] = {}
    for number, row in table.rows:
        location_id = _cell(row, columns["location_id"])
        if not location_id or len(location_id) > 30:
            problems.append((number, "Location ID", location_id[:40], "blank or not a CQC Location ID"))
            continue
        if location_id in records:
            problems.append((number, "Location ID", location_id, "listed twice"))
            continue
        word = _cell(row, columns["contracted"]).casefold()
        if word not in ("yes", "y", "no", "n"):
            problems.append((number, "Contracted", word[:40], "expected Yes or No"))
        beds = _amount(_cell(row, columns["beds"]), "Council funded beds", number, problems, whole=True)
        hours = _amount(_cell(row, columns["hours"]), "Council funded hours weekly", number, problems,
                        whole=False, unit="hours")
        records[location_id] = {"location_id": location_id, "contracted": word in ("yes", "y"),
                                "funded_beds": None if beds is None else int(beds),
                                "funded_hours_weekly": hours}
        if len(problems) > MAX_REPORTED:
            break
    if problems:
        raise CqcProblems(file_name, problems[:MAX_REPORTED])
    return list(records.values())


def population_records(table: RegulatorTable, file_name: str) -> list[dict]:
    columns = _find(table, POPULATION_HEADINGS, file_name)
    problems: list = []
    records: dict[tuple[str, int], dict] = {}
    for number, row in table.rows:
        try:
            area = clean_name(_cell(row, columns["area"]))
        except ValueError as error:
            problems.append((number, "Area", _cell(row, columns["area"])[:40], str(error)))
            continue
        year_text, people_text = _cell(row, columns["year"]), _cell(row, columns["people"])
        if not (year_text.isdigit() and 1990 <= int(year_text) <= 2100):
            problems.append((number, "Year", year_text[:20], "not a year (as 2019)"))
            continue
        people = _amount(people_text, "Aged 65+", number, problems, whole=True, unit="people",
                         most=100_000_000) if people_text else None
        if people is None and not people_text:
            problems.append((number, "Aged 65+", "", "blank"))
        if (area, int(year_text)) in records:
            problems.append((number, "Area", area, f"{area} {year_text} is listed twice"))
        elif people is not None:
            records[(area, int(year_text))] = {"area": area, "year": int(year_text),
                                               "aged_65_plus": int(people)}
        if len(problems) > MAX_REPORTED:
            break
    if problems:
        raise CqcProblems(file_name, problems[:MAX_REPORTED])
    return list(records.values())


def council_records(table: RegulatorTable, file_name: str) -> list[dict]:
    columns = _find(table, COUNCIL_HEADINGS, file_name, optional=("kind", "programmes"))
    problems: list = []
    records: dict[str, dict] = {}
    for number, row in table.rows:
        try:
            name = clean_name(_cell(row, columns["council"]))
            comparators = [clean_name(n) for n in _cell(row, columns["comparators"]).split(";") if n.strip()]
            comparator_text(comparators)
        except ValueError as error:
            problems.append((number, "Council", _cell(row, columns["council"])[:40], str(error)))
            continue
        kind = _cell(row, columns["kind"]) or KINDS[0]
        match = [k for k in KINDS if k.casefold() == kind.casefold()]
        if not match:
            problems.append((number, "Kind", kind[:40], f"expected one of: {', '.join(KINDS)}"))
            continue
        if name.casefold() in records:
            problems.append((number, "Council", name, "listed twice"))
            continue
        programmes = [p.strip() for p in _cell(row, columns["programmes"]).split(";") if p.strip()]
        records[name.casefold()] = {"name": name, "kind": match[0], "comparators": comparators,
                                    "programmes": programmes}
    if problems:
        raise CqcProblems(file_name, problems[:MAX_REPORTED])
    return list(records.values())


def _write_councils(conn: Connection, records: list[dict]) -> list[str]:
    """Each council created or its kind and comparators set; its programmes placed under it.
    Returns a warning for each programme named that is not loaded yet."""
    warnings = []
    for record in records:
        council_id, _created = ensure_council(conn, record["name"], record["kind"], record["comparators"])
        for programme in record["programmes"]:
            found = find_programme(conn, programme)
            if found is None:
                warnings.append(f"programme '{programme}' is not loaded yet; load it with --council "
                                f"'{record['name']}' to place it")
            else:
                place_programme(conn, found[0], council_id)
    return warnings


def load_council_file(engine: Engine, file_name: str, content: bytes, actor: str, council: str | None,
                      role: str = "command line", kind: str | None = None) -> CouncilFileResult:
    """Check the whole file, then write it in one transaction; or raise, having written nothing."""
    kind = kind or detect_kind(content)
    if kind not in KIND_NAMES:
        raise FileProblem("this is neither a council contracts file nor a population file")
    if kind == "contracts" and not council:
        raise FileProblem("a contracts file is the council's own: name the council with --council")
    table = read_table(content, KEY_HEADING[kind])
    records = READERS[kind](table, file_name)
    if not records:
        raise CqcProblems(file_name, [(0, "", "", "no rows below the header")])
    sha256 = hashlib.sha256(content).hexdigest()
    warnings: list[str] = []
    with engine.begin() as conn:
        if kind == "councils":
            warnings = _write_councils(conn, records)
        elif kind == "contracts":
            council_id, _created = ensure_council(conn, council or "")
            conn.execute(delete(s.council_contracts).where(s.council_contracts.c.council_id == council_id))
            insert_rows(conn, s.council_contracts, [{**r, "council_id": council_id} for r in records])
        else:
            keys = {(r["area"], r["year"]) for r in records}
            table_ = s.council_population
            stored = {(a, y) for a, y in conn.execute(select(table_.c.area, table_.c.year))}
            for area, year in keys & stored:
                conn.execute(delete(table_).where(table_.c.area == area, table_.c.year == year))
            insert_rows(conn, table_, records)
        note_council_write(conn)
        audit.record(conn, actor=actor[:100], role=role, action="load_regulator_file",
                     programme=None, detail=f"{KIND_NAMES[kind]}{' for ' + council if council else ''}: "
                                            f"{file_name[:200]}, {len(records):,} rows, sha256 {sha256}")
    return CouncilFileResult(kind, len(records), file_name, warnings)


KEY_HEADING = {"contracts": "Location ID", "population": "Year", "councils": "Council"}
READERS = {"contracts": contract_records, "population": population_records, "councils": council_records}
