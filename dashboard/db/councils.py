"""Finding and setting up a council: shared by the loader (which may create one) and the queries
(which read one), so both recognise a council's name the same way, in any case and spacing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, func, select

from dashboard.db import schema as s

KINDS = ("Local authority", "Integration joint board")
MAX_COMPARATORS = 60


class UnknownCouncil(ValueError):
    """Raised with the councils that do exist, so a typo is easy to fix."""


WRITES_KEY = "council_writes"


def note_council_write(conn: Connection) -> None:
    """Count a write to council-level data (councils, CQC snapshots, contracts, population): the
    count is part of the data version, so cached pages show it at once, as they do a return."""
    meta = s.meta
    current = conn.execute(select(meta.c.value).where(meta.c.key == WRITES_KEY)).scalar()
    if current is None:
        conn.execute(meta.insert().values(key=WRITES_KEY, value="1"))
    else:
        conn.execute(meta.update().where(meta.c.key == WRITES_KEY).values(value=str(int(current) + 1)))


def council_writes(conn: Connection) -> int:
    value = conn.execute(select(s.meta.c.value).where(s.meta.c.key == WRITES_KEY)).scalar()
    return int(value or 0)


def council_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def find_council(conn: Connection, name: str) -> tuple[int, str] | None:
    """(id, name as stored) of the council called ``name``, in any case and spacing, or None."""
    row = conn.execute(select(s.councils.c.id, s.councils.c.name)
                       .where(func.lower(s.councils.c.name) == council_key(name))).first()
    return None if row is None else (int(row[0]), str(row[1]))


def council_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(s.councils.c.name).order_by(s.councils.c.name)).scalars())


def council_id(engine: Engine, name: str) -> int:
    with engine.connect() as conn:
        found = find_council(conn, name)
    if found is None:
        known = ", ".join(council_names(engine)) or "none set up yet"
        raise UnknownCouncil(f"No council called '{name}'. Councils: {known}.")
    return found[0]


def clean_name(name: str) -> str:
    """A council's name as stored: spaces collapsed; refused if empty, too long or not text."""
    cleaned = " ".join(str(name).split())
    if not cleaned or len(cleaned) > 100 or not cleaned.isprintable():
        raise ValueError(f"'{cleaned[:40]}' is not a council's name (1 to 100 printable characters)")
    return cleaned


def ensure_council(conn: Connection, name: str, kind: str = KINDS[0],
                   comparators: list[str] | None = None) -> tuple[int, bool]:
    """(id, created) of the council called ``name``, created if new. Comparators are set only
    when given, so a load naming the council keeps the group an administrator chose."""
    cleaned = clean_name(name)
    if kind not in KINDS:
        raise ValueError(f"a council is one of: {', '.join(KINDS)}; not '{kind}'")
    group = None if comparators is None else comparator_text(comparators)
    found = find_council(conn, cleaned)
    if found is not None:
        if group is not None:
            conn.execute(s.councils.update().where(s.councils.c.id == found[0])
                         .values(comparators=group, kind=kind))
            note_council_write(conn)
        return found[0], False
    note_council_write(conn)
    new_id = conn.execute(s.councils.insert().values(
        name=cleaned, kind=kind, comparators=group or "", created_at=datetime.now())).inserted_primary_key[0]
    return int(new_id), True


def comparator_text(names: list[str]) -> str:
    cleaned = list(dict.fromkeys(clean_name(n) for n in names if str(n).strip()))
    if len(cleaned) > MAX_COMPARATORS:
        raise ValueError(f"a comparator group holds at most {MAX_COMPARATORS} councils")
    return "\n".join(cleaned)


def place_programme(conn: Connection, programme_id: int, council: int) -> None:
    """Put the programme under the council (moving it if it was under another)."""
    table = s.council_programmes
    note_council_write(conn)
    if conn.execute(select(table.c.council_id).where(table.c.programme_id == programme_id)).first():
        conn.execute(table.update().where(table.c.programme_id == programme_id).values(council_id=council))
    else:
        conn.execute(table.insert().values(programme_id=programme_id, council_id=council))
