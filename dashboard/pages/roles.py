"""Roles: who may see and do what. Administrators give a role to an e-mail address or to a group
claim from the identity provider; every change is checked again on the server and audited."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access import ROLE_DESCRIPTIONS, PermissionDenied, Role, role_store
from dashboard.access.settings import access_settings
from dashboard.access.signin import current_user, sign_in_configured
from dashboard.figures.format import format_date
from dashboard.figures.safe_text import md_text
from dashboard.ui.components import data_table

SAVED = "roles_saved_message"
ROLE_CHOICES = {f"{r.label} — {ROLE_DESCRIPTIONS[r]}": r for r in Role}


def _show_settings() -> None:
    settings = access_settings()
    unknown = settings.unknown_role.label if settings.unknown_role else "no access"
    admins = md_text(", ".join(sorted(settings.admins)) or "none")
    mode = "sign-in with the identity provider" if sign_in_configured() else "local mode (no sign-in)"
    st.caption(f"Mode: {mode}. People with no role here get: {unknown} (DASHBOARD_UNKNOWN_USERS). "
               f"Administrators from configuration (DASHBOARD_ADMINS): {admins}. Group claims read: "
               f"{md_text(', '.join(settings.group_claims))} (DASHBOARD_GROUP_CLAIMS).")


def _show_assignments(frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info("No roles given yet: only the administrators from configuration can sign in with "
                "more than the default role.")
        return
    shown = frame.assign(assigned_at=frame["assigned_at"].map(format_date)).rename(columns={
        "principal": "E-mail or group", "role": "Role", "assigned_by": "Given by",
        "assigned_at": "On"})
    data_table(shown, title="Roles given")


def _change(action, *args: object) -> None:  # noqa: ANN001 - a role_store write
    try:
        action(current_user(), *args)
    except (PermissionDenied, ValueError) as error:
        st.error(md_text(error))  # it may quote the address typed in
        return
    st.session_state[SAVED] = "Saved. The change applies from the person's next click."
    st.rerun()  # redraw the table and the lists from the database


def _show_editors(principals: list[str]) -> None:
    left, right = st.columns(2)
    with left.form("assign_role", clear_on_submit=True):
        st.markdown("**Give a role**")
        principal = st.text_input("E-mail address, or group:NAME for a group claim",
                                  placeholder="j.smith@council.gov.uk or group:Programme board",
                                  key="role_principal")
        choice = st.selectbox("Role", list(ROLE_CHOICES), index=1, key="role_choice")
        if st.form_submit_button("Save role", type="primary") and principal.strip():
            _change(role_store.assign_role, principal, ROLE_CHOICES[choice])
    if principals:
        with right.form("remove_role"):
            st.markdown("**Take a role away**")
            chosen = st.selectbox("E-mail or group", principals, key="role_remove")
            if st.form_submit_button("Remove"):
                _change(role_store.remove_role, chosen)


def render() -> None:
    st.title("Roles")
    st.markdown("Each person gets the highest role given to their e-mail address or to any of "
                "their groups. Roles, from least to most: "
                + "; ".join(f"**{r.label}** ({ROLE_DESCRIPTIONS[r]})" for r in Role) + ".")
    _show_settings()
    if SAVED in st.session_state:
        st.success(st.session_state.pop(SAVED))
    frame = role_store.assignments_frame()
    _show_assignments(frame)
    _show_editors(list(frame["principal"]))


render()
