"""The role assignments an administrator edits: e-mail addresses and groups, and their roles.

Read on every run (one small indexed query), never cached, so a role taken away takes effect at
the person's next click. Every change checks the editor's role again and is audited in the same
transaction.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, delete, insert, select, update

from dashboard.access import audit
from dashboard.access.roles import Role, User, normalise_principal, require
from dashboard.db import schema as s
from dashboard.db.engine import database_url, get_engine


def _engine(engine: Engine | None) -> Engine:
    """The configured database unless a caller (a test, the sign-in code) passes its own."""
    return engine or get_engine(database_url())


def assignments(engine: Engine | None = None) -> dict[str, str]:
    """Principal → role word."""
    table = s.role_assignments
    with _engine(engine).connect() as conn:
        return dict(conn.execute(select(table.c.principal, table.c.role)).all())


def assignments_frame(engine: Engine | None = None) -> pd.DataFrame:
    """Columns: principal, role, assigned_by, assigned_at; people first, then groups, by name."""
    table = s.role_assignments
    with _engine(engine).connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.principal)).mappings().all()
    frame = pd.DataFrame(rows, columns=["principal", "role", "assigned_by", "assigned_at"])
    groups_last = frame["principal"].str.startswith("group:").rename("is_group")
    return frame.loc[pd.concat([groups_last, frame["principal"]], axis=1)
                     .sort_values(["is_group", "principal"]).index].reset_index(drop=True)


def assign_role(editor: User, principal: str, role: Role, engine: Engine | None = None) -> str:
    """Give ``principal`` ``role`` (replacing any earlier one); returns the stored principal."""
    require(editor, "edit_roles")
    principal = normalise_principal(principal)
    table = s.role_assignments
    values = {"role": role.label, "assigned_by": editor.actor, "assigned_at": datetime.now()}
    with _engine(engine).begin() as conn:
        existing = conn.execute(select(table.c.role).where(table.c.principal == principal)).first()
        if existing is None:
            conn.execute(insert(table).values(principal=principal, **values))
        else:
            conn.execute(update(table).where(table.c.principal == principal).values(**values))
        before = "none" if existing is None else existing[0]
        audit.record(conn, actor=editor.actor, role=editor.role.label, action="role",
                     detail=f"{principal}: {before} -> {role.label}")
    return principal


def remove_role(editor: User, principal: str, engine: Engine | None = None) -> bool:
    """Take away ``principal``'s assignment; False if there was none."""
    require(editor, "edit_roles")
    principal = normalise_principal(principal)
    table = s.role_assignments
    with _engine(engine).begin() as conn:
        existing = conn.execute(select(table.c.role).where(table.c.principal == principal)).first()
        if existing is None:
            return False
        conn.execute(delete(table).where(table.c.principal == principal))
        audit.record(conn, actor=editor.actor, role=editor.role.label, action="role",
                     detail=f"{principal}: {existing[0]} -> none")
    return True
