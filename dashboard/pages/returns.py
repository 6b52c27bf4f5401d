"""Returns: load a partner's return (check, preview, confirm), download templates made for the
chosen programme, see who has sent what for the period, and (administrators) start a programme."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.access.signin import current_user
from dashboard.figures.format import count_of, format_date
from dashboard.figures.safe_text import md_text, safe_csv_bytes
from dashboard.queries import context, returns
from dashboard.ui.components import data_table, page_header
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.return_uploads import Uploader, council_file_section, show_preview, show_problems
from data_loaders import KINDS, example_csv, kinds_of, template_csv  # the loader's entry points for this page

DETECT = "Detect from the columns"
RETURN = Uploader("return_file", "Return file (CSV or Excel .xlsx)", "Load this return")
NEW_PROGRAMME = Uploader("programme_file", "Its districts file or savings plan (CSV or Excel .xlsx)",
                         "Start this programme")
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "returns-format.md"
STATUS_SHOWN = {"Received": "✔ Received", "Overdue": "⚠ Overdue", "Not yet due": "… Not yet due"}


def _show_loader(filters: Filters) -> None:
    choice = st.selectbox("Kind of return", [DETECT, *kinds_of(filters.family)], key="return_kind")
    kind = None if choice == DETECT else choice
    upload = RETURN.file()
    redact = st.checkbox(
        "Remove personal data from free text instead of rejecting the file", key="return_redact",
        help="Case studies, complaint summaries and withdrawal reasons are checked for names, "
        "addresses, postcodes, phone numbers, NHS and NI numbers, dates of birth and ages over 90. "
        "Normally a file containing any is rejected; ticked, each is replaced by a label such as "
        "[postcode removed] and the preview lists what was removed.")
    if upload is None:
        st.info("Choose a file to check it. Nothing is written until you confirm.")
        return
    plan = RETURN.plan(filters.programme, upload, kind, redact)
    for warning in plan.warnings:  # they quote the file's cells
        st.warning(md_text(warning))
    if not plan.ok:
        show_problems(plan)
        return
    show_preview(plan)
    RETURN.confirm(plan)


def _show_tracker(filters: Filters) -> None:
    day = returns.due_day()
    tracker = returns.submissions(filters.programme, filters.period.label, day, date.today())
    if len(tracker):
        st.caption(f"Returns covering {filters.period.long_label}, due by "
                   f"{format_date(tracker['due'].iloc[0])} (day {day} of the following month).")
    shown = pd.DataFrame({
        "District": tracker["district"],
        "Return": tracker["kind"],
        "Status": tracker["status"].map(STATUS_SHOWN),
        "Loads": tracker["loads"],
        "Rows": tracker["rows"],
        "Last loaded": tracker["last_loaded"].map(
            lambda t: "" if pd.isna(t) else f"{pd.Timestamp(t):%d/%m/%Y %H:%M}"),
    })
    config = {"District": st.column_config.TextColumn(width=150),
              "Return": st.column_config.TextColumn(width=110),
              "Status": st.column_config.TextColumn(width=120),
              "Loads": st.column_config.NumberColumn(width=60),
              "Rows": st.column_config.NumberColumn(width=80, format="localized"),
              "Last loaded": st.column_config.TextColumn(width=130)}
    data_table(shown, title="Returns for the period", column_config=config,
               export=shown.assign(Status=tracker["status"]))
    overdue = int((tracker["status"] == "Overdue").sum())
    st.caption(f"{count_of(overdue, 'return')} overdue." if overdue else "Nothing overdue.")


def _show_templates(filters: Filters) -> None:
    st.caption(f"An empty template and a filled example for each return. The examples are made "
               f"for {md_text(filters.programme)} and its districts: fill in the template (or copy "
               "the example), save it as CSV UTF-8 or .xlsx, and upload it on the first tab. The "
               "guide below lists every column and the values allowed.")
    districts = context.districts(filters.programme)
    names = list(zip(districts["district"], districts["code"], districts["aliases"].fillna(""),
                     strict=True))
    for kind in kinds_of(filters.family):
        left, middle, right = st.columns([2, 1, 1])
        left.markdown(f"**{kind}** — required: {', '.join(KINDS[kind].required)}")
        middle.download_button("Empty template", safe_csv_bytes(template_csv(kind)),
                               f"{kind}-template.csv", "text/csv", key=f"template_{kind}")
        right.download_button("Filled example",
                              safe_csv_bytes(example_csv(kind, filters.programme, names)),
                              f"{kind}-example.csv", "text/csv", key=f"example_{kind}")
    with st.expander("How to fill in a return"):
        st.markdown(GUIDE.read_text(encoding="utf-8"))


def _show_new_programme(_filters: Filters) -> None:
    st.caption("A programme starts with its districts: a file with the columns district, code and "
               "(optionally) aliases, one row per district or partner. A savings programme starts with "
               "its savings plan, which names the programme in its own column; a care-at-home "
               "programme with its providers file. Once it is loaded, choose the programme in the "
               "sidebar and load its returns as usual.")
    name = st.text_input("Name of the new programme", max_chars=100, key="new_programme_name")
    upload = NEW_PROGRAMME.file()
    if upload is None or not name.strip():
        return
    plan = NEW_PROGRAMME.plan(name, upload, None)
    if not plan.ok:
        show_problems(plan)
        return
    if not plan.creates_programme:
        st.warning(f"A programme called {md_text(plan.programme)} already exists. Choose it in the "
                   "sidebar to change its districts, or give the new programme another name.")
        return
    what = {"districts": "district", "savings_plan": "workstream", "care_providers": "provider"}[plan.kind]
    st.success(f"**{md_text(plan.programme)}** will be started with {count_of(plan.to_insert, what)}.")
    NEW_PROGRAMME.confirm(plan)


def _show_council_files(filters: Filters) -> None:
    where = (f"for **{md_text(filters.council)}** (chosen in the sidebar)" if filters.council
             else "for no council yet: a contracts file needs one, so set councils up first")
    st.caption(f"CQC's care directory (HSCA Active Locations) and Latest ratings, exactly as CQC "
               f"publishes them; the council's contracts and population files, {where}. "
               "Administrators also set councils up here with a councils file (council, kind, "
               "comparators, programmes). See docs/provider-quality.md for each format.")
    council_file_section(filters.council)


def render(filters: Filters) -> None:
    page_header("Returns", filters, "Load each partner's monthly or quarterly return. The file "
                "is checked first; every problem is listed by row, column and value, and nothing "
                "is written until you confirm.")
    sections = {"Load a return": _show_loader, "Submission tracker": _show_tracker,
                "Templates": _show_templates, "Council files": _show_council_files}
    admin = current_user().may("set_up_programme")  # checked again on the server when loading
    if admin:
        sections["Start a programme"] = _show_new_programme
    # Keyed and tracked on the server, and only the open tab runs: the rerun after a load keeps
    # the officer on the tab they loaded from (untracked tabs fall back to the first after
    # st.rerun), and a tab's uploader only appears once the server has drawn that tab, so a
    # file cannot be dropped into a tab the server has not opened yet.
    tabs = st.tabs(list(sections), key="returns_tab", on_change="rerun")
    for tab, show in zip(tabs, sections.values(), strict=True):
        if tab.open:
            with tab:
                show(filters)


render(current_filters())
