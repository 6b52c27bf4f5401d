"""Planning a load: read, validate and compare with the database, writing nothing.

The same plan drives the command line and the app's preview, so a user sees exactly what a load
would insert, update and leave unchanged before confirming it. A preview (``preview_only``) keeps
only its first records and the file itself, which the uploader holds anyway: a page can keep it
between clicks without holding every row twice, and ``apply_plan`` checks the file again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, select

from dashboard.db import schema as s
from dashboard.db.programmes import FAMILY_WORDS, find_programme, programme_family, programme_names
from dashboard.figures.format import count_of
from data_loaders import care_rules, savings_rules
from data_loaders.districts import DistrictResolver
from data_loaders.kinds import KINDS, Kind, detect_kind
from data_loaders.limits import FileProblem
from data_loaders.read import CONTROL, Sheet, control_character, read_sheet
from data_loaders.validate import Checked, Problem, check_rows

CHUNK = 2000  # references looked up per query (SQLite allows 32,766 parameters)
SMALL_TABLES = {"districts", "finance", "allocations", "targets", "case_studies", "savings_plan",
                "savings_delivery", "care_providers"}
PREVIEW_ROWS = 10  # records a preview keeps to show; the Returns page shows this many
CHANGES_SHOWN = 200  # changed fields a plan keeps to show, so a big update stays a small plan
FILE_NAME_LENGTH = 260  # import_log.file_name


@dataclass(frozen=True)
class FieldChange:
    """One field a load would change in a stored row: which row (district and reference, as the
    return names it), which field, and the stored and new values."""

    district: str | None
    record: str
    field: str
    old: object
    new: object


@dataclass
class Diff:
    inserts: list[dict] = field(default_factory=list)
    updates: list[tuple[int, dict]] = field(default_factory=list)  # (row id, new values)
    unchanged: int = 0
    fields_changed: int = 0
    # (new record, column, stored value) of the first CHANGES_SHOWN changed fields
    changed: list[tuple[dict, str, object]] = field(default_factory=list)


@dataclass
class LoadPlan:
    programme: str
    file_name: str
    sha256: str
    kind: str | None = None
    records: list[dict] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    to_insert: int = 0
    to_update: int = 0
    unchanged: int = 0
    creates_programme: bool = False
    changes: list[FieldChange] = field(default_factory=list)  # the first CHANGES_SHOWN
    fields_changed: int = 0  # every changed field, shown or not
    # How it was asked for, so the same check can run again: the kind named (None: detected)
    # and whether personal data is redacted.
    requested_kind: str | None = None
    redact: bool = False
    # False for a preview: ``records`` holds only the first PREVIEW_ROWS, and ``content`` the file.
    complete: bool = True
    content: bytes | None = field(default=None, repr=False, compare=False)
    # False when the rows were checked but not compared with the database: a load that follows at
    # once compares them itself, inside its lock, so comparing twice would cost the time twice.
    compared: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file_name}: rejected, {count_of(len(self.problems), 'problem')}; nothing written"
        if not self.compared:
            return f"{self.file_name} ({self.kind}): {count_of(len(self.records), 'row')} checked"
        return (f"{self.file_name} ({self.kind}): {self.to_insert} to insert, {self.to_update} to "
                f"update, {self.unchanged} unchanged")


def problems_frame(plan: LoadPlan) -> pd.DataFrame:
    """The problems as a table (row, column, value, reason) for display or CSV download."""
    return pd.DataFrame(
        [(p.row, p.column, p.value, p.reason) for p in plan.problems],
        columns=["row", "column", "value", "reason"],
    )


def district_resolver(conn: Connection, programme_id: int) -> DistrictResolver:
    d = s.districts
    rows = conn.execute(
        select(d.c.id, d.c.name, d.c.code, d.c.aliases).where(d.c.programme_id == programme_id)
    ).all()
    return DistrictResolver([tuple(r) for r in rows])


def _file_name(name: str) -> str:
    """The name as the import log can store it: control characters out, at most 260 characters."""
    cleaned = CONTROL.sub("?", name)
    return cleaned if len(cleaned) <= FILE_NAME_LENGTH else cleaned[:FILE_NAME_LENGTH - 1] + "…"


def plan_load(engine: Engine, programme: str, file_name: str, content: bytes,
              kind: str | None = None, *, redact: bool = False,
              preview_only: bool = False, compare_rows: bool = True) -> LoadPlan:
    """Check a file and preview its load. Personal data in free text is a problem, or with
    ``redact`` (the officer's choice) it is replaced by labels such as "[postcode removed]".
    ``preview_only``: keep the first records and the file, not every record (see the module).
    ``compare_rows`` False: check the rows only, for a load that follows at once."""
    plan = LoadPlan(programme=programme.strip(), file_name=_file_name(file_name),
                    sha256=hashlib.sha256(content).hexdigest(), kind=kind, requested_kind=kind,
                    redact=redact, compared=compare_rows)
    _plan(engine, plan, content)
    if preview_only:
        plan.records = plan.records[:PREVIEW_ROWS]
        plan.complete = False
        plan.content = content if plan.ok else None
    return plan


def _plan(engine: Engine, plan: LoadPlan, content: bytes) -> None:
    kind, file_name = plan.requested_kind, plan.file_name
    if (found := control_character(plan.programme)) is not None:
        plan.problems.append(Problem(None, "", "", f"the programme name contains a control "
                                     f"character, {found}"))
        return
    if kind is not None and kind not in KINDS:
        plan.problems.append(Problem(None, "", kind, f"unknown kind; one of {', '.join(KINDS)}"))
        return
    try:
        sheet = read_sheet(content, kind)
    except FileProblem as error:
        plan.problems.append(_whole_file(error, file_name))
        return
    plan.kind = kind or detect_kind(set(sheet.headers))
    if plan.kind is None:
        expected = "; ".join(f"{k.name}: {', '.join(k.required)}" for k in KINDS.values())
        plan.problems.append(Problem(1, "", ", ".join(sheet.original_headers),
                                     f"cannot tell which return this is from its columns. "
                                     f"Required columns by kind — {expected}"))
        return
    spec = KINDS[plan.kind]
    with engine.connect() as conn:
        try:  # the rows are read as they are checked: reading on can find the file unusable
            rows = (_savings_rows if spec.family == "savings" else _housing_rows)(conn, plan, spec, sheet)
        except FileProblem as error:
            plan.problems.append(_whole_file(error, file_name))
            return
        if rows is None:
            return
        found, checked, names = rows
        plan.records, plan.columns = checked.records, checked.columns
        plan.problems, plan.warnings = [*plan.problems, *checked.problems], checked.warnings
        if found is not None and (family := programme_family(conn, found[0])) not in (None, spec.family):
            plan.problems.append(Problem(None, "", plan.programme, f"'{plan.programme}' is a "
                                         f"{FAMILY_WORDS[family]}; a {plan.kind} return belongs to a "
                                         f"{FAMILY_WORDS[spec.family]} of its own"))
        if plan.ok and found is not None and plan.compared:
            diff = compare(conn, spec, found[0], plan.records, plan.columns)
            plan.to_insert, plan.to_update, plan.unchanged = (
                len(diff.inserts), len(diff.updates), diff.unchanged)
            plan.changes = _field_changes(spec, diff, names)
            plan.fields_changed = diff.fields_changed
        elif plan.ok and found is None:
            plan.to_insert = len(plan.records)


Rows = tuple[tuple[int, str] | None, Checked, dict[int, str]]


CREATES = {"districts": "its districts file", "care_providers": "its providers file",
           "savings_plan": "its savings plan"}  # the return that starts a programme, by kind


def _housing_rows(conn: Connection, plan: LoadPlan, spec: Kind, sheet: Sheet) -> Rows | None:
    """A programme of districts, or of care at home: named by the load; its districts (or
    providers) file creates it. A care return's providers are those of its providers file."""
    if not plan.programme:
        plan.problems.append(Problem(None, "", "", "no programme named for the load: name it with "
                                     "--programme (a return of this kind does not name its own)"))
        return None
    found = _programme(conn, plan, creates=spec.name in CREATES)
    if found is False:
        return None
    resolver = district_resolver(conn, found[0]) if found else DistrictResolver([])
    places = [plan.programme, *resolver.names.values()]
    checked = check_rows(spec, sheet, resolver, redact=plan.redact, places=places)
    if spec.name == "care_hours" and not checked.problems:
        care_rules.against_providers(conn, found[0] if found else None, checked.records, checked.rows,
                                     _reporter(checked))
    return found, checked, resolver.names


def _reporter(checked: Checked) -> Callable[[int, str, object, str], None]:
    def problem(row: int, column: str, value: object, reason: str) -> None:
        checked.problems.append(Problem(row, column, str(value), reason))
    return problem


def _savings_rows(conn: Connection, plan: LoadPlan, spec: Kind, sheet: Sheet) -> Rows | None:
    """A savings programme: named in the file's programme column (a name given to the load must
    agree); its plan creates it; a delivery return is checked against the stored plan."""
    checked = check_rows(spec, sheet, None, redact=plan.redact, places=[plan.programme])
    named = checked.programme
    if named is None:  # no row named one: a column missing, every row refused, or no rows at all
        if not checked.problems:
            checked.problems.append(Problem(None, "", "", "the file has no rows to load"))
        return None, checked, {}
    if plan.programme and named.casefold() != plan.programme.casefold():
        checked.problems.append(Problem(checked.programme_row, "programme", named,
                                        f"the load is for '{plan.programme}', but the file names "
                                        f"'{named}'"))
        return None, checked, {}
    plan.programme = named
    found = _programme(conn, plan, creates=spec.name == "savings_plan")
    if found is False:
        return None, checked, {}
    if spec.name == "savings_delivery":
        savings_rules.against_plan(conn, found[0] if found else None, checked.records, checked.rows,
                                   _reporter(checked))
    return found, checked, {}


def _programme(conn: Connection, plan: LoadPlan, creates: bool) -> tuple[int, str] | None | bool:
    """(id, stored name) of the load's programme; None when this file will create it; False (with
    the problem noted) when it does not exist and this file cannot create it."""
    found = find_programme(conn, plan.programme)
    if found is None and not creates:
        known = ", ".join(programme_names(conn.engine)) or "none yet"
        family = KINDS[plan.kind or "districts"].family
        first = next(what for kind, what in CREATES.items() if KINDS[kind].family == family)
        plan.problems.append(Problem(None, "", plan.programme,
                                     f"no programme called '{plan.programme}' (known: {known}); "
                                     f"load {first} first to create it"))
        return False
    plan.creates_programme = found is None
    if found is not None:
        plan.programme = found[1]
    return found


def _whole_file(error: FileProblem, file_name: str) -> Problem:
    """A problem with the whole file, placed at its row and column when it has one."""
    return Problem(error.row, error.column, error.value or ("" if error.row else file_name),
                   str(error))


def _same(new: object, old: object) -> bool:
    if isinstance(new, float) or isinstance(old, float):
        return old is not None and new is not None and round(float(new), 2) == round(float(old), 2)
    if isinstance(new, date) and isinstance(old, str):  # defensive: SQLite text dates
        return new.isoformat() == old[:10]
    return new == old


def _existing(conn: Connection, spec: Kind, programme_id: int,
              records: list[dict]) -> Iterable[dict]:
    table = spec.table
    base = select(table).where(table.c.programme_id == programme_id)
    if spec.name in SMALL_TABLES:
        yield from conn.execute(base).mappings()
        return
    if "district_id" not in spec.key:  # keyed by month or reference alone: found through its index
        column = spec.key[0]
        values = sorted({record[column] for record in records})
        for start in range(0, len(values), CHUNK):
            yield from conn.execute(base.where(table.c[column].in_(values[start:start + CHUNK]))).mappings()
        return
    ref = spec.key[1]  # (district_id, *_ref[, theme])
    by_district: dict[int, set[str]] = defaultdict(set)
    for record in records:
        by_district[record["district_id"]].add(record[ref])
    for district_id, refs in by_district.items():
        ordered = sorted(refs)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start:start + CHUNK]
            yield from conn.execute(
                base.where(table.c.district_id == district_id, table.c[ref].in_(chunk))
            ).mappings()


def compare(conn: Connection, spec: Kind, programme_id: int, records: list[dict],
            columns: list[str]) -> Diff:
    """Which records are new, which change a stored row, and how many are already there."""
    stored = {tuple(row[k] for k in spec.key): row
              for row in _existing(conn, spec, programme_id, records)}
    diff = Diff()
    for record in records:
        old = stored.get(tuple(record.get(k) for k in spec.key))
        if old is None:
            diff.inserts.append(record)
            continue
        differ = [c for c in columns if not _same(record.get(c), old[c])]
        if not differ:
            diff.unchanged += 1
            continue
        diff.updates.append((int(old["id"]), record))
        room = CHANGES_SHOWN - len(diff.changed)
        diff.changed.extend((record, c, old[c]) for c in differ[:max(room, 0)])
        diff.fields_changed += len(differ)
    return diff


def _field_changes(spec: Kind, diff: Diff, names: dict[int, str]) -> list[FieldChange]:
    """The changed fields as a reader names them: district by name, the row by its reference."""
    refs = [k for k in spec.key if k != "district_id"]

    def record_name(record: dict) -> str:
        return " / ".join("–" if record.get(k) is None else str(record.get(k)) for k in refs)

    return [FieldChange(names.get(record.get("district_id")),  # type: ignore[arg-type]
                        record_name(record), column, old, record.get(column))
            for record, column, old in diff.changed]
