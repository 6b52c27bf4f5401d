"""Triggers that make tables append-only in the database itself, on SQLite and PostgreSQL.

The product never updates or deletes audit rows, frozen meeting figures or issued papers
(``audit_log``, ``snapshot_kpis``, ``snapshot_documents``, ``meeting_papers``); these triggers also
stop anyone else doing it through the application's database login, by mistake or on purpose. A
database administrator can still drop a trigger, which is why every audit row is also hash-chained
(``dashboard.access.audit``): the triggers prevent casual changes, the chain detects deliberate ones.

Registered on each table's ``after_create`` event, so the triggers are created with the table by
``metadata.create_all`` (first start, or an additive upgrade). Imported at the end of
``dashboard.db.schema`` so they are registered whenever the schema is.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

from dashboard.db.schema import audit_log, meeting_papers, snapshot_documents, snapshot_kpis

REFUSED = "audit_log is append-only: audit rows cannot be changed or deleted"
APPEND_ONLY: tuple[Table, ...] = (audit_log, snapshot_kpis, snapshot_documents, meeting_papers)


def refused(name: str) -> str:
    """The message each table's triggers raise (audit_log's is unchanged: tests and docs quote it)."""
    if name == audit_log.name:
        return REFUSED
    return f"{name} is append-only: what was issued to a meeting cannot be changed"


def sqlite_triggers(name: str) -> tuple[str, ...]:
    """SQLite runs one statement per execute, so each trigger is its own DDL."""
    return tuple(
        f"CREATE TRIGGER IF NOT EXISTS {name}_no_{op.lower()} BEFORE {op} ON {name} "
        f"BEGIN SELECT RAISE(ABORT, '{refused(name)}'); END"
        for op in ("UPDATE", "DELETE")
    )


def postgresql_ddl(name: str) -> tuple[str, ...]:
    """Row triggers do not fire for TRUNCATE on PostgreSQL, so it has a statement trigger of its own.
    restrict_violation is an integrity error, as SQLite's RAISE(ABORT) is, so callers see one kind.
    (No '%' in these statements: DDL text goes through Python %-formatting.)"""
    return (
        f"CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{refused(name)}' USING ERRCODE = 'restrict_violation'; END $$",
        f"CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {name} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()",
        f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_append_only()",
    )


SQLITE_TRIGGERS = sqlite_triggers(audit_log.name)
POSTGRESQL_DDL = postgresql_ddl(audit_log.name)

for _table in APPEND_ONLY:
    for _statement in sqlite_triggers(_table.name):
        event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
    for _statement in postgresql_ddl(_table.name):
        event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
