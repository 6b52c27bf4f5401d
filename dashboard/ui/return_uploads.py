"""Upload → check → preview → confirm, shared by the Returns page's two uploaders (a partner's
return, and an administrator's districts file starting a new programme).

The loader does every check; this module only shows its verdict. File names and cells are the
sender's text, shown literally; downloads are safe to open in a spreadsheet. Each uploader keeps
its checked plan in the session (reruns reuse it) and, once a file is loaded, starts afresh: the
preview and its button go, and the result stays on screen as a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

import pandas as pd
import streamlit as st

from dashboard.access import PermissionDenied
from dashboard.access.signin import current_user
from dashboard.figures.format import count_of
from dashboard.figures.safe_text import csv_bytes, md_text
from dashboard.queries import cache, context
from dashboard.ui.components import data_table
from data_loaders import (
    LoadBusy,
    LoadPlan,
    LoadRejected,
    check_council_upload,
    confirm_council_upload,
    confirm_upload,
    max_upload_mb,
    preview_upload,
    problems_frame,
)

_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


@dataclass(frozen=True)
class Uploader:
    """One upload slot on a page: ``slot`` names its session keys, ``button`` its confirm button."""

    slot: str
    label: str
    button: str
    types: tuple[str, ...] = ("csv", "xlsx")

    def _key(self, name: str) -> str:
        return f"{self.slot}_{name}"

    @property
    def widget_key(self) -> str:
        """A new key after each load empties the uploader (Streamlit cannot clear one in place)."""
        round_ = st.session_state.get(self._key("round"), 0)
        return self.slot if round_ == 0 else f"{self.slot}_{round_}"

    def file(self):  # noqa: ANN201 - Streamlit's UploadedFile
        done = st.session_state.pop(self._key("done"), None)
        if done:
            st.success(done)
        upload = st.file_uploader(self.label, type=list(self.types), key=self.widget_key,
                                  max_upload_size=max_upload_mb())
        if upload is None:
            self.forget()  # the plan holds the file: never keep it after the uploader is cleared
        return upload

    def plan(self, programme: str, upload, kind: str | None, redact: bool = False) -> LoadPlan:  # noqa: ANN001
        """Check once per file: reruns (every click) reuse the plan kept in the session."""
        key = (programme, upload.file_id, kind, redact)
        if st.session_state.get(self._key("plan_key")) != key:
            st.session_state[self._key("plan")] = preview_upload(programme, upload.name,
                                                                 upload.getvalue(), kind, redact=redact)
            st.session_state[self._key("plan_key")] = key
        return st.session_state[self._key("plan")]

    def forget(self) -> None:
        st.session_state.pop(self._key("plan"), None)
        st.session_state.pop(self._key("plan_key"), None)

    def confirm(self, plan: LoadPlan) -> None:
        """The confirm button; on success the slot starts afresh and says what was loaded."""
        user = current_user()
        st.caption(f"The import log and audit trail will record this load as {md_text(user.actor)}.")
        if not st.button(self.button, type="primary", key=self._key("confirm")):
            return
        try:
            result = confirm_upload(plan, user)
        except (PermissionDenied, LoadBusy) as error:
            st.error(md_text(error))
            return
        except LoadRejected as error:  # the file no longer passes against today's database
            self.forget()
            show_problems(error.plan)
            return
        cache.clear()
        self.forget()
        st.session_state[self._key("round")] = st.session_state.get(self._key("round"), 0) + 1
        st.session_state[self._key("done")] = (f"Loaded: {md_text(result.summary())} "
                                               f"(import #{result.import_id}).")
        st.rerun()


def problems_file_name(file_name: str) -> str:
    """``august.csv`` → ``august-problems.csv``: the sender's name, without its extension, and
    only characters every operating system accepts."""
    stem = _UNSAFE_IN_NAME.sub("_", PurePath(file_name.replace("\\", "/")).stem).strip(" ._")
    return f"{stem[:100] or 'return'}-problems.csv"


def show_problems(plan: LoadPlan) -> None:
    st.error(f"**This file cannot be loaded: {count_of(len(plan.problems), 'problem')}.** Nothing "
             "has been written. Correct the file and upload it again.")
    problems = problems_frame(plan)
    data_table(problems, title="Problems")
    st.download_button("Download the problems as CSV", csv_bytes(problems),
                       file_name=problems_file_name(plan.file_name), mime="text/csv")


def _as_written(day: date) -> str:
    """Day first, as a return writes it, so a reader can find the row in the file."""
    return f"{day:%d/%m/%Y}"


def _as_read(value: object) -> str:
    """A stored or new value as an officer reads it: dates day first, pence kept (a change of a
    penny is a change)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, date):
        return _as_written(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}( .*)?", value):  # SQLite dates
        return _as_written(date.fromisoformat(value[:10]))
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.2f}"
    return str(value)


def _first_rows(plan: LoadPlan, programme: str) -> pd.DataFrame:
    """The first records with district names and day-first dates, as an officer reads them."""
    frame = pd.DataFrame(plan.records[:10])
    if "district_id" in frame:
        names = context.districts(programme).set_index("district_id")["district"]
        frame.insert(0, "district", frame.pop("district_id").map(names))
    for column in frame.columns:
        if frame[column].map(lambda v: isinstance(v, date)).any():
            frame[column] = frame[column].map(lambda v: _as_written(v) if isinstance(v, date) else "")
    return frame


def changed_fields(plan: LoadPlan) -> pd.DataFrame:
    """Every changed field the plan kept: which row, which field, the stored and the new value."""
    return pd.DataFrame(
        [(c.district or "", c.record, c.field, _as_read(c.old), _as_read(c.new)) for c in plan.changes],
        columns=["District", "Record", "Field", "Now stored", "After this load"])


def show_preview(plan: LoadPlan) -> None:
    st.success(f"**{md_text(plan.file_name)}** is a valid **{plan.kind}** return for "
               f"{md_text(plan.programme)}.")
    columns = st.columns(3)
    columns[0].metric("Rows to insert", f"{plan.to_insert:,}")
    columns[1].metric("Rows to update", f"{plan.to_update:,}")
    columns[2].metric("Rows unchanged", f"{plan.unchanged:,}")
    if plan.changes:
        shown = len(plan.changes)
        more = (f" The first {shown:,} of {plan.fields_changed:,} are listed."
                if plan.fields_changed > shown else "")
        st.caption(f"What the {count_of(plan.to_update, 'updated row')} change: "
                   f"{count_of(plan.fields_changed, 'field')}.{more}")
        data_table(changed_fields(plan), title="Fields that change")
    if plan.records and not plan.creates_programme:
        st.caption("First rows as they will be stored (dates and amounts already normalised):")
        data_table(_first_rows(plan, plan.programme), title="First rows")


COUNCIL_FILE = Uploader("council_file", "CQC's file, or the council's contracts, population or councils "
                        "file (.ods, .xlsx or CSV, as published)", "Load this file", ("ods", "xlsx", "csv"))


def council_file_section(council: str | None) -> None:
    """Check a council-level file on upload; load it on confirmation (the role checked again on
    the server). The loader's messages quote the file, so they are shown as plain text."""
    upload = COUNCIL_FILE.file()
    if upload is None:
        st.info("Choose a file to check it. Nothing is written until you confirm.")
        return
    key = COUNCIL_FILE._key("checked")
    if st.session_state.get(key, (None,))[0] != (upload.file_id, council):
        st.session_state[key] = ((upload.file_id, council),
                                 check_council_upload(upload.name, upload.getvalue(), council))
    checked = st.session_state[key][1]
    if checked is None:
        st.warning("This is a programme's return, not a council's file: load it under 'Load a return'.")
        return
    if not checked.ok:
        st.error("**This file cannot be loaded.** Nothing has been written.")
        st.code(checked.message, language=None)
        return
    st.success(md_text(checked.message))
    user = current_user()
    st.caption(f"The audit trail will record this load as {md_text(user.actor)}.")
    if not st.button(COUNCIL_FILE.button, type="primary", key=COUNCIL_FILE._key("confirm")):
        return
    try:
        outcome = confirm_council_upload(upload.name, upload.getvalue(), council, user)
    except (PermissionDenied, ValueError) as error:
        st.error(md_text(error))
        return
    if not outcome.ok:
        st.error("**This file cannot be loaded.** Nothing has been written.")
        st.code(outcome.message, language=None)
        return
    cache.clear()
    st.session_state.pop(key, None)
    st.session_state[COUNCIL_FILE._key("round")] = st.session_state.get(COUNCIL_FILE._key("round"), 0) + 1
    st.session_state[COUNCIL_FILE._key("done")] = "Loaded: " + md_text(outcome.message.replace("\n", " "))
    st.rerun()
