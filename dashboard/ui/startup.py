"""Getting the database ready before any page draws: reachable, schema in place, sample data.

With no configuration the product uses a local SQLite file and loads the built-in sample data on
first start, so ``streamlit run streamlit_app.py`` shows real figures straight away.

Pages never show the database's address or the reason it failed (visitors need neither, and they
help an attacker): they say the dashboard cannot reach its database, and the details go to the
server log (``dashboard.db.health``). A database that is down keeps being retried
(``dashboard.ui.resilience``); a wrong setting is not, as only the administrator can fix it.
"""

from __future__ import annotations

import time

import streamlit as st

from dashboard.db import health
from dashboard.db.engine import database_url, get_engine

CANNOT_REACH = ("**The dashboard cannot reach its database.** The administrator can find the details "
                "in the server log.")


@st.cache_resource(show_spinner=False)
def _prepared(url: str) -> bool:
    """Seed once per server process; cached so reruns do not ask the database each time. A failure
    raises, and Streamlit never caches a raised exception, so the next run tries again."""
    from data_loaders import is_empty, seed  # the one place the app loads data on its own

    engine = get_engine(url)
    if is_empty(engine):
        with st.spinner("First start: loading the built-in sample data (about a minute)…"):
            seed(engine)
    return True


def prepare_database() -> None:
    """Start the run's record of database failures; stop the page with a generic message (details
    in the server log) when the database cannot be used, retrying by itself if it may come back."""
    from dashboard.ui.resilience import retry_soon

    health.begin_run()
    started = time.monotonic()
    try:
        _prepared(database_url())
    except Exception as error:  # noqa: BLE001 - logged in full; the page says only what helps
        health.note_outage(error, "start-up", started)
        if not health.is_outage(error):
            health.LOG.error("event=database_error where=start-up detail=traceback", exc_info=error)
        st.error(CANNOT_REACH, icon=":material/database:")
        if health.is_outage(error) and not health.is_config_error(error):
            retry_soon()
        st.stop()
