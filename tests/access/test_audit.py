"""The audit trail: appended in the caller's transaction, refused changes, and every kind of
tampering found by ``verify`` — on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from dashboard.access import audit
from dashboard.access.audit import GENESIS, record, record_event, row_hash, timestamp_text, verify
from dashboard.db.engine import get_engine
from dashboard.db.schema import audit_log, programmes
from dashboard.queries.audit import entries_frame

t = audit_log


def _record_several(engine: Engine, count: int = 5) -> list[int]:
    details = ["file blaby-cases-2019-06.csv, 412 rows", None, "Café «commentary»\nsecond line",
               'quote " and backslash \\', "", "plain"]
    return [record_event(engine, actor=f"user{i % 2}@council.gov.uk", role="manager",
                         action=audit.ACTIONS[i % len(audit.ACTIONS)],
                         programme=None if i == 1 else "Lightbulb", detail=details[i % len(details)])
            for i in range(count)]


def _rows(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(t).order_by(t.c.id)).all()


def _count(engine: Engine, table=audit_log) -> int:  # noqa: ANN001 - a Table
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def _drop_triggers(engine: Engine) -> None:
    """What a database administrator could do; the chain must still give the change away."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_update"))
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))


def _tamper(engine: Engine, statement) -> None:  # noqa: ANN001 - any executable
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.execute(statement)


def test_chain_of_records_verifies(engine: Engine) -> None:
    ids = _record_several(engine, 6)
    rows = _rows(engine)
    assert [r.id for r in rows] == ids
    assert rows[0].prev_hash == GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    result = verify(engine)
    assert (result.ok, result.rows, result.bad_id, result.last_hash) == (True, 6, None, rows[-1].hash)
    assert result.message == "Audit trail intact: 6 rows"


def test_empty_trail_is_intact(engine: Engine) -> None:
    result = verify(engine)
    assert (result.ok, result.rows, result.last_hash) == (True, 0, None)


def test_time_is_stored_and_hashed_identically_on_both_databases(engine: Engine,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # 01:30 on the day the UK clocks go forward: a time that does not exist locally, fine in UTC.
    moment = datetime(2025, 3, 30, 1, 30, 5)
    monkeypatch.setattr(audit, "_now", lambda: moment)
    row_id = record_event(engine, actor="jo", role="admin", action="sign_in")
    with engine.connect() as conn:
        row = conn.execute(select(t).where(t.c.id == row_id)).one()
    assert row.at == moment
    assert timestamp_text(row.at) == "2025-03-30T01:30:05.000000"
    assert row.hash == row_hash(GENESIS, moment, "jo", "admin", "sign_in", None, None)
    # The serialisation is fixed for good: changing it would break every chain already stored.
    canonical = ('{"action":"sign_in","actor":"jo","at":"2025-03-30T01:30:05.000000","detail":null,'
                 f'"prev_hash":"{GENESIS}","programme":null,"role":"admin"}}')
    assert row.hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert verify(engine).ok


def test_times_are_whole_seconds_utc() -> None:
    summer = datetime(2025, 7, 1, 9, 15, 30, 999_999, tzinfo=ZoneInfo("Europe/London"))
    assert audit.utc_second(summer) == datetime(2025, 7, 1, 8, 15, 30)
    now = audit._now()
    assert now.tzinfo is None and now.microsecond == 0


@pytest.mark.parametrize("bad", [
    {"action": "delete_everything"},
    {"actor": "  "},
    {"role": "r" * 21},
    {"programme": "p" * 101},
    {"detail": "nul \x00 inside"},
])
def test_unusable_records_refused_before_writing(engine: Engine, bad: dict) -> None:
    fields = {"actor": "jo", "role": "admin", "action": "sign_in"} | bad
    with pytest.raises(ValueError):
        record_event(engine, **fields)
    assert _count(engine) == 0


def test_update_and_delete_refused_by_the_database(engine: Engine) -> None:
    _record_several(engine, 2)
    before = _rows(engine)
    for statement in (update(t).values(detail="rewritten"), t.delete(), t.delete().where(t.c.id == 1)):
        with pytest.raises(IntegrityError, match="append-only"), engine.begin() as conn:
            conn.execute(statement)
    if engine.dialect.name == "postgresql":
        with pytest.raises(IntegrityError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_log"))
    assert _rows(engine) == before


def test_edited_row_detected(engine: Engine) -> None:
    ids = _record_several(engine)
    _tamper(engine, update(t).where(t.c.id == ids[2]).values(detail="nothing to see"))
    result = verify(engine)
    assert (result.ok, result.bad_id, result.rows) == (False, ids[2], 2)
    assert "contents have been changed" in result.problem
    assert result.message.startswith(f"Audit trail broken at row {ids[2]}: ")


def test_edited_time_detected(engine: Engine) -> None:
    ids = _record_several(engine)
    _tamper(engine, update(t).where(t.c.id == ids[1]).values(at=datetime(2020, 1, 1, 12, 0)))
    result = verify(engine)
    assert (result.ok, result.bad_id) == (False, ids[1])


def test_edited_and_rehashed_row_detected_at_the_next(engine: Engine) -> None:
    ids = _record_several(engine)
    row = _rows(engine)[2]
    forged = row_hash(row.prev_hash, row.at, "someone.else", row.role, row.action, row.programme,
                      row.detail)
    _tamper(engine, update(t).where(t.c.id == ids[2]).values(actor="someone.else", hash=forged))
    result = verify(engine)
    assert (result.ok, result.bad_id, result.rows) == (False, ids[3], 3)
    assert f"does not follow row {ids[2]}" in result.problem


def test_deleted_middle_row_detected(engine: Engine) -> None:
    ids = _record_several(engine)
    _tamper(engine, t.delete().where(t.c.id == ids[2]))
    result = verify(engine)
    assert (result.ok, result.bad_id) == (False, ids[3])
    assert f"does not follow row {ids[1]}" in result.problem and "deleted" in result.problem


def test_deleted_first_row_detected(engine: Engine) -> None:
    ids = _record_several(engine)
    _tamper(engine, t.delete().where(t.c.id == ids[0]))
    result = verify(engine)
    assert (result.ok, result.bad_id, result.rows) == (False, ids[1], 0)
    assert "earlier rows have been deleted" in result.problem


def test_reordered_rows_detected(engine: Engine) -> None:
    ids = _record_several(engine)
    second, third = _rows(engine)[1:3]
    fields = ("at", "actor", "role", "action", "programme", "detail", "prev_hash", "hash")
    _drop_triggers(engine)
    with engine.begin() as conn:  # swap rows 2 and 3 (prev_hash is unique: park one value first)
        conn.execute(update(t).where(t.c.id == ids[1]).values(prev_hash="parked"))
        conn.execute(update(t).where(t.c.id == ids[2]).values({f: getattr(second, f) for f in fields}))
        conn.execute(update(t).where(t.c.id == ids[1]).values({f: getattr(third, f) for f in fields}))
    result = verify(engine)
    assert (result.ok, result.bad_id) == (False, ids[1])
    assert f"follows row {ids[2]} in the chain, not row {ids[0]}" in result.problem


def test_inserted_rows_detected(engine: Engine) -> None:
    """Inserting is allowed by the triggers, so a forged row is only caught by the chain."""
    ids = _record_several(engine, 3)
    at = datetime(2025, 1, 1, 9, 0)
    bogus_prev = "f" * 64
    with engine.begin() as conn:
        forged = conn.execute(insert(t).values(
            at=at, actor="intruder", role="admin", action="role", prev_hash=bogus_prev,
            hash=row_hash(bogus_prev, at, "intruder", "admin", "role", None, None))).inserted_primary_key[0]
    result = verify(engine)
    assert (result.ok, result.bad_id, result.rows) == (False, forged, 3)
    assert f"does not follow row {ids[-1]}" in result.problem


def test_mangled_time_reported_not_raised(tmp_path: Path) -> None:
    """SQLite keeps whatever text it is given; a time that is no time is tampering, not a crash."""
    engine = get_engine(f"sqlite:///{tmp_path / 'audit.sqlite'}")
    ids = _record_several(engine, 3)
    _tamper(engine, text("UPDATE audit_log SET at = 'last Tuesday' WHERE id = :id").bindparams(id=ids[1]))
    result = verify(engine)
    assert (result.ok, result.bad_id) == (False, ids[1])
    assert "not a time" in result.problem


def test_record_commits_and_rolls_back_with_the_callers_transaction(engine: Engine) -> None:
    with engine.connect() as conn:
        with conn.begin() as transaction:
            conn.execute(insert(programmes).values(name="Rolled back", created_at=datetime(2025, 1, 1)))
            record(conn, actor="jo", role="manager", action="load_return", programme="Rolled back")
            transaction.rollback()
    assert (_count(engine), _count(engine, programmes)) == (0, 0)

    with pytest.raises(RuntimeError), engine.begin() as conn:
        record(conn, actor="jo", role="manager", action="load_return")
        raise RuntimeError("the load failed after its audit row was written")
    assert _count(engine) == 0

    with engine.begin() as conn:
        conn.execute(insert(programmes).values(name="Kept", created_at=datetime(2025, 1, 1)))
        record(conn, actor="jo", role="manager", action="load_return", programme="Kept")
    assert (_count(engine), _count(engine, programmes)) == (1, 1)
    assert _rows(engine)[0].prev_hash == GENESIS  # the rolled-back rows left no trace in the chain
    assert verify(engine).ok


def _in_threads(*targets) -> list[BaseException]:  # noqa: ANN002 - callables
    errors: list[BaseException] = []

    def run(target) -> None:  # noqa: ANN001
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_writers_keep_one_chain(engine: Engine) -> None:
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        start.wait()
        for i in range(20):
            record_event(engine, actor=name, role="manager", action="download_pack", detail=f"pack {i}")

    assert _in_threads(lambda: writer("alpha"), lambda: writer("beta")) == []
    result = verify(engine)
    assert (result.ok, result.rows) == (True, 40)
    rows = _rows(engine)
    assert len({r.prev_hash for r in rows}) == 40
    assert {r.actor for r in rows} == {"alpha", "beta"}


def test_second_writer_queues_behind_an_open_transaction(engine: Engine) -> None:
    """A long transaction holding the audit lock makes the next writer wait, not fail or fork."""
    first_recorded = threading.Event()

    def slow_load() -> None:
        with engine.begin() as conn:
            record(conn, actor="slow", role="manager", action="load_return")
            first_recorded.set()
            time.sleep(0.5)  # still uncommitted while the other writer arrives

    def sign_in() -> None:
        assert first_recorded.wait(30)
        record_event(engine, actor="quick", role="board", action="sign_in")

    assert _in_threads(slow_load, sign_in) == []
    rows = _rows(engine)
    assert [r.actor for r in rows] == ["slow", "quick"]
    assert rows[1].prev_hash == rows[0].hash
    assert verify(engine).ok


def test_entries_filter_by_uk_day_actor_and_action(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in UK summer time.
    for moment, actor, action in [(datetime(2025, 6, 30, 22, 0), "ann", "sign_in"),
                                  (datetime(2025, 6, 30, 23, 30), "bob", "load_return"),
                                  (datetime(2025, 7, 2, 10, 0), "ann", "load_return")]:
        monkeypatch.setattr(audit, "_now", lambda moment=moment: moment)
        record_event(engine, actor=actor, role="manager", action=action)
    july = entries_frame(engine, since=date(2025, 7, 1), until=date(2025, 7, 1))
    assert list(july["actor"]) == ["bob"]
    assert list(july["at"]) == [datetime(2025, 7, 1, 0, 30)]  # shown in UK time
    assert list(entries_frame(engine, action="load_return")["actor"]) == ["ann", "bob"]  # newest first
    assert list(entries_frame(engine, actor="ann", limit=1)["action"]) == ["load_return"]
    with pytest.raises(ValueError):
        entries_frame(engine, limit=0)
