"""The Care Inspectorate's datastore (``MDSF_data_<date>.csv``), loaded exactly as published: a CSV
in Windows-1252, one row per registered care service, with its latest grades (1 unsatisfactory to
6 excellent) on each theme, the lowest and highest of them, and when they were published.

Every file is kept as a snapshot of its date, so a service's last two inspections are known from
the publication dates the snapshots hold. The same file again changes nothing; a corrected file of
the same date replaces it; any problem refuses the whole file with nothing written.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, Engine, delete, insert, select

from dashboard.access import audit
from dashboard.db import schema as s
from dashboard.db.bulk_write import insert_rows
from dashboard.db.councils import note_council_write
from data_loaders.cqc import CqcProblems, cell_text, file_date, parse_day
from data_loaders.limits import FileProblem
from data_loaders.regulator_read import bounded_rows, heading_key, regulator_limits

KIND = "ci_grades"
KIND_NAME = "Care Inspectorate datastore"
REQUIRED = {"cs_number": "CSNumber", "provider": "ServiceProvider", "council_area": "Council_Area_Name",
            "published": "Publication_of_Latest_Grading", "min_grade": "MinGrade", "max_grade": "MaxGrade"}
OPTIONAL = {"service_name": "ServiceName"}
GRADE_PREFIXES = ("quality_of_", "kq_")
TEXT_LIMITS = {"cs_number": 30, "provider": 300, "council_area": 100, "service_name": 300}
UNDEFINED_IN_CP1252 = b"\x81\x8d\x8f\x90\x9d"
MAX_REPORTED = 50


@dataclass(frozen=True)
class GradesResult:
    as_at: date
    rows: int
    changed: bool
    file_name: str

    def summary(self) -> str:
        if not self.changed:
            return (f"{self.file_name}: {KIND_NAME} as at {self.as_at:%d/%m/%Y} is already loaded, exactly "
                    "as this file; nothing changed")
        return f"{self.file_name}: {KIND_NAME} as at {self.as_at:%d/%m/%Y}: {self.rows:,} services loaded"


def detect_kind(content: bytes) -> str | None:
    """'ci_grades' for the datastore's header (CSNumber and MinGrade in its first line)."""
    first = content[:4000].split(b"\n", 1)[0].decode("cp1252", errors="replace")
    keys = {heading_key(cell) for cell in next(csv.reader([first]), [])}
    return KIND if {"csnumber", "mingrade"} <= keys else None


def _text(content: bytes) -> str:
    """The file as the Care Inspectorate publishes it, Windows-1252; a file saved again in another
    encoding is refused, as its names would be read wrongly."""
    if content[:4] == b"PK\x03\x04":
        raise FileProblem("this is a spreadsheet: load the datastore CSV as the Care Inspectorate "
                          "publishes it")
    if content.startswith(b"\xef\xbb\xbf") or _is_utf8_beyond_ascii(content):
        raise FileProblem("the file is in UTF-8, not Windows-1252 as the Care Inspectorate publishes "
                          "its datastore: load the file as downloaded")
    if any(byte in UNDEFINED_IN_CP1252 for byte in content):
        raise FileProblem("the file is not Windows-1252 text, as the Care Inspectorate publishes its "
                          "datastore: load the file as downloaded")
    text = content.decode("cp1252")
    if "\x00" in text:
        raise FileProblem("the file holds NUL bytes: it is not a CSV file")
    return text


def _is_utf8_beyond_ascii(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(byte >= 0x80 for byte in content)


def _grade(value: object, column: str, row: int, problems: list) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= 6:
        return int(text)
    problems.append((row, column, text[:20], "not a grade (1 to 6, or blank)"))
    return None


def read_grades(file_name: str, content: bytes) -> list[dict]:
    """Every service, checked; ``CqcProblems`` (by row and column) or ``FileProblem`` if not."""
    rows = bounded_rows(enumerate(csv.reader(io.StringIO(_text(content), newline="")), start=1),
                    regulator_limits())
    _number, header = next(rows, (0, []))
    keys = [heading_key(cell) for cell in header]
    columns = {name: keys.index(heading_key(h)) for name, h in {**REQUIRED, **OPTIONAL}.items()
               if heading_key(h) in keys}
    missing = [h for name, h in REQUIRED.items() if name not in columns]
    if missing:
        raise CqcProblems(file_name, [(0, "", "", "the datastore's columns are missing or renamed: "
                                       + ", ".join(f"'{m}'" for m in missing))])
    grade_columns = [(i, header[i]) for i, key in enumerate(keys) if key.startswith(GRADE_PREFIXES)]
    records, problems, seen = [], [], {}
    for number, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        record = {name: cell_text(cell(name)) for name in TEXT_LIMITS}
        for name, limit in TEXT_LIMITS.items():
            if len(record[name]) > limit or not record[name].isprintable():
                problems.append((number, REQUIRED.get(name, OPTIONAL.get(name, name)), record[name][:40],
                                 f"longer than {limit} characters or holds a control character"))
        if not record["cs_number"]:
            problems.append((number, "CSNumber", "", "blank: every service has its CS number"))
        elif record["cs_number"] in seen:
            problems.append((number, "CSNumber", record["cs_number"], f"the same service as row "
                             f"{seen[record['cs_number']]}"))
        seen.setdefault(record["cs_number"], number)
        record["published"] = parse_day(cell("published"), REQUIRED["published"], number, problems)
        record["min_grade"] = _grade(cell("min_grade"), REQUIRED["min_grade"], number, problems)
        record["max_grade"] = _grade(cell("max_grade"), REQUIRED["max_grade"], number, problems)
        given = []
        for index, name in grade_columns:
            value = _grade(cells[index] if index < len(cells) else "", name, number, problems)
            if value is not None:
                given.append(f"{name}={value}")
        record["grades"] = "\n".join(given) or None
        record["service_name"] = record["service_name"] or None
        records.append(record)
    if problems:
        raise CqcProblems(file_name, problems[:MAX_REPORTED], max(0, len(problems) - MAX_REPORTED))
    if not records:
        raise CqcProblems(file_name, [(0, "", "", "no services below the header")])
    return records


def _as_at(file_name: str, as_at: date | None) -> date:
    return file_date(file_name, as_at, "MDSF_data_31 July 2016.csv")


def check_grades_file(file_name: str, content: bytes, as_at: date | None = None) -> int:
    _as_at(file_name, as_at)
    return len(read_grades(file_name, content))


def load_grades_file(engine: Engine, file_name: str, content: bytes, actor: str, as_at: date | None = None,
                     role: str = "command line") -> GradesResult:
    """Check every row, then write the file as the snapshot of its date, in one transaction."""
    day = _as_at(file_name, as_at)
    sha256 = hashlib.sha256(content).hexdigest()
    snaps = s.ci_snapshots
    with engine.connect() as conn:
        if conn.execute(select(snaps.c.sha256).where(snaps.c.as_at == day)).scalar() == sha256:
            return GradesResult(day, 0, False, file_name)
    records = read_grades(file_name, content)
    with engine.begin() as conn:
        snapshot_id = _replace(conn, day, file_name, sha256, len(records), actor)
        insert_rows(conn, s.ci_services, [{**r, "snapshot_id": snapshot_id} for r in records])
        note_council_write(conn)
        audit.record(conn, actor=actor[:100], role=role, action="load_regulator_file",
                     detail=f"{KIND_NAME} as at {day.isoformat()}: {file_name[:200]}, {len(records):,} rows, "
                            f"sha256 {sha256}")
    return GradesResult(day, len(records), True, file_name)


def _replace(conn: Connection, day: date, file_name: str, sha256: str, rows: int, actor: str) -> int:
    old = conn.execute(select(s.ci_snapshots.c.id).where(s.ci_snapshots.c.as_at == day)).scalar()
    if old is not None:
        conn.execute(delete(s.ci_services).where(s.ci_services.c.snapshot_id == old))
        conn.execute(delete(s.ci_snapshots).where(s.ci_snapshots.c.id == old))
    return int(conn.execute(insert(s.ci_snapshots).values(
        as_at=day, file_name=file_name[:260], sha256=sha256, rows=rows, loaded_at=datetime.now(),
        loaded_by=actor[:100])).inserted_primary_key[0])
