"""Councils and the programmes they hold, for the sidebar and the council overview."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from dashboard.db.councils import find_council
from dashboard.queries.cache import cached_query


@cached_query
def council_names(engine: Engine) -> list[str]:
    """Every council set up (by a councils file, a load with --council, or an administrator)."""
    with engine.connect() as conn:
        return list(conn.execute(select(s.councils.c.name).order_by(s.councils.c.name)).scalars())


@cached_query
def council_programmes(engine: Engine, council: str) -> list[str]:
    """The programmes the council holds, by name."""
    p, cp = s.programmes, s.council_programmes
    with engine.connect() as conn:
        found = find_council(conn, council)
        if found is None:
            return []
        return list(conn.execute(select(p.c.name).join(cp, cp.c.programme_id == p.c.id)
                                 .where(cp.c.council_id == found[0]).order_by(p.c.name)).scalars())


@cached_query
def programmes_on_their_own(engine: Engine) -> list[str]:
    """Programmes given no council: they still work on their own."""
    p, cp = s.programmes, s.council_programmes
    with engine.connect() as conn:
        return list(conn.execute(select(p.c.name).where(p.c.id.not_in(select(cp.c.programme_id)))
                                 .order_by(p.c.name)).scalars())


@cached_query
def council_details(engine: Engine, council: str) -> dict[str, object] | None:
    """name, kind and comparators of a council that is set up; None if it is not."""
    c = s.councils
    with engine.connect() as conn:
        found = find_council(conn, council)
        if found is None:
            return None
        name, kind, comparators = conn.execute(select(c.c.name, c.c.kind, c.c.comparators)
                                               .where(c.c.id == found[0])).one()
    return {"name": name, "kind": kind,
            "comparators": [line for line in (comparators or "").splitlines() if line.strip()]}


def council_of(engine: Engine, programme: str) -> str | None:
    """The council holding the programme, or None (uncached: the packs name their own database)."""
    p, cp, c = s.programmes, s.council_programmes, s.councils
    with engine.connect() as conn:
        return conn.execute(select(c.c.name).join(cp, cp.c.council_id == c.c.id)
                            .join(p, p.c.id == cp.c.programme_id)
                            .where(func.lower(p.c.name) == programme.strip().lower())).scalar()
