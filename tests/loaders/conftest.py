"""A programme with two districts, and helpers to load small returns written inline."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, Table, select

from dashboard.db import schema as s
from dashboard.db.summaries import aggregate_query
from data_loaders import LoadPlan, LoadRejected, apply_plan, plan_load
from tests.conftest import FIXTURES, table_snapshot


def plan_text(engine: Engine, text: str, name: str = "return.csv", kind: str | None = None,
              programme: str = "Testshire") -> LoadPlan:
    return plan_load(engine, programme, name, text.encode("utf-8"), kind)


def load_text(engine: Engine, text: str, **options: object):  # noqa: ANN201
    return apply_plan(engine, plan_text(engine, text, **options), user="test")


def refused_load(engine: Engine, programme: str, text: str) -> list[tuple]:
    """(row, column, reason) of each problem of a return that must be refused; asserts that
    loading it anyway writes nothing at all."""
    before = table_snapshot(engine)
    plan = plan_load(engine, programme, "return.csv", text.encode("utf-8"))
    with pytest.raises(LoadRejected):
        apply_plan(engine, plan, user="test")
    assert table_snapshot(engine) == before
    return [(p.row, p.column, p.reason) for p in plan.problems]


@pytest.fixture
def programme(engine: Engine) -> Engine:
    load_text(engine, (FIXTURES / "kpis" / "districts.csv").read_text(), name="districts.csv")
    return engine


def summary_rows_match_the_raw_rows(engine: Engine, summaries: tuple[Table, ...] = s.SUMMARY_TABLES,
                                    programme: str | None = None) -> dict[str, int]:
    """Every summary table of the programme (default: the one there is) equals a direct GROUP BY
    of the raw rows; returns each table's row count, so a caller can also insist none is empty."""
    counts = {}
    with engine.connect() as conn:
        named = [] if programme is None else [s.programmes.c.name == programme]
        pid = conn.execute(select(s.programmes.c.id).where(*named)).scalar()
        for summary in summaries:
            query = aggregate_query(summary, pid)
            direct = sorted(tuple(map(str, r)) for r in conn.execute(query))
            stored = sorted(tuple(map(str, r)) for r in conn.execute(
                select(*(summary.c[c.name] for c in query.selected_columns))
                .where(summary.c.programme_id == pid)))
            assert stored == direct, summary.name
            counts[summary.name] = len(stored)
    return counts
