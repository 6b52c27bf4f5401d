"""Checking every row of a return and turning it into database values.

All problems in a file are collected, not just the first, so a partner can fix the whole return
in one go. A problem rejects the file; a warning is reported and the file still loads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from dashboard.access import screening
from dashboard.figures.vocabulary import KPI_IDS, SURVEY_THEMES, THEME_WILDCARD, theme_kpi_id
from data_loaders import care_rules, savings_rules
from data_loaders import values as v
from data_loaders.districts import DistrictResolver
from data_loaders.kinds import AMOUNT_LIMITS, Col, Kind
from data_loaders.read import Sheet, control_character, visible

REDACTION_NOTES = 200  # one warning per redacted cell up to this many, then a count


@dataclass(frozen=True)
class Problem:
    row: int | None  # spreadsheet row (header = 1); None for the whole file
    column: str
    value: str
    reason: str


@dataclass
class Checked:
    records: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each record
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # database columns the file supplies
    programme: str | None = None  # the programme a savings return names in its own column
    programme_row: int = 0  # the row that first named it


SHOWN_LENGTH = 200  # a problems report quotes at most this much of a cell
REMEMBERED = frozenset({"date", "district", "choice", "list"})  # parsed once per distinct value
MEMO_LIMIT = 20_000  # distinct values remembered per file
PROGRAMME_NAME_LENGTH = 100  # programmes.name
MAX_WEEKLY_HOURS = 1_000_000  # a slipped decimal point, not a council's care


def _shown(raw: object) -> str:
    text = "" if raw is None else str(raw)
    return text if len(text) <= SHOWN_LENGTH else text[:SHOWN_LENGTH] + "…"


class _RowChecker:
    def __init__(self, kind: Kind, resolver: DistrictResolver | None) -> None:
        self.kind, self.resolver = kind, resolver
        self.unknown: Counter[tuple[str, str]] = Counter()
        self.today = date.today()
        self.future: Counter[str] = Counter()
        # Looked up once per column, not once per cell: a return can have 200,000 rows.
        self.lengths = {c.db_name: self._length(c.db_name) for c in kind.columns}
        self.parsers = {c.type: getattr(self, f"_{c.type}") for c in kind.columns}
        self.memo: dict[tuple[str, str], tuple[object, str | None]] = {}

    def value(self, col: Col, raw: object) -> object:
        """The database value of one cell (raises ValueError with the reason)."""
        if v.is_blank(raw):
            if col.required:
                raise ValueError("required, but blank")
            return None
        if col.type in REMEMBERED and isinstance(raw, str) and len(raw) <= 40:
            parsed = self._remembered(col, raw)
        else:
            parsed = self.parsers[col.type](col, raw)
        if col.type == "date" and parsed is not None and parsed > self.today:  # type: ignore[operator]
            self.future[col.name] += 1  # every cell counted, remembered or not
        limit = self.lengths[col.db_name]
        if isinstance(parsed, str) and limit is not None and len(parsed) > limit:
            raise ValueError(f"too long: {len(parsed):,} characters, at most {limit:,}")
        return parsed

    def _remembered(self, col: Col, raw: str) -> object:
        """A date, district or choice as parsed the first time it was seen in its column: a return
        repeats a few thousand of them across its rows. Parsing is pure (dates ahead are counted by
        the caller, per cell). Bounded, so a hostile file of distinct values costs no more memory."""
        key = (col.name, raw)
        found = self.memo.get(key)
        if found is None:
            unknown = self.unknown.total()
            try:
                found = (self.parsers[col.type](col, raw), None)
            except ValueError as error:
                found = (None, str(error))
            # A value outside the list is counted per cell for the warning, so never remembered.
            if len(self.memo) < MEMO_LIMIT and self.unknown.total() == unknown:
                self.memo[key] = found
        parsed, error = found
        if error is not None:
            raise ValueError(error)
        return parsed

    def _length(self, db_name: str) -> int | None:
        """The column's size in the database (String(n)), so no file can overflow it."""
        column = self.kind.table.c.get(db_name)
        return getattr(column.type, "length", None) if column is not None else None

    def _text(self, col: Col, raw: object) -> object:
        return v.text(raw)

    def _date(self, col: Col, raw: object) -> object:
        return v.parse_date(raw)

    def _amount(self, col: Col, raw: object) -> object:
        amount = v.parse_money(raw)
        low, high = AMOUNT_LIMITS[col.type]
        if amount is not None and amount < low:
            raise ValueError("negative amount")
        if amount is not None and amount > high:
            raise ValueError(f"implausible amount (over £{high:,.0f}); check the decimal point")
        return amount

    _grant = _capital = _ledger = _pounds = _amount

    def _programme(self, col: Col, raw: object) -> object:
        name = v.plain_name(v.text(raw) or "")
        if len(name) > PROGRAMME_NAME_LENGTH:
            raise ValueError(f"too long for a programme's name: at most {PROGRAMME_NAME_LENGTH} characters")
        return name

    def _name(self, col: Col, raw: object) -> object:
        return v.plain_name(v.text(raw) or "") or None

    def _ym(self, col: Col, raw: object) -> object:
        return v.parse_year_month(raw)

    def _hours(self, col: Col, raw: object) -> object:
        hours = v.parse_number(raw)
        if hours is not None and not 0 <= hours <= MAX_WEEKLY_HOURS:
            raise ValueError(f"hours a week must be from 0 to {MAX_WEEKLY_HOURS:,}")
        return hours

    def _code(self, col: Col, raw: object) -> object:
        return savings_rules.workstream_code(v.text(raw) or "")

    def _number(self, col: Col, raw: object) -> object:
        number = v.parse_number(raw)
        if col.name == "amber_tolerance" and number is not None and number < 0:
            raise ValueError("the tolerance cannot be negative")
        return number

    def _score(self, col: Col, raw: object) -> object:
        return v.parse_whole(raw, 1, 5)

    def _month(self, col: Col, raw: object) -> object:
        return v.parse_whole(raw, 1, 12)

    def _fy(self, col: Col, raw: object) -> object:
        return v.parse_financial_year(raw)

    def _yesno(self, col: Col, raw: object) -> object:
        return v.parse_yes_no(raw)

    def _choice(self, col: Col, raw: object) -> object:
        sent = v.text(raw) or ""
        found = v.canonical(sent, col.choices)
        if found is not None:
            return found
        if col.strict:
            raise ValueError(f"must be one of: {', '.join(col.choices)}")
        self.unknown[(col.name, sent)] += 1
        return sent

    def _list(self, col: Col, raw: object) -> object:
        items = []
        for item in v.split_list(raw):
            found = v.canonical(item, col.choices) if col.choices else item
            if found is None:
                self.unknown[(col.name, item)] += 1
                found = item
            items.append(found)
        return "; ".join(items) or None

    def _district(self, col: Col, raw: object) -> object:
        assert self.resolver is not None
        return self.resolver.resolve(str(raw))

    def _kpi(self, col: Col, raw: object) -> object:
        kpi = (v.text(raw) or "").lower()
        if kpi != THEME_WILDCARD and kpi not in KPI_IDS:
            raise ValueError("unknown KPI; see docs/kpi-definitions.md for the ids")
        return kpi

    def _partner(self, col: Col, raw: object) -> object:
        return v.text(raw)

    def warnings(self) -> list[str]:
        notes = [f"{col}: '{value}' is not a recognised value ({count} row{'s' * (count > 1)}); "
                 "kept as sent" for (col, value), count in sorted(self.unknown.items())]
        notes += [f"{col}: {count} date{'s' * (count > 1)} after today" for col, count
                  in sorted(self.future.items())]
        return notes


def _order_rules(kind: str) -> list[tuple[str, str, str, bool]]:
    """(later column, earlier column, reason, is_error): the later date may not come first."""
    if kind == "cases":
        return [("closed_date", "referral_date", "closed before referral", True),
                ("assessment_date", "referral_date", "assessed before referral", True)]
    if kind == "dfg":
        return [("valid_application_date", "enquiry_date", "valid application before enquiry", True),
                ("completion_date", "valid_application_date",
                 "completion before valid application", True),
                ("completion_date", "enquiry_date", "completion before enquiry", True),
                ("withdrawn_date", "enquiry_date", "withdrawn before enquiry", True),
                ("approval_date", "valid_application_date", "approval before valid application",
                 False)]
    if kind == "feedback":
        return [("resolved_date", "received_date", "resolved before it was received", True)]
    if kind == "case_studies":
        return [("end_date", "start_date", "ends before it starts", True)]
    if kind == "care_requests":
        return [("service_start_date", "request_date", "service starts before it was requested", True),
                ("ended_date", "request_date", "ended before it was requested", True)]
    return []


def _needs(kind: str) -> list[tuple[str, str, str, str]]:
    """(status column, status, column that must be filled, reason)."""
    if kind == "cases":
        return [("outcome", "Completed", "closed_date", "outcome is Completed but closed_date is blank")]
    if kind == "dfg":
        return [("status", "Completed", "completion_date",
                 "status is Completed but completion_date is blank"),
                ("status", "Withdrawn", "withdrawn_date",
                 "status is Withdrawn but withdrawn_date is blank")]
    return []


def _row_rules(kind: Kind, record: dict, sent: dict[str, object], row: int,
               problem: Callable[[int, str, object, str], None], warn: Callable[[str], None]) -> None:
    for status_col, status, needed, reason in _needs(kind.name):
        if record.get(status_col) != status:
            continue
        if needed not in sent:
            problem(row, needed, "", reason + " (column missing)")
        elif needed in record and record[needed] is None:  # parsed, and blank
            problem(row, needed, "", reason)
    for later, earlier, reason, is_error in _order_rules(kind.name):
        a, b = record.get(later), record.get(earlier)
        if isinstance(a, date) and isinstance(b, date) and a < b:
            if is_error:
                problem(row, later, sent.get(later), f"{reason} ({earlier} {b:%d/%m/%Y})")
            else:
                warn(f"row {row}: {reason}")
    if kind.name == "cases" and record.get("outcome") == "Open" and record.get("closed_date"):
        warn(f"row {row}: outcome is Open but a closed_date is given; it counts as closed")
    savings_rules.row_rules(kind.name, record, sent, row, problem, warn)
    care_rules.row_rules(kind.name, record, sent, row, problem)


class _Screen:
    """Free-text cells checked for personal data before they are parsed or stored.

    A finding rejects the row (shown masked: the problems report can be downloaded), or with
    ``redact`` the cell is replaced by its redacted text and a warning names what was removed.
    """

    def __init__(self, redact: bool, places: Iterable[str]) -> None:
        self.redact, self.places = redact, tuple(places)
        self.notes: list[str] = []
        self.cells = 0

    def cell(self, row: int, column: str, raw: object,
             problem: Callable[[int, str, object, str], None]) -> tuple[bool, object]:
        """(usable, the value to parse): the cell as sent, redacted, or unusable."""
        cleaned, findings = screening.redact(v.text(raw) or "", self.places)
        if not findings:
            return True, raw
        if not self.redact:
            problem(row, column, "; ".join(f.shown for f in findings),
                    f"contains personal data: {screening.describe(findings)}")
            return False, raw
        self.cells += 1
        if len(self.notes) < REDACTION_NOTES:
            self.notes.append(f"row {row}, {column}: personal data removed "
                              f"({screening.describe(findings, excerpts=False)})")
        return True, cleaned

    def warnings(self) -> list[str]:
        if not self.cells:
            return []
        more = self.cells - len(self.notes)
        return [*self.notes, *([f"… and personal data removed from {more} more cells"] if more else [])]


def check_rows(kind: Kind, sheet: Sheet, resolver: DistrictResolver | None, *,
               redact: bool = False, places: Iterable[str] = ()) -> Checked:
    """Every row checked and converted. Free-text cells with personal data are problems, or with
    ``redact`` are stored redacted; ``places`` are words never taken for a person's name."""
    result = Checked()
    known = {c.name for c in kind.columns}
    present = [h for h in sheet.headers if h in known]
    extra = [o for h, o in zip(sheet.headers, sheet.original_headers, strict=False)
             if h and h not in known]
    if extra:
        result.warnings.append(f"columns not used and not stored: {', '.join(extra)}")
    for name in kind.required:
        if name not in sheet.headers:
            result.problems.append(Problem(1, name, "", "required column is missing"))
    if result.problems:
        return result
    result.columns = [kind.column(h).db_name for h in present if kind.column(h).type != "programme"]
    if kind.name == "finance":
        result.columns.append("district_id")
    position = {h: sheet.headers.index(h) for h in present}
    spec = {h: kind.column(h) for h in present}
    checker = _RowChecker(kind, resolver)
    screen = _Screen(redact, places)
    row_warnings: list[str] = []
    seen: dict[tuple, int] = {}

    def problem(row: int, column: str, raw: object, reason: str) -> None:
        result.problems.append(Problem(row, column, _shown(raw), reason))

    for row, cells in sheet.rows:
        if _controls(row, cells, sheet.headers, problem):
            continue
        sent = {h: (cells[i] if i < len(cells) else None) for h, i in position.items()}
        record, ok = {}, True
        for name, raw in list(sent.items()):
            col = spec[name]
            if col.free_text and not v.is_blank(raw):
                usable, sent[name] = screen.cell(row, name, raw, problem)
                if not usable:
                    ok = False
                    continue
                raw = sent[name]  # later messages quote the redacted text, never the original
            try:
                record[col.db_name] = checker.value(col, raw)
            except ValueError as error:
                problem(row, name, raw, str(error))
                ok = False
        _row_rules(kind, record, sent, row, problem, row_warnings.append)
        if "programme" in record and not _one_programme(result, record.pop("programme"), row, problem):
            continue
        if not ok:
            continue
        if kind.name == "finance":
            _link_partner(record, resolver)
        for expanded in _expand(kind, record):
            key = tuple(expanded.get(k) for k in kind.key)
            if key in seen:
                problem(row, kind.columns[0].name, sent.get(kind.columns[0].name),
                        f"duplicate of row {seen[key]} (same "
                        f"{', '.join(k.replace('_id', '') for k in kind.key)})")
                continue
            seen[key] = row
            result.records.append(expanded)
            result.rows.append(row)
    if kind.name == "savings_plan":
        savings_rules.plan_wide(result.records, result.rows, problem)
    result.warnings += screen.warnings() + checker.warnings() + row_warnings[:50]
    if len(row_warnings) > 50:
        result.warnings.append(f"… and {len(row_warnings) - 50} more row warnings")
    return result


def _one_programme(result: Checked, name: object, row: int,
                   problem: Callable[[int, str, object, str], None]) -> bool:
    """A savings return is for one programme: the first row's names it; another is a problem."""
    if name is None:  # blank: already a problem
        return False
    if result.programme is None:
        result.programme, result.programme_row = str(name), row
    elif str(name).casefold() != result.programme.casefold():
        problem(row, "programme", name, f"a return is for one programme; row {result.programme_row} "
                f"names '{result.programme}'")
        return False
    return True


def _controls(row: int, cells: list[object], headers: list[str],
              problem: Callable[[int, str, object, str], None]) -> bool:
    """Control characters (NUL and the like) in any cell, used or not, are problems: no person
    types them, they corrupt reports, and PostgreSQL refuses NUL outright."""
    found_any = False
    for position, raw in enumerate(cells):
        if isinstance(raw, str) and (found := control_character(raw)) is not None:
            column = headers[position] if position < len(headers) and headers[position] \
                else f"column {position + 1}"
            problem(row, column, visible(raw), f"contains a control character, {found}, which a "
                    "return cannot hold (often a sign of a damaged export); delete it and send the "
                    "file again")
            found_any = True
    return found_any


def _link_partner(record: dict, resolver: DistrictResolver | None) -> None:
    """A partner that is one of the districts is stored under the district's own name."""
    found = resolver.find(record["partner"]) if resolver is not None else None
    record["district_id"] = found
    if found is not None:
        record["partner"] = resolver.names[found]


def _expand(kind: Kind, record: dict) -> list[dict]:
    """A targets row for ``satisfaction_theme_*`` sets every survey theme."""
    if kind.name == "targets" and record.get("kpi") == THEME_WILDCARD:
        return [{**record, "kpi": theme_kpi_id(theme)} for theme in SURVEY_THEMES]
    return [record]
