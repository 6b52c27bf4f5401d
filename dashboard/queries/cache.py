"""Caching for page queries: ``st.cache_data`` keyed by database URL and data version.

Pages rerun on every click, so their queries are cached (with a TTL as a memory backstop). The key
includes the id of the newest load in the import log, so a return loaded from the CLI or the app
shows up at once without anyone clearing a cache. Outside a running Streamlit app (CLI, tests)
``st.cache_data`` still works, as an in-memory cache.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import streamlit as st
from sqlalchemy import Engine

from dashboard.db.engine import database_url, get_engine
from dashboard.queries.programmes import data_version

P = ParamSpec("P")
R = TypeVar("R")
TTL_SECONDS = 600


def cached_query(query: Callable[..., R]) -> Callable[..., R]:
    """Wrap ``query(engine, *args)`` as ``query(*args)`` on the configured database, cached.

    Arguments must be hashable values (strings, numbers, tuples), never an engine.
    """

    def run(url: str, version: int, *args: object, **kwargs: object) -> R:
        return query(get_engine(url), *args, **kwargs)

    # st.cache_data keys a function by module and qualified name: give each wrapper its own.
    run.__module__ = query.__module__
    run.__qualname__ = f"{query.__qualname__}__cached"
    cached_run = st.cache_data(ttl=TTL_SECONDS, show_spinner=False)(run)

    @functools.wraps(query)
    def wrapper(*args: object, **kwargs: object) -> R:
        url = database_url()
        engine: Engine = get_engine(url)
        return cached_run(url, data_version(engine), *args, **kwargs)

    return wrapper


def clear() -> None:
    """Drop every cached frame (after a load made in this process)."""
    st.cache_data.clear()
