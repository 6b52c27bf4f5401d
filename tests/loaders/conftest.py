"""A programme with two districts, and helpers to load small returns written inline."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from dashboard.db.summaries import aggregate_query
from data_loaders import LoadPlan, apply_plan, plan_load
from tests.conftest import FIXTURES


def plan_text(engine: Engine, text: str, name: str = "return.csv", kind: str | None = None,
              programme: str = "Testshire") -> LoadPlan:
    return plan_load(engine, programme, name, text.encode("utf-8"), kind)


def load_text(engine: Engine, text: str, **options: object):  # noqa: ANN201
    return apply_plan(engine, plan_text(engine, text, **options), user="test")


@pytest.fixture
def programme(engine: Engine) -> Engine:
    load_text(engine, (FIXTURES / "kpis" / "districts.csv").read_text(), name="districts.csv")
    return engine


def summary_rows_match_the_raw_rows(engine: Engine) -> dict[str, int]:
    """Every summary table of the (one) programme equals a direct GROUP BY of the raw rows;
    returns each table's row count, so a caller can also insist none is empty."""
    counts = {}
    with engine.connect() as conn:
        pid = conn.execute(select(s.programmes.c.id)).scalar()
        for summary in s.SUMMARY_TABLES:
            query = aggregate_query(summary, pid)
            direct = sorted(tuple(map(str, r)) for r in conn.execute(query))
            stored = sorted(tuple(map(str, r)) for r in conn.execute(
                select(*(summary.c[c.name] for c in query.selected_columns))))
            assert stored == direct, summary.name
            counts[summary.name] = len(stored)
    return counts
