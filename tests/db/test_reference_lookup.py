"""The "same reference in more than one district" check looks each reference up through an index.

Every load rebuilds this check for the districts it touched; without a usable index each of their
rows scanned the whole programme, so a 3,000-row return took 35 s to load beside the sample data.
The plan is read with SQLite's EXPLAIN QUERY PLAN (PostgreSQL plans by table statistics, which a
tiny test table cannot show).
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, event

from dashboard.db.summaries import REFERENCE_COLUMN, refresh_checks


@pytest.mark.parametrize("kind", sorted(REFERENCE_COLUMN))
def test_each_reference_is_found_through_an_index_not_a_scan(programme: Engine, kind: str) -> None:
    if programme.dialect.name != "sqlite":
        pytest.skip("the query plan is read with SQLite's EXPLAIN QUERY PLAN")
    statements: list[tuple[str, tuple]] = []
    with programme.begin() as conn:
        def remember(_conn, _cursor, statement, parameters, _context, _many) -> None:  # noqa: ANN001
            statements.append((statement, parameters))
        event.listen(conn, "before_cursor_execute", remember)
        refresh_checks(conn, kind, 1, [1])
        event.remove(conn, "before_cursor_execute", remember)
        (statement, parameters), = [(st, p) for st, p in statements if "EXISTS" in st]
        plan = [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
    lookup = [step for step in plan if step.startswith(("SEARCH other", "SCAN other"))]
    assert lookup == [f"SEARCH other USING COVERING INDEX ix_{kind}_reference "
                      f"(programme_id=? AND {REFERENCE_COLUMN[kind]}=?)"], plan
