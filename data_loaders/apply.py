"""Writing a checked return: one transaction per file, the summaries it changes changed inside it.

Either every row of the file, its import-log entry and the summaries it changes are committed
together, or nothing is: a failure part way leaves the database exactly as it was. Loads of the same
programme run one after the other (``dashboard.db.locks``): the second waits for the first, then
works out its inserts and updates from what the first wrote.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, insert, select

from dashboard.access import audit
from dashboard.db import schema as s
from dashboard.db.bulk_write import insert_rows, upsert_rows
from dashboard.db.engine import allow_load_time
from dashboard.db.load_changes import LoadChanges
from dashboard.db.locks import lock_programme
from dashboard.db.programmes import find_programme
from dashboard.db.summaries import LIST_DIMENSIONS
from dashboard.figures.format import count_of
from data_loaders.kinds import KINDS
from data_loaders.plan import SMALL_TABLES, LoadPlan, compare, plan_load
from data_loaders.validate import Problem
from data_loaders.values import split_list


class LoadRejected(Exception):
    """The file has problems; ``plan.problems`` lists every one. Nothing was written."""

    def __init__(self, plan: LoadPlan) -> None:
        self.plan = plan
        first = plan.problems[0]
        where = f"row {first.row}, " if first.row else ""
        column = f"column {first.column}: " if first.column else ""
        super().__init__(f"{plan.file_name}: rejected, {count_of(len(plan.problems), 'problem')}, e.g. "
                         f"{where}{column}{first.reason}. Nothing was written.")


@dataclass
class LoadResult:
    kind: str
    file_name: str
    programme: str
    inserted: int
    updated: int
    unchanged: int
    import_id: int
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.file_name} ({self.kind}, {self.programme}): {self.inserted} inserted, "
                f"{self.updated} updated, {self.unchanged} unchanged")


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def apply_plan(engine: Engine, plan: LoadPlan, user: str | None = None,
               also: Callable[[Connection, int], None] | None = None) -> LoadResult:
    """Write the plan; ``also(conn, import_id)`` runs inside the same transaction (the audit row),
    so the load and its record commit or roll back together.

    Raises LoadBusy when another load of the programme holds it for longer than the load limit.
    A preview (``plan.complete`` False) is checked again first, and loaded only if it still passes."""
    if not plan.ok or plan.kind is None:
        raise LoadRejected(plan)
    if not plan.complete:
        plan = _checked_again(engine, plan)
    spec = KINDS[plan.kind]
    with engine.begin() as conn:
        # Before reading anything: the lock decides what this load sees. The audit lock (in
        # ``also``) comes last, so the two are always taken in the same order.
        lock_programme(conn, plan.programme, allow_load_time(conn))
        found = find_programme(conn, plan.programme)
        if found is None:
            programme_id = conn.execute(insert(s.programmes).values(
                name=plan.programme, created_at=datetime.now())).inserted_primary_key[0]
        else:
            programme_id = found[0]
        diff = compare(conn, spec, programme_id, plan.records, plan.columns)
        changes = LoadChanges.before_write(conn, plan.kind, programme_id,
                                           [row_id for row_id, _ in diff.updates])
        import_id = conn.execute(insert(s.import_log).values(
            programme_id=programme_id, kind=plan.kind, file_name=plan.file_name,
            sha256=plan.sha256, rows_inserted=len(diff.inserts), rows_updated=len(diff.updates),
            rows_unchanged=diff.unchanged, rows_rejected=0,
            warnings="\n".join(plan.warnings) or None, loaded_at=datetime.now(),
            loaded_by=user or current_user(),
        )).inserted_primary_key[0]
        table = spec.table
        stamp = {"programme_id": programme_id}
        if "import_id" in table.c:
            stamp["import_id"] = import_id
        upsert_rows(conn, table, spec.key, plan.columns, diff.inserts, diff.updates, stamp,
                    bulk=plan.kind not in SMALL_TABLES)
        _write_coverage(conn, import_id, plan.records)
        if diff.inserts or diff.updates:
            if plan.kind == "cases":
                _write_list_items(conn, import_id, diff.inserts + [r for _, r in diff.updates],
                                  [row_id for row_id, _ in diff.updates],
                                  [name for name in LIST_DIMENSIONS if name in plan.columns])
            changes.after_write(conn, int(import_id), len(diff.inserts) + len(diff.updates))
        if also is not None:
            also(conn, int(import_id))
    return LoadResult(kind=plan.kind, file_name=plan.file_name, programme=plan.programme,
                      inserted=len(diff.inserts), updated=len(diff.updates),
                      unchanged=diff.unchanged, import_id=int(import_id), warnings=plan.warnings)


def _checked_again(engine: Engine, preview: LoadPlan) -> LoadPlan:
    """The full plan for a preview, which kept only its first records: the same file checked the
    same way, against the database as it is now (LoadRejected if it no longer passes)."""
    if preview.content is None:
        raise LoadRejected(_failed(preview, "the preview no longer holds its file; check it again"))
    plan = plan_load(engine, preview.programme, preview.file_name, preview.content,
                     preview.requested_kind, redact=preview.redact)
    if plan.ok and (plan.kind, plan.sha256) != (preview.kind, preview.sha256):
        plan = _failed(plan, "the file is not the one previewed; check it again")
    if not plan.ok:
        raise LoadRejected(plan)
    return plan


def _failed(plan: LoadPlan, reason: str) -> LoadPlan:
    plan.problems.append(Problem(None, "", plan.file_name, reason))
    return plan


def audited_load(plan: LoadPlan, actor: str, role: str) -> Callable[[Connection, int], None]:
    """The audit row for a load, for ``apply_plan(..., also=...)``: written in the load's own
    transaction, naming the file by its SHA-256 so the trail says exactly what was loaded."""
    def record(conn: Connection, import_id: int) -> None:
        action = "target" if plan.kind == "targets" else "load_return"
        audit.record(conn, actor=actor, role=role, action=action, programme=plan.programme,
                     detail=f"import #{import_id}: {plan.file_name} ({plan.kind}), sha256 {plan.sha256}")
    return record


def _record_dates(record: dict) -> list[date]:
    """The dates a record speaks for; finance months and allocation years as their days."""
    if "fy" in record and record.get("fy") is not None:
        fy = record["fy"]
        if "month" in record:
            month = (record["month"] + 2) % 12 + 1
            return [date(fy if month >= 4 else fy + 1, month, 1)]
        return [date(fy, 4, 1), date(fy + 1, 3, 31)]
    return [v for v in record.values() if isinstance(v, date)]


def _write_coverage(conn: Connection, import_id: int, records: list[dict]) -> None:
    """Rows and date span per district in the file: what the submission tracker reads."""
    spans: dict[int, list] = {}
    for record in records:
        district_id = record.get("district_id")
        if district_id is None:
            continue
        span = spans.setdefault(district_id, [0, None, None])
        span[0] += 1
        for day in _record_dates(record):
            span[1] = day if span[1] is None or day < span[1] else span[1]
            span[2] = day if span[2] is None or day > span[2] else span[2]
    if spans:
        conn.execute(insert(s.import_districts), [
            {"import_id": import_id, "district_id": d, "rows": n, "first_date": a, "last_date": b}
            for d, (n, a, b) in spans.items()])


def _write_list_items(conn: Connection, import_id: int, records: list[dict],
                      updated_ids: list[int], lists: list[str]) -> None:
    """Replace the items of the ``lists`` the file supplies, for the cases this load wrote (only an
    updated case can have items already)."""
    if not lists:
        return
    c, items = s.cases, s.case_list_items
    written = conn.execute(select(c.c.id, c.c.programme_id, c.c.district_id, c.c.case_ref)
                           .where(c.c.import_id == import_id)).all()
    by_key = {(row.district_id, row.case_ref): row for row in written}
    ids = sorted(updated_ids)
    for start in range(0, len(ids), 500):
        conn.execute(delete(items).where(items.c.case_id.in_(ids[start:start + 500]),
                                         items.c.list.in_(lists)))
    rows = []
    for record in records:
        case = by_key[(record["district_id"], record["case_ref"])]
        for name in lists:
            for item in split_list(record.get(name)):
                rows.append({"case_id": case.id, "programme_id": case.programme_id,
                             "district_id": case.district_id, "list": name, "item": item})
    insert_rows(conn, items, rows)


def load_file(engine: Engine, programme: str, path: Path | str, kind: str | None = None,
              user: str | None = None, role: str = "command line") -> LoadResult:
    """Check and load one file, on the audit trail like any load; ``LoadRejected`` if it has any
    problem."""
    path = Path(path)
    plan = plan_load(engine, programme, path.name, path.read_bytes(), kind, compare_rows=False)
    actor = (user or "unknown")[:100]
    return apply_plan(engine, plan, user, also=audited_load(plan, actor, role))
