"""Returns: load a partner's return (check, preview, confirm), download templates, and see who
has sent what for the period. Validation is the loader's; this page only shows its verdict. File
names, warnings and cells are the sender's text: shown literally, and every download is safe to open
in a spreadsheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.access import PermissionDenied
from dashboard.access.signin import current_user
from dashboard.components import data_table, page_header
from dashboard.filters import Filters, current_filters
from dashboard.queries import cache, context, returns
from dashboard.safe_text import csv_bytes, md_text, safe_csv_bytes
from data_loaders import (  # the Returns page's documented entry points to the loader
    KINDS,
    LoadBusy,
    LoadPlan,
    LoadRejected,
    confirm_upload,
    example_csv,
    max_upload_mb,
    preview_upload,
    problems_frame,
    template_csv,
)

DETECT = "Detect from the columns"


def _plan(filters: Filters, upload, kind: str | None, redact: bool) -> LoadPlan:  # noqa: ANN001
    """Check once per file: reruns (every click) reuse the plan kept in the session."""
    key = ("plan", filters.programme, upload.file_id, kind, redact)
    if st.session_state.get("plan_key") != key:
        st.session_state["plan"] = preview_upload(filters.programme, upload.name,
                                                  upload.getvalue(), kind, redact=redact)
        st.session_state["plan_key"] = key
    return st.session_state["plan"]


def _forget_plan() -> None:
    st.session_state.pop("plan", None)
    st.session_state.pop("plan_key", None)


def _show_problems(plan: LoadPlan) -> None:
    st.error(f"**This file cannot be loaded: {len(plan.problems)} problem(s).** Nothing has been "
             "written. Correct the file and upload it again.")
    problems = problems_frame(plan)
    data_table(problems, title="Problems")
    st.download_button("Download the problems as CSV", csv_bytes(problems),
                       file_name=f"problems-{plan.file_name}.csv", mime="text/csv")


def _readable(plan: LoadPlan, programme: str) -> pd.DataFrame:
    """The first records with district names and day-first dates, as an officer reads them."""
    frame = pd.DataFrame(plan.records[:10])
    if "district_id" in frame:
        names = context.districts(programme).set_index("district_id")["district"]
        frame.insert(0, "district", frame.pop("district_id").map(names))
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, date)).any():
            frame[column] = frame[column].map(lambda v: f"{v:%d/%m/%Y}" if isinstance(v, date) else "")
    return frame


def _show_preview(plan: LoadPlan) -> None:
    st.success(f"**{md_text(plan.file_name)}** is a valid **{plan.kind}** return for "
               f"{md_text(plan.programme)}.")
    columns = st.columns(3)
    columns[0].metric("Rows to insert", f"{plan.to_insert:,}")
    columns[1].metric("Rows to update", f"{plan.to_update:,}")
    columns[2].metric("Rows unchanged", f"{plan.unchanged:,}")
    st.caption("First rows as they will be stored (dates and amounts already normalised):")
    data_table(_readable(plan, plan.programme), title="First rows")


def _show_loader(filters: Filters) -> None:
    choice = st.selectbox("Kind of return", [DETECT, *KINDS], key="return_kind")
    kind = None if choice == DETECT else choice
    upload = st.file_uploader("Return file (CSV or Excel .xlsx)", type=["csv", "xlsx"],
                              key="return_file", max_upload_size=max_upload_mb())
    redact = st.checkbox(
        "Remove personal data from free text instead of rejecting the file", key="return_redact",
        help="Case studies, complaint summaries and withdrawal reasons are checked for names, "
        "addresses, postcodes, phone numbers, NHS and NI numbers, dates of birth and ages over 90. "
        "Normally a file containing any is rejected; ticked, each is replaced by a label such as "
        "[postcode removed] and the preview lists what was removed.")
    if upload is None:
        _forget_plan()  # the plan holds the file: never keep it after the uploader is cleared
        st.info("Choose a file to check it. Nothing is written until you confirm.")
        return
    plan = _plan(filters, upload, kind, redact)
    for warning in plan.warnings:  # they quote the file's cells
        st.warning(md_text(warning))
    if not plan.ok:
        _show_problems(plan)
        return
    _show_preview(plan)
    user = current_user()
    st.caption(f"The import log and audit trail will record this load as {md_text(user.actor)}.")
    if st.button("Load this return", type="primary"):
        try:
            result = confirm_upload(plan, user)
        except (PermissionDenied, LoadBusy) as error:
            st.error(md_text(error))
            return
        except LoadRejected as error:  # the file no longer passes against today's database
            _forget_plan()
            _show_problems(error.plan)
            return
        cache.clear()
        _forget_plan()
        st.success(f"Loaded: {md_text(result.summary())} (import #{result.import_id}).")


def _show_tracker(filters: Filters) -> None:
    day = returns.due_day()
    tracker = returns.submissions(filters.programme, filters.period.label, day, date.today())
    due = tracker["due"].iloc[0] if len(tracker) else None
    st.caption(f"Returns covering {filters.period.long_label}, due by {due:%d %B %Y} (day {day} of "
               "the following month; set DASHBOARD_RETURN_DUE_DAY to change).")
    shown = tracker.assign(status=tracker["status"].map(
        {"Received": "✔ Received", "Overdue": "⚠ Overdue", "Not yet due": "… Not yet due"}))
    data_table(shown[["district", "kind", "status", "loads", "rows", "last_loaded"]],
               title="Returns for the period")
    overdue = int((tracker["status"] == "Overdue").sum())
    st.caption(f"{overdue} return(s) overdue." if overdue else "Nothing overdue.")


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "returns-format.md"


def _show_templates() -> None:
    st.caption("An empty template and a filled example for each return: fill in the template "
               "(or copy the example), save it as CSV UTF-8 or .xlsx, and upload it on the first "
               "tab. The guide below lists every column and the values allowed.")
    for kind in KINDS:
        left, middle, right = st.columns([2, 1, 1])
        left.markdown(f"**{kind}** — required: {', '.join(KINDS[kind].required)}")
        middle.download_button("Empty template", safe_csv_bytes(template_csv(kind)),
                               f"{kind}-template.csv", "text/csv", key=f"template_{kind}")
        right.download_button("Filled example", safe_csv_bytes(example_csv(kind)),
                              f"{kind}-example.csv", "text/csv", key=f"example_{kind}")
    with st.expander("How to fill in a return"):
        st.markdown(GUIDE.read_text(encoding="utf-8"))


def render(filters: Filters) -> None:
    page_header("Returns", filters, "Load each partner's monthly or quarterly return. The file "
                "is checked first; every problem is listed by row, column and value, and nothing "
                "is written until you confirm.")
    load, tracker, templates = st.tabs(["Load a return", "Submission tracker", "Templates"])
    with load:
        _show_loader(filters)
    with tracker:
        _show_tracker(filters)
    with templates:
        _show_templates()


render(current_filters())
