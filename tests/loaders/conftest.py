"""A programme with two districts, and helpers to load small returns written inline."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

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
