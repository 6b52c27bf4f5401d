"""Triggers that make tables append-only in the database itself, on SQLite and PostgreSQL.

The product never updates or deletes audit rows, frozen meeting figures or issued papers
(``audit_log``, ``snapshot_kpis``, ``snapshot_documents``, ``meeting_papers``); these triggers also
stop anyone else doing it through the application's database login, by mistake or on purpose. A
database administrator can still drop a trigger, which is why every audit row is also hash-chained
(``dashboard.access.audit``): the triggers prevent casual changes, the chain detects deliberate ones.

Registered on each table's ``after_create`` event, so the triggers are created with the table by
``metadata.create_all`` (first start, or an additive upgrade). ``dashboard.db.schema`` calls
``protect`` on its tables as it defines them; this module knows no table of its own.
"""

from __future__ import annotations

from sqlalchemy import DDL, Table, event

REFUSED = "audit_log is append-only: audit rows cannot be changed or deleted"
AUDIT_LOG = "audit_log"


def refused(name: str) -> str:
    """The message each table's triggers raise (audit_log's is unchanged: tests and docs quote it)."""
    if name == AUDIT_LOG:
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


def protect(*tables: Table) -> None:
    """Create each table's refusing triggers whenever the table itself is created."""
    for table in tables:
        for statement in sqlite_triggers(table.name):
            event.listen(table, "after_create", DDL(statement).execute_if(dialect="sqlite"))
        for statement in postgresql_ddl(table.name):
            event.listen(table, "after_create", DDL(statement).execute_if(dialect="postgresql"))
