"""Entry point: page setup, the database, the shared sidebar filters and navigation."""

from __future__ import annotations

import streamlit as st

from dashboard.filters import sidebar_filters
from dashboard.startup import prepare_database

st.set_page_config(page_title="Housing support programme dashboard", page_icon=":material/home:",
                   layout="wide")
prepare_database()

filters = sidebar_filters()
if filters is None:
    st.title("Housing support programme dashboard")
    st.info("No data yet. Load a programme's returns with `python -m data_loaders load`.")
    st.stop()
st.session_state["filters"] = filters


def page(file: str, title: str, icon: str, **options: object) -> st.Page:
    return st.Page(f"dashboard/pages/{file}.py", title=title, icon=icon, **options)


pages = {
    "Programme board": [
        page("board_summary", "Board summary", ":material/dashboard:", default=True),
        page("trends", "Trends", ":material/monitoring:", url_path="trends"),
        page("district_comparison", "District comparison", ":material/compare:", url_path="districts"),
        page("finance", "Finance", ":material/payments:", url_path="finance"),
    ],
    "Services": [
        page("cases", "Cases and customer journey", ":material/home_health:", url_path="cases"),
        page("dfg", "Disabled Facilities Grants", ":material/construction:", url_path="dfg"),
        page("satisfaction", "Satisfaction and feedback", ":material/reviews:", url_path="satisfaction"),
    ],
    "Returns and data": [
        page("returns", "Returns", ":material/upload_file:", url_path="returns"),
        page("import_log", "Import log", ":material/history:", url_path="import-log"),
        page("data_quality", "Data quality", ":material/fact_check:", url_path="data-quality"),
    ],
    "Scrutiny": [
        page("case_studies", "Case studies", ":material/menu_book:", url_path="case-studies"),
        page("about_figures", "About the figures", ":material/info:", url_path="about"),
    ],
}
st.navigation(pages).run()
