"""A load's cost follows the rows it touches: no statement it runs reads a programme's raw rows,
or a whole district of them.

Every statement of real loads (inserts, updates, list items, summaries, checks, quality, audit) into
a programme of 10,000 cases is captured as it runs and its plan read: SQLite's EXPLAIN QUERY PLAN,
and PostgreSQL's EXPLAIN with statistics and sequential scans switched off, so a plan that still
reads a table whole, or by the programme or district alone, has no index to do better. A full
rebuild of each touched district, and a scan inside the correlated "same reference in another
district" subquery, made a load cost the size (and the square) of the programme."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import Connection, Engine, Table, select

from dashboard.db import schema as s
from dashboard.db.load_changes import LOAD_ROWS, create_load_rows
from tests.conftest import FIXTURES, captured_statements
from tests.loaders.conftest import load_text

# Tables that grow with a programme's cases: a load may look rows up in them, never read them all.
RAW_TABLES = ("cases", "dfg", "satisfaction", "feedback", "case_list_items", "summary_checks",
              "care_requests")
# PostgreSQL plans by statistics, and only the cases and care requests are given a council's size
# here (the other tables hold a row or two, which it reads whole by choice); SQLite plans by the
# indexes alone.
SIZED_TABLES = ("cases", "case_list_items", "care_requests")

FIRST = ("case_ref,district,referral_date,case_type,closed_date,outcome,referrals_out\n"
         "P1,Alpha,01/04/2019,Housing MOT,,Open,OT\n"
         "P2,Beta,02/04/2019,Housing MOT,20/04/2019,Completed,OT; Adaptations\n"
         "P3,Alpha,03/04/2019,Housing MOT,,Open,\n")
# Closes P1, corrects P2's referral date, adds P4 and P3 again in another district.
SECOND = ("case_ref,district,referral_date,case_type,closed_date,outcome,referrals_out\n"
          "P1,Alpha,01/04/2019,Housing MOT,30/04/2019,Completed,OT\n"
          "P2,Beta,05/04/2019,Housing MOT,20/04/2019,Completed,Adaptations\n"
          "P4,Beta,06/04/2019,Housing MOT,,Open,\n"
          "P3,Beta,07/04/2019,Housing MOT,,Open,\n")
OTHER_KINDS = (
    "dfg_ref,district,enquiry_date,completion_date,grant_amount,status\n"
    "G1,Alpha,01/04/2019,01/09/2019,31000,Completed\nG1,Beta,01/04/2019,,,Open\n",
    "response_ref,district,response_date,theme,score\nS1,Alpha,01/05/2019,Communication,5\n",
    "feedback_ref,district,received_date,kind\nF1,Alpha,01/05/2019,Complaint\n",
)


def _statements_of_loads(engine: Engine, texts: tuple[str, ...],
                         programme: str = "Testshire") -> list[tuple[str, object]]:
    with captured_statements(engine) as seen:
        for text in texts:
            load_text(engine, text, programme=programme)
    return seen


# A step may read a raw table only through one of these: a row, a reference, a load's rows.
ROW_KEYS = re.compile(r"\b(id|rowid|case_id|import_id|reference|\w+_ref)\b\s*(=|IN\b)", re.IGNORECASE)


def _sqlite_steps(conn: Connection, statement: str, parameters: object) -> list[str]:
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    steps = [row[3] for row in rows]
    raw = re.compile(rf"(SCAN|SEARCH) ({'|'.join(RAW_TABLES)})\b")
    return [step for step in steps if raw.match(step) and not ROW_KEYS.search(step)]


def _postgres_steps(conn: Connection, statement: str, parameters: object) -> list[str]:
    # Only index paths: what is left reading a table whole has no index to read it by.
    conn.exec_driver_sql("ANALYZE load_rows")
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {statement}", parameters).scalar()
    found, nodes = [], [plan[0]["Plan"]]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        if node.get("Relation Name") not in SIZED_TABLES or node["Node Type"] == "ModifyTable":
            continue
        condition = " ".join(str(node.get(k, "")) for k in ("Index Cond", "Recheck Cond"))
        if not ROW_KEYS.search(re.sub(r"::\w+|[()]", " ", condition)):
            found.append(f"{node['Node Type']} on {node['Relation Name']} {condition}".strip())
    return found


def _scans(engine: Engine, statement: str, parameters: object, changed: Table = s.cases) -> list[str]:
    """The steps of the statement's plan that read a raw table whole, or a whole district of it."""
    with engine.begin() as conn:
        create_load_rows(conn)  # a load's temporary table, gone with its transaction: as a load
        # A load fills it before it reads it: here with the newest rows of the table it changes, as
        # changed rows lie anywhere in it (the first would let a merge join stop after two rows).
        newest = conn.execute(select(changed.c.id).order_by(changed.c.id.desc()).limit(2)).scalars()
        conn.execute(LOAD_ROWS.insert(), [{"id": i} for i in newest])
        if "load_staging" in statement:  # PostgreSQL's COPY staging table, made as a load does
            target = re.search(r"INSERT INTO (\w+)", statement)[1]  # type: ignore[index]
            conn.exec_driver_sql(f"CREATE TEMPORARY TABLE load_staging ON COMMIT DROP AS "
                                 f"SELECT * FROM {target} WITH NO DATA")
        if engine.dialect.name == "sqlite":
            return _sqlite_steps(conn, statement, parameters)
        return _postgres_steps(conn, statement, parameters)


def _a_programme_of_some_size(engine: Engine, rows: int = 10_000) -> None:
    """Enough stored cases, with statistics, that PostgreSQL plans as it would for a council."""
    start = date(2017, 4, 1)
    lines = [f"BG{n},{('Alpha', 'Beta')[n % 2]},{start + timedelta(days=n % 700):%d/%m/%Y},"
             f"Housing MOT,,Open," for n in range(rows)]
    load_text(engine, FIRST.splitlines()[0] + "\n" + "\n".join(lines) + "\n", programme="Testshire")
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


def test_no_statement_of_a_load_scans_a_programme(programme: Engine) -> None:
    _a_programme_of_some_size(programme)
    statements = _statements_of_loads(programme, (FIRST, SECOND, *OTHER_KINDS))
    assert len(statements) > 20  # the capture saw the loads
    found = {statement: scans for statement, parameters in statements
             if (scans := _scans(programme, statement, parameters))}
    assert not found, "\n\n".join(f"{st}\n  -> {scans}" for st, scans in found.items())


# A requests return onto a care-at-home programme of some size: R1 starts, R2 is corrected, R9 arrives.
CARE_REQUESTS = ("request_ref,client_group,request_date,hours_weekly,service_start_date,ended_date\n"
                 "R1,Older people,01/04/2019,10,15/04/2019,\n"
                 "R2,Mental health,03/04/2019,5,,20/04/2019\n"
                 "R9,Older people,06/04/2019,7,,\n")


def test_no_statement_of_a_care_requests_load_scans_the_programme(engine: Engine) -> None:
    """The waiting list's summaries change by the requests a load writes, never by a pass over
    the programme's requests."""
    programme = "Testshire care at home"
    load_text(engine, (FIXTURES / "care" / "care_providers.csv").read_text(), programme=programme)
    start = date(2017, 4, 1)
    load_text(engine, CARE_REQUESTS.splitlines()[0] + "\n" + "".join(
        f"R{n},Older people,{start + timedelta(days=n % 700):%d/%m/%Y},{n % 20 + 1},,\n"
        for n in range(1, 10_000)), programme=programme)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    statements = _statements_of_loads(engine, (CARE_REQUESTS,), programme)
    assert [st for st, _ in statements if "summary_care_starts" in st]  # the capture saw the summaries
    found = {statement: scans for statement, parameters in statements
             if (scans := _scans(engine, statement, parameters, s.care_requests))}
    assert not found, "\n\n".join(f"{st}\n  -> {scans}" for st, scans in found.items())


def test_the_same_reference_check_is_one_grouped_lookup(programme: Engine) -> None:
    """No correlated subquery per row: the shared references are found by grouping the load's own."""
    statements = [st.upper() for st, _ in _statements_of_loads(programme, (FIRST, SECOND))]
    assert [st for st in statements if "HAVING COUNT(DISTINCT" in st]
    assert not [st for st in statements if "EXISTS" in st]
