"""Caching for page queries: ``st.cache_data`` keyed by database URL and data version.

Pages rerun on every click, so their queries are cached (with a TTL as a memory backstop). The key
includes the id of the newest load in the import log, so a return loaded from the CLI or the app
shows up at once without anyone clearing a cache. Outside a running Streamlit app (CLI, tests)
``st.cache_data`` still works, as an in-memory cache.

When the database does not answer, the first failure is noted for the rest of the run
(``dashboard.db.health``): later queries fail at once instead of each waiting out the timeout, and
in the sidebar (``health.stale_allowed``) they answer from the cache under the last data version
seen, so the filters stay while the page says the database is not answering.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st

from dashboard.db import health
from dashboard.db.engine import DatabaseUnavailable, database_url, get_engine
from dashboard.queries.programmes import data_version

P = ParamSpec("P")
R = TypeVar("R")
TTL_SECONDS = 600
_LAST_VERSION: dict[str, int] = {}  # per database URL: the newest data version read


def _not_now() -> DatabaseUnavailable:
    return DatabaseUnavailable("The database did not answer earlier in this page run.")


def _version(url: str) -> int:
    """The data version, read once per page run (a page asks a dozen cached queries), or after a
    failure in this run the last one seen (sidebar only)."""
    memo = health.run_memo()
    key = f"data_version:{url}"
    if memo is not None and key in memo:
        return memo[key]  # type: ignore[return-value]
    earlier = health.outage()
    if earlier is None:
        started = time.monotonic()
        try:
            version = data_version(get_engine(url))
        except Exception as error:
            if not health.is_outage(error):
                raise
            health.note_outage(error, "sidebar" if health.stale_ok() else "query", started)
            if health.stale_ok() and url in _LAST_VERSION:
                return _LAST_VERSION[url]
            raise
        _LAST_VERSION[url] = version
        if memo is not None:
            memo[key] = version
        return version
    if health.stale_ok() and url in _LAST_VERSION:
        return _LAST_VERSION[url]
    raise _not_now() from earlier


def cached_query(query: Callable[..., R]) -> Callable[..., R]:
    """Wrap ``query(engine, *args)`` as ``query(*args)`` on the configured database, cached.

    Arguments must be hashable values (strings, numbers, tuples), never an engine.
    """

    def run(url: str, version: int, *args: object, **kwargs: object) -> R:
        if health.outage() is not None:  # not in the cache, and the database is not answering
            raise _not_now()
        return query(get_engine(url), *args, **kwargs)

    # st.cache_data keys a function by module and qualified name: give each wrapper its own.
    run.__module__ = query.__module__
    run.__qualname__ = f"{query.__qualname__}__cached"
    cached_run = st.cache_data(ttl=TTL_SECONDS, show_spinner=False)(run)

    @functools.wraps(query)
    def wrapper(*args: object, **kwargs: object) -> R:
        url = database_url()
        return cached_run(url, _version(url), *args, **kwargs)

    return wrapper


def clear() -> None:
    """Drop every cached frame (after a load made in this process), and this run's data version,
    so the rest of the run reads the new one."""
    st.cache_data.clear()
    memo = health.run_memo()
    if memo is not None:
        memo.clear()
