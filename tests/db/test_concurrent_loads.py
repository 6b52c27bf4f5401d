"""Two loads of the same district at the same moment: both succeed, one after the other, and the
summaries still equal a direct aggregation of the rows (on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine, func, select

from dashboard.access import audit
from dashboard.db import schema as s
from dashboard.db.engine import get_engine, reset_engines
from dashboard.db.errors import LoadBusy
from dashboard.db.locks import lock_programme
from data_loaders import LoadPlan, apply, apply_plan
from tests.conftest import table_snapshot
from tests.loaders.conftest import plan_text, summary_rows_match_the_raw_rows

HEADER = "case_ref,district,referral_date,referral_source,case_type,worker_role,outcome,closed_date\n"


def cases_return(first: int, last: int, outcome: str) -> str:
    """Cases ``first``..``last`` of district Alpha; the outcome differs between the two returns."""
    rows = []
    for n in range(first, last + 1):
        day = f"{n % 28 + 1:02d}/{n % 12 + 1:02d}/2019"
        closed = f"{day[:6]}2020" if outcome == "Completed" else ""
        rows.append(f"C{n:04d},Alpha,{day},GP,Housing MOT,{'HSC' if n % 3 else ''},{outcome},{closed}")
    return HEADER + "\n".join(rows) + "\n"


def summaries_equal_direct_aggregation(engine: Engine) -> None:
    """The check of tests/loaders/test_load.py: every summary table equals its GROUP BY."""
    summary_rows_match_the_raw_rows(engine)
    with engine.connect() as conn:
        quality = conn.execute(select(s.summary_quality.c.column, s.summary_quality.c.rows,
                                      s.summary_quality.c.filled)
                               .where(s.summary_quality.c.kind == "cases")).all()
    with engine.connect() as conn:
        cases = conn.execute(select(func.count()).select_from(s.cases)).scalar()
    assert {(c, rows) for c, rows, _ in quality if c == "referral_source"} == {("referral_source", cases)}


def load_at_once(engine: Engine, plans: list[LoadPlan]) -> list[BaseException]:
    """Apply every plan in its own thread, all released together; the errors they raised."""
    start, errors = threading.Barrier(len(plans)), []

    def work(plan: LoadPlan) -> None:
        start.wait()
        try:
            apply_plan(engine, plan, user="test")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=work, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a load never finished"
    return errors


def two_overlapping_returns(programme: Engine, second_from: int = 151) -> list[LoadPlan]:
    """300 rows each; by default 150 of them the same cases (a corrected return sent while the
    first loads)."""
    return [plan_text(programme, cases_return(1, 300, "Open"), name="first.csv"),
            plan_text(programme, cases_return(second_from, second_from + 299, "Completed"),
                      name="second.csv")]


def both_loaded(engine: Engine, cases: int = 450) -> None:
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.cases)).scalar() == cases
        loads = conn.execute(select(s.import_log.c.file_name).where(s.import_log.c.kind == "cases")).all()
    assert sorted(row[0] for row in loads) == ["first.csv", "second.csv"]


@pytest.mark.parametrize("second_from", [301, 151], ids=["different-cases", "shared-cases"])
def test_two_loads_of_one_district_at_once_both_succeed(programme: Engine, second_from: int) -> None:
    plans = two_overlapping_returns(programme, second_from)
    assert all(plan.ok for plan in plans)
    errors = load_at_once(programme, plans)
    assert errors == []
    both_loaded(programme, second_from + 299)
    summaries_equal_direct_aggregation(programme)


def test_the_second_load_sees_what_the_first_wrote(programme: Engine,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The worst interleaving, forced: each load holds on after working out its changes, so without
    a lock both would insert the 150 shared cases and rebuild the same summary rows."""
    held = threading.Barrier(2, timeout=1.0)
    compare: Callable = apply.compare

    def compare_then_hold(*args: object, **kwargs: object) -> object:
        diff = compare(*args, **kwargs)
        try:
            held.wait()  # with the lock, the other load is queued: this gives up after 1 s
        except threading.BrokenBarrierError:
            pass
        return diff

    monkeypatch.setattr(apply, "compare", compare_then_hold)
    errors = load_at_once(programme, two_overlapping_returns(programme))
    assert errors == []
    assert held.broken  # the loads never worked out their changes at the same time
    both_loaded(programme)
    summaries_equal_direct_aggregation(programme)


def test_lock_key_ignores_case_and_spaces() -> None:
    from dashboard.db.locks import programme_key

    assert programme_key(" Testshire ") == programme_key("TESTSHIRE") != programme_key("Testshire 2")
    assert -2**31 <= programme_key("Testshire") < 2**31


def test_loads_with_their_audit_rows_queue_without_deadlock(programme: Engine) -> None:
    """The programme lock comes first, the audit trail's lock last: two audited loads of one
    programme and a sign-in recorded meanwhile all finish, and the chain stays intact."""
    plans = two_overlapping_returns(programme)
    start, errors = threading.Barrier(3), []

    def load(plan: LoadPlan) -> None:
        start.wait()
        try:
            apply_plan(programme, plan, "test", also=apply.audited_load(plan, "test", "officer"))
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    def sign_in() -> None:
        start.wait()
        try:
            audit.record_event(programme, actor="ann@council.gov.uk", role="viewer", action="sign_in")
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    threads = [threading.Thread(target=load, args=(plan,)) for plan in plans]
    threads.append(threading.Thread(target=sign_in))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads) and errors == []
    result = audit.verify(programme)
    assert result.ok and result.rows == 3  # two loads and the sign-in (the fixture is not audited)
    summaries_equal_direct_aggregation(programme)


def test_a_load_that_waits_too_long_gives_up_with_a_clear_message(
    programme: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan = plan_text(programme, cases_return(1, 10, "Open"), name="late.csv")
    monkeypatch.setenv("DASHBOARD_DB_LOAD_TIMEOUT", "1")
    reset_engines()  # SQLite's lock wait is set as connections open
    programme = get_engine(db_url)
    before = table_snapshot(programme)
    with programme.connect() as other:  # another load of Testshire, still writing
        with other.begin():
            lock_programme(other, "testshire", 300)
            started = time.monotonic()
            with pytest.raises(LoadBusy) as refused:
                apply_plan(programme, plan, user="test")
            waited = time.monotonic() - started
    assert 0.9 < waited < 10
    message = str(refused.value)
    assert message.startswith("Another load was still being written to the database after 1 s")
    assert "DASHBOARD_DB_LOAD_TIMEOUT" in message and "Nothing from it was written" in message
    assert table_snapshot(programme) == before
    apply_plan(programme, plan, user="test")  # once the other has finished, it loads
    summaries_equal_direct_aggregation(programme)
