"""Finding a programme by name: shared by the loader (which may create one) and the query layer
(which reads one), so both floors recognise a name the same way, in any case."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, func, select

from dashboard.db import schema as s


class UnknownProgramme(ValueError):
    """Raised with the list of programmes that do exist, so a typo is easy to fix."""


def find_programme(conn: Connection, name: str) -> tuple[int, str] | None:
    """(id, name as stored) of the programme called ``name`` in any case, or None."""
    row = conn.execute(
        select(s.programmes.c.id, s.programmes.c.name)
        .where(func.lower(s.programmes.c.name) == name.strip().lower())
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def programme_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(s.programmes.c.name).order_by(s.programmes.c.name)).scalars())


def programme_id(engine: Engine, name: str) -> int:
    """Id of the programme called ``name`` (any case), or UnknownProgramme naming those that exist."""
    with engine.connect() as conn:
        found = find_programme(conn, name)
    if found is None:
        known = ", ".join(programme_names(engine)) or "none loaded yet"
        raise UnknownProgramme(f"No programme called '{name}'. Programmes: {known}.")
    return found[0]


# What a programme holds: a housing-support programme of districts, or a savings programme.
FAMILY_WORDS = {"housing": "programme of districts", "savings": "savings programme",
                "care": "care-at-home programme"}


def programme_family(conn: Connection, programme_id: int) -> str | None:
    """"savings" if it holds a savings plan, "care" if it has care providers, "housing" if it
    has districts, None while empty."""
    for family, table in (("savings", s.savings_workstreams), ("care", s.care_providers),
                          ("housing", s.districts)):
        if conn.execute(select(table.c.id).where(table.c.programme_id == programme_id).limit(1)).first():
            return family
    return None
