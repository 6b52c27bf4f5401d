"""Files that belong to a council rather than to one programme: CQC's care directory and ratings,
the council's contracts and its population figures. One entry point tells them from a programme's
returns by their headings and loads (or only checks) them; ``under_council`` puts a programme a
load writes under the council it names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine

from dashboard.access import audit
from dashboard.db.councils import ensure_council, place_programme
from dashboard.db.programmes import find_programme
from data_loaders import care_inspectorate, council_files, cqc
from data_loaders.limits import FileProblem
from data_loaders.plan import LoadPlan
from data_loaders.regulator_read import read_table


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str


def council_level_kind(content: bytes) -> str | None:
    """'contracts', 'population', 'councils', 'locations', 'ratings' or 'ci_grades'; None for a
    programme's return."""
    return (council_files.detect_kind(content) or cqc.detect_kind(content)
            or care_inspectorate.detect_kind(content))


def load_council_level(engine: Engine, file_name: str, content: bytes, actor: str, council: str | None,
                       as_at: date | None, write: bool = True, role: str = "command line") -> Outcome | None:
    """Load (or, with ``write`` False, only check) a council-level file; None if it is not one."""
    kind = council_level_kind(content)
    if kind is None:
        return None
    try:
        if not write:
            return Outcome(True, check_council_level(file_name, content, kind, council, as_at))
        if kind in council_files.KIND_NAMES:
            result = council_files.load_council_file(engine, file_name, content, actor, council, role, kind)
            return Outcome(True, result.summary())
        if kind == care_inspectorate.KIND:
            return Outcome(True, care_inspectorate.load_grades_file(engine, file_name, content, actor, as_at,
                                                                   role).summary())
        loaded = cqc.load_cqc_file(engine, file_name, content, actor, as_at, role, kind)
        if council:
            with engine.begin() as conn:
                _id, created = ensure_council(conn, council)
                if created:
                    audit.record(conn, actor=actor, role=role, action="council",
                                 detail=f"council {council[:100]} created by a load of {file_name[:100]}")
        return Outcome(True, loaded.summary())
    except (cqc.CqcProblems, FileProblem, ValueError) as error:
        message = str(error)
        if not isinstance(error, cqc.CqcProblems):
            message = f"{file_name} was refused; nothing was written.\n  file: {message}"
        return Outcome(False, message)


def check_council_level(file_name: str, content: bytes, kind: str, council: str | None,
                        as_at: date | None) -> str:
    """Every check a load makes, nothing written: raises as a load would."""
    if kind in council_files.KIND_NAMES:
        if kind == "contracts" and not council:
            raise FileProblem("a contracts file is the council's own: name the council with --council")
        table = read_table(content, council_files.KEY_HEADING[kind])
        rows = len(council_files.READERS[kind](table, file_name))
        return f"{file_name}: {council_files.KIND_NAMES[kind]}: {rows:,} rows pass every check"
    if kind == care_inspectorate.KIND:
        rows = care_inspectorate.check_grades_file(file_name, content, as_at)
        return f"{file_name}: {care_inspectorate.KIND_NAME}: {rows:,} rows pass every check"
    rows = cqc.check_cqc_file(file_name, content, kind, as_at)
    return f"{file_name}: {cqc.KIND_NAMES[kind]}: {rows:,} rows pass every check"


def under_council(plan: LoadPlan, council: str,
                  also: Callable[[Connection, int], None]) -> Callable[[Connection, int], None]:
    """``also`` for ``apply_plan``: after the audit row, put the programme under ``council``
    (created if new), in the load's own transaction."""
    def record(conn: Connection, import_id: int) -> None:
        also(conn, import_id)
        found = find_programme(conn, plan.programme)
        if found is not None:
            council_id, _created = ensure_council(conn, council)
            place_programme(conn, found[0], council_id)
    return record
