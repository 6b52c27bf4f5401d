"""The data version in every cache key is read once per page run, not once per query: a page asks
a dozen cached queries, and each read of the import log is a round trip to the database."""

from __future__ import annotations

import contextvars

import pytest
from sqlalchemy import Engine

from dashboard.db import health
from dashboard.queries import cache, context
from dashboard.queries import cache as cache_module
from dashboard.queries.programmes import data_version


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch, testshire: Engine) -> list[int]:
    monkeypatch.setenv("DATABASE_URL", testshire.url.render_as_string(hide_password=False))
    counted: list[int] = []

    def counting(engine: Engine) -> int:
        counted.append(data_version(engine))
        return counted[-1]

    monkeypatch.setattr(cache_module, "data_version", counting)
    cache.clear()
    return counted


def test_one_read_per_run(reads: list[int]) -> None:
    def page_run() -> None:
        health.begin_run()
        context.programme_names()
        context.districts("Testshire")
        context.programme_names()

    contextvars.copy_context().run(page_run)
    assert len(reads) == 1


def test_cleared_cache_reads_again_within_the_run(reads: list[int]) -> None:
    """After a load in this process (which clears the cache) the same run sees the new version."""
    def page_run() -> None:
        health.begin_run()
        context.programme_names()
        cache.clear()
        context.programme_names()

    contextvars.copy_context().run(page_run)
    assert len(reads) == 2


def test_outside_a_run_every_query_reads(reads: list[int]) -> None:
    """Commands and tests have no page run: nothing is remembered between queries."""
    context.programme_names()
    context.programme_names()
    assert len(reads) == 2
