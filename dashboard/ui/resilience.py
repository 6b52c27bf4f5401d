"""Pages that survive the database going away: a message instead of a crash, and recovery by itself.

The entry file draws the sidebar, then runs the page. When the database stops answering:

* the sidebar keeps its choices: :func:`last_good` answers its cached queries from the cache, or
  falls back to the last choices of this session;
* the page (:func:`run_page`) is replaced by "The database is not answering; retrying", never
  Streamlit's "This app has encountered an error";
* a fragment re-runs the whole app every ``RETRY_SECONDS`` until the database answers, so the
  figures come back without anyone reloading or restarting anything.

Each failure is logged once per run, with its details, by ``dashboard.db.health``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from dashboard.db import health
from dashboard.db.errors import LoadBusy
from dashboard.ui import table_downloads

T = TypeVar("T")
RETRY_SECONDS = 5.0
NOT_ANSWERING = ("**The database is not answering; retrying.** The figures come back by themselves "
                 "as soon as it answers. The administrator can find the details in the server log.")
_RETRY_TOKEN = "_database_retry_token"


@st.fragment(run_every=RETRY_SECONDS)
def _retry(token: str) -> None:
    """Drawn once per failed run; each timed re-run of this fragment re-runs the whole app."""
    if st.session_state.get(_RETRY_TOKEN) == token:
        st.rerun()
    st.session_state[_RETRY_TOKEN] = token
    st.caption(f"Trying again every {RETRY_SECONDS:g} seconds (last tried at {time.strftime('%H:%M:%S')}).")


def retry_soon() -> None:
    """Re-run the app in ``RETRY_SECONDS``, and then again, until a run no longer calls this."""
    _retry(uuid.uuid4().hex)


def show_not_answering() -> None:
    st.warning(NOT_ANSWERING, icon=":material/cloud_off:")
    retry_soon()


def last_good(name: str, compute: Callable[[], T]) -> T:
    """``compute()`` (who is signed in, the sidebar filters), or when the database does not answer,
    what it gave last time in this session, so the sidebar stays. With no earlier value the run
    stops with the "not answering" message."""
    key = f"_last_good_{name}"
    started = time.monotonic()
    with health.stale_allowed():
        try:
            value = compute()
        except Exception as error:
            if not health.is_outage(error):
                raise
            health.note_outage(error, name, started)
            if key in st.session_state:
                return st.session_state[key]
            show_not_answering()
            st.stop()
    if value is not None:
        st.session_state[key] = value
    return value


def run_page(page: Any) -> None:
    """Run the page ``st.navigation`` chose, then offer its tables as one workbook; a database
    outage replaces it with the message (the sidebar, already drawn, stays), and a load that waited
    too long says so."""
    where = f"page:{getattr(page, 'url_path', '') or getattr(page, 'title', 'home')}"
    table_downloads.start_page()  # each run records its own tables, never the last run's
    if health.outage() is not None:  # the sidebar already met it: the page would only wait again
        show_not_answering()
        return
    holder = st.empty()
    started = time.monotonic()
    try:
        with holder.container():
            page.run()
            table_downloads.offer_downloads(getattr(page, "title", "") or "Tables",
                                            getattr(page, "url_path", "") or "")
    except LoadBusy as error:
        st.warning(str(error), icon=":material/hourglass:")
    except Exception as error:
        if not health.is_outage(error):
            raise
        health.note_outage(error, where, started)
        holder.empty()
        with holder.container():
            show_not_answering()
