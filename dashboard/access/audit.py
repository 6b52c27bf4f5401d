"""The audit trail: who signed in, loaded a return, edited commentary, targets, actions or roles,
issued a meeting or downloaded a pack, and when. Append-only and tamper-evident.

Append-only: the product only ever inserts into ``audit_log``, and database triggers refuse UPDATE,
DELETE (and TRUNCATE on PostgreSQL) from anyone else (``dashboard.db.append_only``).

Tamper-evident: each row stores ``prev_hash``, the hash of the row before it (64 zeros for the
first), and ``hash``, the SHA-256 (hex) of the UTF-8 bytes of a canonical JSON object holding
``prev_hash``, ``at``, ``actor``, ``role``, ``action``, ``programme`` and ``detail`` (keys sorted,
no spaces, non-ASCII escaped, ``null`` for missing values; ``at`` as
``YYYY-MM-DDTHH:MM:SS.ffffff``). Someone who drops the triggers and edits, deletes, inserts or
reorders rows breaks the chain, and :func:`verify` names the first row affected. Limits: rows cut
off the end, or a whole chain rewritten, leave a valid chain; compare the newest hash with one
noted earlier (``python -m dashboard.audit verify`` prints it) to catch those.

Times are UTC, naive, to the whole second: the same value is stored and hashed, and it reads back
identically from SQLite (text) and PostgreSQL (``timestamp``), so verification never depends on
how a dialect keeps fractions of a second or on the server's time zone.

One chain, one writer at a time: two writers reading the same newest hash would fork the chain.
``prev_hash`` is unique, so a fork can never be stored; and writers queue rather than fail:

* PostgreSQL: :func:`record` takes ``pg_advisory_xact_lock`` on a fixed key before reading the
  newest hash; the lock is held until the caller's transaction ends. Under READ COMMITTED (the
  default) the read after the lock sees the previous writer's committed row.
* SQLite: :func:`record` first makes a write that changes nothing, which takes the database write
  lock (waiting up to ``busy_timeout``) before the newest hash is read; SQLite holds that lock until
  the transaction ends. This relies on the default pysqlite behaviour of starting the transaction
  at the first write (the project's engine), so no older read snapshot is in use.

Call :func:`record` as the last statement of the caller's transaction: the audit lock is then
held only for the commit and is always the last lock taken, so it cannot take part in a deadlock.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, get_args

from sqlalchemy import BigInteger, Connection, Engine, String, false, func, insert, literal, select, update
from sqlalchemy import type_coerce as coerce

from dashboard.db.schema import audit_log, meta

Action = Literal["sign_in", "sign_out", "load_return", "commentary", "target", "action", "role", "meeting",
                 "issue_meeting", "download_pack", "load_regulator_file", "council"]
ACTIONS: tuple[str, ...] = get_args(Action)
ACTION_LABELS: dict[str, str] = {
    "sign_in": "Signed in",
    "sign_out": "Signed out",
    "load_return": "Loaded a return",
    "commentary": "Wrote or edited commentary",
    "target": "Set or edited a target",
    "action": "Wrote or edited an action",
    "role": "Changed a role",
    "meeting": "Created a meeting",
    "issue_meeting": "Issued a meeting",
    "download_pack": "Downloaded a pack",
    "load_regulator_file": "Loaded a regulator's file",
    "council": "Set up or changed a council",
}
GENESIS = "0" * 64
# The PostgreSQL advisory lock every audit writer queues on: the bytes of "auditlog" as a bigint.
LOCK_KEY = int.from_bytes(b"auditlog", "big")
_MAX_LENGTHS = {"actor": 200, "role": 20, "programme": 100}  # the column sizes, checked on SQLite too


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`: ``rows`` is how many rows were found sound before any problem."""

    ok: bool
    rows: int
    bad_id: int | None = None
    problem: str | None = None
    last_hash: str | None = None  # newest hash when ok: note it to detect rows cut off the end

    @property
    def message(self) -> str:
        if self.ok:
            return f"Audit trail intact: {self.rows:,} rows"
        return f"Audit trail broken at row {self.bad_id}: {self.problem}"


def timestamp_text(at: datetime) -> str:
    """How ``at`` enters the hash: fixed width, so a value always has exactly one spelling."""
    return at.isoformat(timespec="microseconds")


def row_hash(prev_hash: str, at: datetime, actor: object, role: object, action: object,
             programme: object, detail: object) -> str:
    """SHA-256 hex of the canonical JSON of one row (see the module docstring)."""
    fields = {"prev_hash": prev_hash, "at": timestamp_text(at), "actor": actor, "role": role,
              "action": action, "programme": programme, "detail": detail}
    # default=repr: a value a tamperer changed to another type hashes differently, never crashes.
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                           default=repr)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def utc_second(moment: datetime) -> datetime:
    """``moment`` as stored: naive UTC, whole seconds (an aware time is converted, never relabelled)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def _now() -> datetime:
    return utc_second(datetime.now(UTC))


def _check(actor: str, role: str, action: str, programme: str | None, detail: str | None) -> None:
    """Refuse what one database would store and the other reject, so both behave alike."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}; expected one of {', '.join(ACTIONS)}.")
    values = {"actor": actor, "role": role, "programme": programme, "detail": detail}
    for name in ("actor", "role"):
        if not isinstance(values[name], str) or not values[name].strip():
            raise ValueError(f"An audit record needs a {name}.")
    for name, value in values.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValueError(f"The audit {name} must be text, not {type(value).__name__}.")
        if name in _MAX_LENGTHS and len(value) > _MAX_LENGTHS[name]:
            raise ValueError(f"The audit {name} is longer than {_MAX_LENGTHS[name]} characters.")
        if "\x00" in value:
            raise ValueError(f"The audit {name} contains a NUL character.")


def _take_chain_lock(conn: Connection) -> None:
    """Queue behind any other audit writer until this transaction ends (see the module docstring)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(literal(LOCK_KEY, BigInteger))))
    elif conn.dialect.name == "sqlite":
        conn.execute(update(meta).where(false()).values(value=meta.c.value))
    # Elsewhere the unique prev_hash still refuses a fork: a racing writer fails instead of queueing.


def record(conn: Connection, *, actor: str, role: str, action: str, programme: str | None = None,
           detail: str | None = None) -> int:
    """Append one row inside the caller's transaction, so it commits or rolls back with the work it
    records. Returns the new row's id. Raises ValueError for an unknown action or unusable text."""
    _check(actor, role, action, programme, detail)
    _take_chain_lock(conn)
    newest = select(audit_log.c.hash).order_by(audit_log.c.id.desc()).limit(1)
    prev_hash = conn.execute(newest).scalar() or GENESIS
    at = _now()  # after the lock, so times never go backwards along the chain
    values = {"prev_hash": prev_hash, "at": at, "actor": actor, "role": role, "action": action,
              "programme": programme, "detail": detail}
    new = conn.execute(insert(audit_log).values(**values, hash=row_hash(**values)))
    return int(new.inserted_primary_key[0])


def newest_id(engine: Engine) -> int:
    """The newest row's id: every write the product makes (a load, a comment, an action, an issued
    meeting) adds a row in its own transaction, so a figure kept with this id is current while the
    id is unchanged."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.coalesce(func.max(audit_log.c.id), 0))).scalar())


def record_event(engine: Engine, *, actor: str, role: str, action: str, programme: str | None = None,
                 detail: str | None = None) -> int:
    """:func:`record` in a transaction of its own, for events that write nothing else (sign-in,
    downloads)."""
    with engine.begin() as conn:
        return record(conn, actor=actor, role=role, action=action, programme=programme, detail=detail)


def _as_datetime(value: object) -> datetime | None:
    """The stored time as read: SQLite hands back its text, PostgreSQL a datetime."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def verify(engine: Engine) -> VerifyResult:
    """Walk the chain in id order, recomputing every hash; read-only. The first row whose contents
    or link to the row before it are wrong is reported with what is wrong."""
    t = audit_log
    # The time is read as stored (not parsed by SQLAlchemy), so a mangled value is reported, not raised.
    query = select(t.c.id, coerce(t.c.at, String).label("at"), t.c.actor, t.c.role, t.c.action,
                   t.c.programme, t.c.detail, t.c.prev_hash, t.c.hash).order_by(t.c.id)
    expected, previous_id, count = GENESIS, None, 0
    bad = None
    with engine.connect() as conn:
        with conn.execution_options(yield_per=1000).execute(query) as rows:  # streamed, not all held
            for row in rows:
                at = _as_datetime(row.at)
                changed = at is None or row.hash != row_hash(row.prev_hash, at, row.actor, row.role,
                                                             row.action, row.programme, row.detail)
                if changed or row.prev_hash != expected:
                    bad = row, at, changed
                    break
                expected, previous_id, count = row.hash, row.id, count + 1
        if bad is None:
            return VerifyResult(True, count, last_hash=expected if count else None)
        row, at, changed = bad
        problems = []
        if at is None:
            problems.append("its time has been changed to something that is not a time")
        elif changed:
            problems.append("its contents have been changed since it was written (the hash does not match)")
        if row.prev_hash != expected:
            followed = conn.execute(select(t.c.id).where(t.c.hash == row.prev_hash).limit(1)).scalar()
            problems.append(_link_problem(row.prev_hash, previous_id, followed))
    return VerifyResult(False, count, bad_id=row.id, problem="; and ".join(problems))


def _link_problem(prev_hash: str, previous_id: int | None, followed: int | None) -> str:
    """Why a row's ``prev_hash`` is not the hash of the row before it, in words."""
    if previous_id is None:
        if followed is not None:
            return f"it is the first row but follows row {followed}: rows have been reordered"
        return "it is the first row but does not start the chain: earlier rows have been deleted"
    if prev_hash == GENESIS:
        return f"it claims to start the chain but follows row {previous_id}: it was inserted"
    if followed is not None:
        return (f"it follows row {followed} in the chain, not row {previous_id} before it: a row has "
                "been inserted or rows reordered")
    return (f"it does not follow row {previous_id} before it: a row between them has been deleted, "
            f"or row {previous_id} was rewritten with a new hash")
