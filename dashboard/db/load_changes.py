"""A load's changes to the summaries, in time that follows the load's own rows.

Rebuilding a district's summaries from every row made each load cost the size of the programme.
Instead, before the write, the stored rows a load is about to change are aggregated (their share is
taken out); after it, the rows it wrote (its import id) are aggregated and added in. Both are the
same ``GROUP BY`` the full rebuild uses (``summaries.aggregate_query``), so a KPI has one definition.

A summary row keeps the newest record date of its month (``latest``). Adding can only move it
later; a record that leaves a month can take the newest date with it, and only then is that one
district's month worked out again from its rows (a date corrected backwards: rare, and bounded by a
district). Sums of money are rounded to the penny, as the columns hold them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Column, Connection, Integer, MetaData, Numeric, Table, and_, bindparam, select

from dashboard.db import schema as s
from dashboard.db.bulk_write import replace_by_key
from dashboard.db.summaries import (
    EVENTS,
    SUMMARIES_FOR_KIND,
    Scope,
    aggregate_query,
    checks_for_load,
    quality_counts,
)

# The ids of the stored rows a load changes, for the length of its transaction.
LOAD_ROWS = Table("load_rows", MetaData(), Column("id", Integer, primary_key=True))
QUALITY_EVENTS = ("rows",)
DERIVED = ("fy", "quarter", "latest")

Rows = dict[tuple, dict]


@dataclass
class LoadChanges:
    """What a load takes out of the summaries before it writes, to add back what it wrote after."""

    kind: str
    programme_id: int
    removed: dict[str, Rows] = field(default_factory=dict)

    @classmethod
    def before_write(cls, conn: Connection, kind: str, programme_id: int,
                     changed_ids: list[int]) -> LoadChanges:
        """The share of the stored rows about to change (``changed_ids``), read before they do."""
        changes = cls(kind, programme_id)
        if not changed_ids or kind not in SUMMARIES_FOR_KIND:
            return changes
        _hold_ids(conn, changed_ids)
        scope = Scope(programme_id, rows=lambda table: table.c.id.in_(select(LOAD_ROWS.c.id)))
        for name in SUMMARIES_FOR_KIND[kind]:
            changes.removed[name] = _aggregate(conn, s.metadata.tables[name], scope)
        changes.removed[s.summary_quality.name] = quality_counts(conn, kind, scope)
        return changes

    def after_write(self, conn: Connection, import_id: int, rows_written: int) -> None:
        """Add the rows the load wrote, keep its records to check, and mend any month whose newest
        date left with a changed row."""
        if self.kind not in SUMMARIES_FOR_KIND:
            return
        _statistics_current(conn, s.metadata.tables[self.kind], rows_written)
        written = Scope(self.programme_id, rows=lambda table: table.c.import_id == import_id)
        for name in SUMMARIES_FOR_KIND[self.kind]:
            summary = s.metadata.tables[name]
            stale = _merge(conn, summary, _aggregate(conn, summary, written),
                           self.removed.get(name, {}), EVENTS[name])
            _rebuild_months(conn, summary, self.programme_id, stale)
        _merge(conn, s.summary_quality, quality_counts(conn, self.kind, written),
               self.removed.get(s.summary_quality.name, {}), QUALITY_EVENTS)
        checks_for_load(conn, self.kind, self.programme_id, import_id)


GROWTH_TO_ANALYZE = 0.1  # PostgreSQL: new rows, as a share of those it knows of, that call for statistics


def _statistics_current(conn: Connection, table: Table, rows_written: int) -> None:
    """Fresh PostgreSQL statistics when a load grows a table by a tenth or more: planned on stale
    figures (a first load into an empty table), the reference grouping ran a nested loop over
    every row, quadratic. ANALYZE samples a fixed number of rows and counts the transaction's own."""
    if conn.dialect.name != "postgresql":
        return
    known = conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = %(name)s::regclass",
                                 {"name": table.name}).scalar() or 0
    if known <= 0 or rows_written >= GROWTH_TO_ANALYZE * known:
        conn.exec_driver_sql(f"ANALYZE {table.name}")
        if table.name == "cases":
            conn.exec_driver_sql("ANALYZE case_list_items")


def create_load_rows(conn: Connection) -> None:
    """The temporary table of changed rows' ids, empty, for this transaction (SQLite keeps a
    temporary table for the connection, PostgreSQL drops it at commit)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("CREATE TEMPORARY TABLE IF NOT EXISTS load_rows "
                             "(id integer PRIMARY KEY) ON COMMIT DROP")
    else:
        conn.exec_driver_sql("CREATE TEMPORARY TABLE IF NOT EXISTS load_rows (id INTEGER PRIMARY KEY)")
    conn.execute(LOAD_ROWS.delete())


def _hold_ids(conn: Connection, ids: list[int]) -> None:
    """The changed rows' ids in a temporary table, so the aggregate joins them through the key."""
    create_load_rows(conn)
    conn.execute(LOAD_ROWS.insert(), [{"id": i} for i in ids])
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE load_rows")  # a temporary table has no statistics otherwise


def _key_names(table: Table) -> list[str]:
    return [c.name for c in table.primary_key.columns]


def _aggregate(conn: Connection, summary: Table, scope: Scope) -> Rows:
    keys = _key_names(summary)
    query = aggregate_query(summary, scope.programme_id, scope=scope)
    return {tuple(row[k] for k in keys): dict(row) for row in conn.execute(query).mappings()}


def _number(row: dict | None, column: str) -> float:
    return 0 if row is None or row[column] is None else row[column]


def _day(value: object) -> date | None:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value  # type: ignore[return-value]


def _merge(conn: Connection, table: Table, added: Rows, removed: Rows,
           events: tuple[str, ...]) -> list[tuple]:
    """Stored rows + added − removed, key by key; a row whose records all left is deleted. Returns
    the keys whose newest date may have left with a removed record."""
    keys = set(added) | set(removed)
    if not keys:
        return []
    names = _key_names(table)
    sums = [c.name for c in table.columns if c.name not in names and c.name not in DERIVED]
    money = {c for c in sums if isinstance(table.c[c].type, Numeric)}
    counts = {c for c in sums if isinstance(table.c[c].type, Integer)}
    where = [table.c.programme_id == next(iter(keys))[0]]
    for name in ("district_id", "ym"):  # a care summary has no district; the quality one no month
        if name in names:
            where.append(table.c[name].in_(sorted({k[names.index(name)] for k in keys})))
    stored = {tuple(r[k] for k in names): dict(r)
              for r in conn.execute(select(table).where(*where)).mappings()}
    written: list[dict] = []
    gone, stale = [], []
    for key in keys:
        old, plus, minus = stored.get(key), added.get(key), removed.get(key)
        row = dict(old or plus or minus or {})
        for column in sums:
            value = _number(old, column) + _number(plus, column) - _number(minus, column)
            row[column] = (round(float(value), 2) if column in money else int(value) if column in counts
                           else float(value))
        if sum(row[c] for c in events) <= 0:
            if old is not None:
                gone.append(key)
            continue
        if "latest" in table.c:
            newest = [_day(r["latest"]) for r in (old, plus) if r is not None]
            row["latest"] = max(newest) if newest else _day(minus["latest"])  # type: ignore[index]
            if minus is not None and _day(minus["latest"]) >= row["latest"] and not (
                    plus is not None and _day(plus["latest"]) >= _day(minus["latest"])):
                stale.append(key)
        written.append(row)
    if gone:
        conn.execute(table.delete().where(and_(*(table.c[k] == bindparam(f"k_{k}") for k in names))),
                     [{f"k_{k}": v for k, v in zip(names, key, strict=True)} for key in gone])
    replace_by_key(conn, table, written)
    return stale


def _rebuild_months(conn: Connection, summary: Table, programme_id: int,
                    stale: Iterable[tuple]) -> None:
    """Work out each district-month in ``stale`` again from its rows."""
    months: dict[int, set[int]] = {}
    for key in stale:
        months.setdefault(key[1], set()).add(key[2])
    for district_id, yms in months.items():
        exact = aggregate_query(summary, programme_id, [district_id]).subquery()
        rows = conn.execute(select(exact).where(exact.c.ym.in_(sorted(yms)))).mappings().all()
        conn.execute(summary.delete().where(summary.c.programme_id == programme_id,
                                            summary.c.district_id == district_id,
                                            summary.c.ym.in_(sorted(yms))))
        if rows:
            conn.execute(summary.insert(), [dict(r) for r in rows])
