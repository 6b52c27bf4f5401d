"""CQC's care directory files, loaded exactly as CQC publishes them.

Two kinds: the directory ("HSCA Active Locations": one row per registered location in England)
and "Latest ratings" (one row per location, service or population group and domain). Each file
is a snapshot as at its date, given on loading or read from its name
(``01_September_2026_HSCA_Active_Locations.ods``); every snapshot is kept, and loading one again
changes nothing. Every row is checked before anything is written: a column missing or renamed,
an unknown rating, a Location ID twice, a date that is not one: the file is refused, naming row,
column and value, and nothing is written.

Which rows count (docs/provider-quality.md says the same for people): directorate "Adult social
care", type/sector "Social Care Org", not dormant; a care home where ``Care home?`` is Y, a
community-based service where the primary inspection category is "Community based adult social
care services". The rating counted is the directory's; where it is not a rating (CQC's newer
approach shows "Not Rated" for a location with more than one type of service), the Overall rating
from the Latest ratings file of the same date or before: the one for the location's primary
inspection category if there is one, otherwise the lowest of its services' ratings.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, Engine, and_, delete, func, insert, select, update

from dashboard.access import audit
from dashboard.db import schema as s
from dashboard.db.bulk_write import insert_rows
from dashboard.db.councils import note_council_write
from dashboard.figures.vocabulary import CQC_RATINGS, NOT_YET_RATED
from data_loaders.limits import FileProblem
from data_loaders.regulator_read import RegulatorTable, heading_key, read_table, top_headings

RATING_ORDER = {name: rank for rank, name in enumerate(CQC_RATINGS)}  # 0 best
# Every word CQC uses, as compared (lower case, single spaces); what each one counts as.
RATING_WORDS = {
    "outstanding": "Outstanding", "good": "Good", "requires improvement": "Requires improvement",
    "inadequate": "Inadequate", "": NOT_YET_RATED, "not rated": NOT_YET_RATED,
    "not yet rated": NOT_YET_RATED, "insufficient evidence to rate": NOT_YET_RATED,
}
DOMAINS = {"overall": "Overall", "safe": "Safe", "effective": "Effective", "caring": "Caring",
           "responsive": "Responsive", "well-led": "Well-led", "well led": "Well-led"}
ADULT_SOCIAL_CARE = "adult social care"
SOCIAL_CARE_ORG = "social care org"
COMMUNITY = "community based adult social care services"
MAX_REPORTED = 50  # problems listed before the rest are counted
BATCH = 20_000  # rows written at a time, inside the one transaction

LOCATIONS_COLUMNS = {
    "location_id": "Location ID", "name": "Location Name", "care_home": "Care home?",
    "beds": "Care homes beds", "type_sector": "Location Type/Sector",
    "directorate": "Location Inspection Directorate",
    "category": "Location Primary Inspection Category", "local_authority": "Location Local Authority",
    "region": "Location Region", "directory_rating": "Location Latest Overall Rating",
    "publication_date": "Publication Date", "inherited": "Inherited Rating (Y/N)",
    "dormant": "Dormant (Y/N)", "provider_id": "Provider ID", "provider_name": "Provider Name",
    "brand_name": "Brand Name",
}
RATINGS_COLUMNS = {
    "location_id": "Location ID", "service_group": "Service / Population Group", "domain": "Domain",
    "rating": "Latest Rating", "publication_date": "Publication Date", "report_type": "Report Type",
    "inherited": "Inherited Rating (Y/N)", "provider_id": "Provider ID",
}
KIND_NAMES = {"locations": "CQC care directory (HSCA Active Locations)", "ratings": "CQC Latest ratings"}
TEXT_LIMITS = {"location_id": 30, "provider_id": 30, "name": 300, "provider_name": 300, "brand_name": 300,
               "type_sector": 100, "directorate": 100, "category": 200, "local_authority": 100,
               "region": 100, "service_group": 200, "report_type": 60}


@dataclass
class CqcResult:
    kind: str
    as_at: date
    rows: int
    changed: bool
    file_name: str
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        what = KIND_NAMES[self.kind]
        if not self.changed:
            return (f"{self.file_name}: {what} as at {self.as_at:%d/%m/%Y} is already loaded, "
                    "exactly as this file; nothing changed")
        return f"{self.file_name}: {what} as at {self.as_at:%d/%m/%Y}: {self.rows:,} rows loaded"


class CqcProblems(ValueError):
    """The file was refused; ``problems`` are (row, column, value, message), row 0 for the file."""

    def __init__(self, file_name: str, problems: list[tuple[int, str, str, str]], more: int = 0) -> None:
        self.problems, self.more = problems, more
        lines = [f"{file_name} was refused; nothing was written."]
        for row, column, value, message in problems:
            place = f"row {row}" if row else "file"
            where = f", column '{column}'" if column else ""
            shown = f" ({value!r})" if value else ""
            lines.append(f"  {place}{where}{shown}: {message}")
        if more:
            lines.append(f"  … and {more:,} more problems")
        super().__init__("\n".join(lines))


def detect_kind(content: bytes) -> str | None:
    """'locations', 'ratings', or None when the file is not one of CQC's."""
    headings = top_headings(content)
    if _is_spreadsheet(content) and heading_key("Location ID") not in headings:
        headings |= top_headings(content, "Locations")
    if heading_key("Location ID") not in headings:
        return None
    ratings = {heading_key(h) for h in ("Domain", "Latest Rating", "Service / Population Group")}
    if len(ratings & headings) >= 2:
        return "ratings"
    return "locations"


def _is_spreadsheet(content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04"


def as_at_from_name(file_name: str) -> date | None:
    """The date in a name such as ``01_September_2026_HSCA_Active_Locations.ods``."""
    months = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    months |= {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    found = re.search(r"(\d{1,2})[ _\-]([A-Za-z]{3,9})[ _\-](\d{4})", file_name)
    if found and found[2].lower() in months:
        try:
            return date(int(found[3]), months[found[2].lower()], int(found[1]))
        except ValueError:
            return None
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", file_name)
    if found:
        try:
            return date(int(found[1]), int(found[2]), int(found[3]))
        except ValueError:
            return None
    return None


def file_date(file_name: str, as_at: date | None, example: str) -> date:
    """The date a regulator's file is as at: given (``--as-at``), or from its name as ``example``
    writes it; refused if neither says, or if it lies ahead of today."""
    found = as_at or as_at_from_name(file_name)
    if found is None:
        raise FileProblem(f"the date the file is as at is not in its name (as in {example}): give it "
                          "with --as-at YYYY-MM-DD")
    if found > date.today():
        raise FileProblem(f"the file's date {found:%d/%m/%Y} is in the future")
    return found


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _yes(value: object, column: str, row: int, problems: list) -> bool:
    word = cell_text(value).casefold()
    if word in ("y", "yes"):
        return True
    if word in ("n", "no", ""):
        return False
    problems.append((row, column, cell_text(value)[:60], "expected Y or N"))
    return False


def parse_day(value: object, column: str, row: int, problems: list) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d/%m/%y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    problems.append((row, column, text[:60], "not a date (day first, as 01/03/2019)"))
    return None


def _rating(value: object, column: str, row: int, problems: list) -> str:
    word = cell_text(value)
    found = RATING_WORDS.get(word.casefold())
    if found is None:
        problems.append((row, column, word[:60], "not a CQC rating (Outstanding, Good, Requires "
                         "improvement, Inadequate, Not rated, Insufficient evidence to rate, or blank)"))
        return NOT_YET_RATED
    return found


def _columns(table: RegulatorTable, wanted: dict[str, str], file_name: str) -> dict[str, int]:
    found = {key: table.column(heading) for key, heading in wanted.items()}
    missing = [wanted[key] for key, index in found.items() if index is None]
    if missing:
        raise CqcProblems(file_name, [(0, "", "", "CQC's columns are missing or renamed: "
                                       + ", ".join(f"'{m}'" for m in missing))])
    return {key: int(index) for key, index in found.items() if index is not None}


def _cells(row: list[object], columns: dict[str, int]) -> dict[str, object]:
    return {key: row[index] if index < len(row) else None for key, index in columns.items()}


def _checked_text(cells: dict[str, object], row: int, problems: list) -> dict[str, str]:
    out = {}
    for key, limit in TEXT_LIMITS.items():
        if key in cells:
            text = cell_text(cells[key])
            if len(text) > limit:
                problems.append((row, key, text[:40], f"longer than the {limit} characters CQC uses"))
            elif not text.isprintable():
                shown = text[:40].encode("unicode_escape").decode()
                problems.append((row, key, shown, "holds a control character"))
            out[key] = text[:limit]
    return out


def service_of(directorate: str, type_sector: str, dormant: bool, care_home: bool,
               category: str) -> str | None:
    """'care_home', 'community', or None for a row the council's adult social care does not count."""
    if dormant or directorate.casefold() != ADULT_SOCIAL_CARE or type_sector.casefold() != SOCIAL_CARE_ORG:
        return None
    if care_home:
        return "care_home"
    return "community" if category.casefold() == COMMUNITY else None


def _location_records(table: RegulatorTable, file_name: str, problems: list) -> Iterator[dict]:
    columns = _columns(table, LOCATIONS_COLUMNS, file_name)
    seen: dict[str, int] = {}
    for number, row in table.rows:
        cells = _cells(row, columns)
        texts = _checked_text(cells, number, problems)
        location_id = texts["location_id"]
        if not location_id:
            problems.append((number, "Location ID", "", "blank"))
            continue
        if location_id in seen:
            problems.append((number, "Location ID", location_id,
                             f"the same Location ID is on row {seen[location_id]}: one row per location"))
            continue
        seen[location_id] = number
        beds_text = cell_text(cells["beds"])
        beds = None
        if beds_text:
            try:
                beds = int(float(beds_text.replace(",", "")))
                if beds < 0 or beds > 10_000:
                    raise ValueError
            except ValueError:
                problems.append((number, "Care homes beds", beds_text[:40], "not a number of beds"))
        care_home = _yes(cells["care_home"], "Care home?", number, problems)
        dormant = _yes(cells["dormant"], "Dormant (Y/N)", number, problems)
        directory_rating = _rating(cells["directory_rating"], "Location Latest Overall Rating", number,
                                   problems)
        record = {**texts, "care_home": care_home, "beds": beds, "dormant": dormant,
                  "inherited": _yes(cells["inherited"], "Inherited Rating (Y/N)", number, problems),
                  "directory_rating": directory_rating, "rating": directory_rating,
                  "publication_date": parse_day(cells["publication_date"], "Publication Date", number,
                                                problems)}
        if not record["local_authority"]:
            record["local_authority"] = "Unspecified"
        record["service"] = service_of(texts["directorate"], texts["type_sector"], dormant, care_home,
                                       texts["category"])
        yield record
        if len(problems) > MAX_REPORTED:
            return


def _rating_records(table: RegulatorTable, file_name: str, problems: list) -> Iterator[dict]:
    columns = _columns(table, RATINGS_COLUMNS, file_name)
    shared: dict[str, str] = {}  # one copy of each repeated text: 300,000 rows repeat a few dozen
    for number, row in table.rows:
        cells = _cells(row, columns)
        texts = _checked_text(cells, number, problems)
        if not texts["location_id"]:
            problems.append((number, "Location ID", "", "blank"))
            continue
        domain = DOMAINS.get(cell_text(cells["domain"]).casefold())
        if domain is None:
            problems.append((number, "Domain", cell_text(cells["domain"])[:40], "not one of CQC's domains "
                             "(Overall, Safe, Effective, Caring, Responsive, Well-led)"))
            continue
        yield ({"location_id": texts["location_id"],
                        "service_group": shared.setdefault(texts["service_group"], texts["service_group"]),
                        "domain": domain,
                        "report_type": shared.setdefault(texts["report_type"], texts["report_type"]) or None,
                        "provider_id": texts["provider_id"] or None,
                        "rating": _rating(cells["rating"], "Latest Rating", number, problems),
                        "publication_date": parse_day(cells["publication_date"], "Publication Date", number,
                                                  problems),
                        "inherited": _yes(cells["inherited"], "Inherited Rating (Y/N)", number, problems)})
        if len(problems) > MAX_REPORTED:
            return


def _records(file_name: str, content: bytes, kind: str | None,
             as_at: date | None) -> tuple[str, date, Iterator[dict], list]:
    """(kind, as-at date, the rows as they are checked, the problems found so far): the rows are
    read as they are asked for, so memory follows a batch, not the file."""
    kind = kind or detect_kind(content)
    if kind not in KIND_NAMES:
        raise FileProblem("this is not one of CQC's care directory files: no 'Location ID' column "
                          "in its top rows")
    as_at = file_date(file_name, as_at, "01_November_2019_HSCA_Active_Locations.ods")
    problems: list = []
    if kind == "locations":
        table = read_table(content, "Location ID")
        return kind, as_at, _location_records(table, file_name, problems), problems
    sheet = "Locations" if _is_spreadsheet(content) else None
    try:
        table = read_table(content, "Location ID", sheet)
    except FileProblem:
        table = read_table(content, "Location ID")
    return kind, as_at, _rating_records(table, file_name, problems), problems


def _refuse_if(file_name: str, problems: list, rows: int) -> None:
    if problems:
        raise CqcProblems(file_name, problems[:MAX_REPORTED], max(0, len(problems) - MAX_REPORTED))
    if not rows:
        raise CqcProblems(file_name, [(0, "", "", "no rows below the header")])


def check_cqc_file(file_name: str, content: bytes, kind: str | None = None, as_at: date | None = None) -> int:
    """Rows that pass every check; nothing is written."""
    _kind, _day, records, problems = _records(file_name, content, kind, as_at)
    rows = sum(1 for _ in records)
    _refuse_if(file_name, problems, rows)
    return rows


def load_cqc_file(engine: Engine, file_name: str, content: bytes, actor: str, as_at: date | None = None,
                  role: str = "command line", kind: str | None = None) -> CqcResult:
    """Check every row and write the file as one snapshot, in one transaction, a batch at a
    time: any problem rolls it all back, so the file is loaded whole or not at all
    (``CqcProblems`` or ``FileProblem`` say why). The same file again (same date, same bytes)
    changes nothing."""
    sha256 = hashlib.sha256(content).hexdigest()
    guess_kind, guess_date = kind or detect_kind(content), as_at or as_at_from_name(file_name)
    if guess_kind in KIND_NAMES and guess_date is not None:
        with engine.connect() as conn:
            stored = conn.execute(select(s.cqc_snapshots.c.sha256).where(
                s.cqc_snapshots.c.kind == guess_kind, s.cqc_snapshots.c.as_at == guess_date)).scalar()
        if stored == sha256:
            return CqcResult(guess_kind, guess_date, 0, False, file_name)
    kind, as_at, records, problems = _records(file_name, content, kind, as_at)
    table_for = s.cqc_locations if kind == "locations" else s.cqc_ratings
    rows = 0
    with engine.begin() as conn:
        snapshot_id = _replace_snapshot(conn, kind, as_at, file_name, sha256, 0, actor)
        for batch in _batches(records, BATCH):
            rows += len(batch)
            if not problems:  # after a problem, read on only to report the others
                for record in batch:
                    record["snapshot_id"] = snapshot_id
                insert_rows(conn, table_for, batch)
        _refuse_if(file_name, problems, rows)  # raising here rolls the transaction back
        conn.execute(update(s.cqc_snapshots).where(s.cqc_snapshots.c.id == snapshot_id).values(rows=rows))
        settle_ratings(conn, as_at if kind == "locations" else None, as_at if kind == "ratings" else None)
        note_council_write(conn)
        audit.record(conn, actor=actor[:100], role=role, action="load_regulator_file",
                     detail=f"{KIND_NAMES[kind]} as at {as_at.isoformat()}: {file_name[:200]}, "
                            f"{rows:,} rows, sha256 {sha256}")
    return CqcResult(kind, as_at, rows, True, file_name)


def _batches(records: Iterator[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _replace_snapshot(conn: Connection, kind: str, as_at: date, file_name: str, sha256: str, rows: int,
                      actor: str) -> int:
    """A corrected file of the same date replaces that snapshot's rows; others are kept."""
    old = conn.execute(select(s.cqc_snapshots.c.id).where(
        s.cqc_snapshots.c.kind == kind, s.cqc_snapshots.c.as_at == as_at)).scalar()
    if old is not None:
        for table in (s.cqc_mix, s.cqc_locations, s.cqc_ratings):
            conn.execute(delete(table).where(table.c.snapshot_id == old))
        conn.execute(delete(s.cqc_snapshots).where(s.cqc_snapshots.c.id == old))
    return int(conn.execute(insert(s.cqc_snapshots).values(
        kind=kind, as_at=as_at, file_name=file_name[:260], sha256=sha256, rows=rows,
        loaded_at=datetime.now(), loaded_by=actor[:100])).inserted_primary_key[0])


def _directory_snapshots(conn: Connection, locations_as_at: date | None,
                         ratings_as_at: date | None) -> Iterator[tuple[int, date]]:
    """The directory snapshots whose counted ratings a load may change: the one loaded, or those
    from a loaded ratings file's date until the next ratings file."""
    snaps = s.cqc_snapshots
    query = select(snaps.c.id, snaps.c.as_at).where(snaps.c.kind == "locations")
    if locations_as_at is not None:
        query = query.where(snaps.c.as_at == locations_as_at)
    else:
        later = conn.execute(select(func.min(snaps.c.as_at)).where(
            snaps.c.kind == "ratings", snaps.c.as_at > ratings_as_at)).scalar()
        query = query.where(snaps.c.as_at >= ratings_as_at)
        if later is not None:
            query = query.where(snaps.c.as_at < later)
    yield from ((int(i), d) for i, d in conn.execute(query))


def settle_ratings(conn: Connection, locations_as_at: date | None, ratings_as_at: date | None) -> None:
    """Give each 'Not Rated' location its service-level rating, then count the mix again."""
    snaps, loc, rat = s.cqc_snapshots, s.cqc_locations, s.cqc_ratings
    for snapshot_id, as_at in list(_directory_snapshots(conn, locations_as_at, ratings_as_at)):
        ratings_id = conn.execute(select(snaps.c.id).where(snaps.c.kind == "ratings", snaps.c.as_at <= as_at)
                                  .order_by(snaps.c.as_at.desc()).limit(1)).scalar()
        conn.execute(update(loc).where(loc.c.snapshot_id == snapshot_id)
                     .values(rating=loc.c.directory_rating))
        if ratings_id is not None:
            unrated = conn.execute(
                select(loc.c.location_id, loc.c.category, rat.c.service_group, rat.c.rating)
                .join(rat, and_(rat.c.snapshot_id == ratings_id, rat.c.location_id == loc.c.location_id,
                                rat.c.domain == "Overall"))
                .where(loc.c.snapshot_id == snapshot_id, loc.c.directory_rating == NOT_YET_RATED,
                       loc.c.service.is_not(None), rat.c.rating != NOT_YET_RATED)).all()
            chosen: dict[str, tuple[bool, int, str]] = {}
            for location_id, category, group, rating in unrated:
                own = (group or "").casefold() == (category or "").casefold()
                candidate = (own, RATING_ORDER[rating], rating)
                best = chosen.get(location_id)
                # the location's own category first; otherwise the lowest (worst) of its services
                if best is None or (candidate[0], candidate[1]) > (best[0], best[1]):
                    chosen[location_id] = candidate
            for location_id, (_own, _rank, rating) in chosen.items():
                conn.execute(update(loc).where(loc.c.snapshot_id == snapshot_id,
                                               loc.c.location_id == location_id).values(rating=rating))
        _count_mix(conn, snapshot_id)


def _count_mix(conn: Connection, snapshot_id: int) -> None:
    loc = s.cqc_locations
    conn.execute(delete(s.cqc_mix).where(s.cqc_mix.c.snapshot_id == snapshot_id))
    grouped = (select(loc.c.snapshot_id, loc.c.local_authority, loc.c.service, loc.c.rating,
                      func.count().label("locations"), func.coalesce(func.sum(loc.c.beds), 0).label("beds"))
               .where(loc.c.snapshot_id == snapshot_id, loc.c.service.is_not(None))
               .group_by(loc.c.snapshot_id, loc.c.local_authority, loc.c.service, loc.c.rating))
    conn.execute(insert(s.cqc_mix).from_select(
        ["snapshot_id", "local_authority", "service", "rating", "locations", "beds"], grouped))
