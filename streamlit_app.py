"""Entry point: page setup, the database, who is signed in, the shared filters and navigation.

Navigation is built per role on the server: a page the role may not see is not in it at all.
"""

from __future__ import annotations

import streamlit as st

from dashboard.access import Role
from dashboard.access.signin import account_box, remember, session_user
from dashboard.ui.filters import sidebar_filters
from dashboard.ui.navigation import navigation_for
from dashboard.ui.resilience import last_good, run_page
from dashboard.ui.startup import prepare_database

st.set_page_config(page_title="Housing support programme dashboard", page_icon=":material/home:",
                   layout="wide")
prepare_database()
user = last_good("user", session_user)  # on a database fault: the last good answer
remember(user)
account_box(user)

filters = last_good("filters", lambda: sidebar_filters(public=user.role == Role.PUBLIC))
if filters is None:
    st.title("Housing support programme dashboard")
    st.info("No data yet. Load a programme's returns, or CQC's care directory, with "
            "`python -m data_loaders load`.")
    st.stop()
st.session_state["filters"] = filters
pages = navigation_for(user, has_council=filters.council is not None,
                       has_programme=filters.programme is not None, family=filters.family)
run_page(st.navigation(pages))  # a database fault: a message, then retries
