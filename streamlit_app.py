"""Entry point: page setup, the database, the shared sidebar filters and navigation."""

from __future__ import annotations

import streamlit as st

from dashboard.filters import sidebar_filters
from dashboard.startup import prepare_database

st.set_page_config(page_title="Housing support programme dashboard", page_icon="🏠", layout="wide")
prepare_database()

filters = sidebar_filters()
if filters is None:
    st.title("Housing support programme dashboard")
    st.info("No data yet. Load a programme's returns with `python -m data_loaders load`.")
    st.stop()
st.session_state["filters"] = filters

pages = {
    "Programme board": [
        st.Page("dashboard/pages/board_summary.py", title="Board summary", icon="📋",
                url_path="board-summary", default=True),
    ],
}
st.navigation(pages).run()
