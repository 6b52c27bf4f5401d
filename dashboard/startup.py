"""Getting the database ready before any page draws: reachable, schema in place, sample data.

With no configuration the product uses a local SQLite file and loads the built-in sample data on
first start, so ``streamlit run streamlit_app.py`` shows real figures straight away.
"""

from __future__ import annotations

import streamlit as st

from dashboard.db.engine import DatabaseUnavailable, database_url, describe, get_engine


@st.cache_resource(show_spinner=False)
def _prepared(url: str) -> bool:
    """Seed once per server process; cached so reruns do not ask the database each time."""
    from data_loaders import is_empty, seed  # the one place the app loads data on its own

    engine = get_engine(url)
    if is_empty(engine):
        with st.spinner("First start: loading the built-in sample data (about a minute)…"):
            seed(engine)
    return True


def prepare_database() -> None:
    """Stop the page with a clear message when the database cannot be used."""
    url = database_url()
    try:
        _prepared(url)
    except DatabaseUnavailable as error:
        st.error(f"**The dashboard cannot reach its database.** {error}")
        st.stop()
    except Exception as error:  # noqa: BLE001 - shown to the user, never swallowed silently
        st.error(f"**The database at {describe(url)} could not be prepared:** {error}")
        st.stop()
