"""Triggers that make ``audit_log`` append-only in the database itself, on SQLite and PostgreSQL.

The product never updates or deletes audit rows; these triggers also stop anyone else doing it
through the application's database login, by mistake or on purpose. A database administrator can
still drop a trigger, which is why every row is also hash-chained (``dashboard.access.audit``): the
triggers prevent casual changes, the chain detects deliberate ones.

Registered on the table's ``after_create`` event, so the triggers are created with the table by
``metadata.create_all`` (first start, or the upgrade from schema version 1). Imported at the end of
``dashboard.db.schema`` so they are registered whenever the schema is.
"""

from __future__ import annotations

from sqlalchemy import DDL, event

from dashboard.db.schema import audit_log

REFUSED = "audit_log is append-only: audit rows cannot be changed or deleted"

# SQLite runs one statement per execute, so each trigger is its own DDL.
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
    for op in ("UPDATE", "DELETE")
)

# Row triggers do not fire for TRUNCATE on PostgreSQL, so it has a statement trigger of its own.
# restrict_violation is an integrity error, as SQLite's RAISE(ABORT) is, so callers see one kind.
# (No '%' in these statements: DDL text goes through Python %-formatting.)
POSTGRESQL_DDL = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'restrict_violation'; END $$",
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)

for _statement in SQLITE_TRIGGERS:
    event.listen(audit_log, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_DDL:
    event.listen(audit_log, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
