"""The Testshire fixture programme, loaded through the real loader into each backend."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from data_loaders import load_file
from tests.conftest import FIXTURES

KPI_FIXTURE = FIXTURES / "kpis"
LOAD_ORDER = ("districts", "targets", "allocations", "cases", "dfg", "satisfaction", "feedback",
              "finance")


@pytest.fixture
def testshire(engine: Engine) -> Engine:
    for kind in LOAD_ORDER:
        load_file(engine, "Testshire", KPI_FIXTURE / f"{kind}.csv", user="test")
    return engine
