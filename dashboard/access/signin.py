"""Who is using this session: sign-in through Streamlit's OIDC (``st.login``), or local mode.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` people sign in with the council's
identity provider and get the role an administrator gave their e-mail address or one of their
groups. Without one the app runs in *local mode*: one administrator on this computer, with a banner
saying so, answering only on the loopback address, so the two-command start still works. Setting
``DASHBOARD_REQUIRE_SIGN_IN=true`` refuses local mode, for production.
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Mapping

import streamlit as st

from dashboard.access import audit, role_store, sessions
from dashboard.access.roles import ROLE_DESCRIPTIONS, Role, User, resolve_role, verified_address
from dashboard.access.settings import AccessConfigError, AccessSettings, access_settings
from dashboard.db.engine import database_url, get_engine
from dashboard.figures.safe_text import md_text

LOG = logging.getLogger(__name__)
SIGNED_IN_AUDITED = "_access_sign_in_audited"
SESSION_USER = "_access_user"


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def local_administrator() -> User:
    return User(name=f"Local administrator ({_login_name()})", email=None, role=Role.ADMIN, local=True)


def sign_in_configured() -> bool:
    """True when ``[auth]`` is in the secrets: the app then asks people to sign in."""
    try:
        return bool(st.secrets.get("auth"))
    except FileNotFoundError:  # no secrets file at all
        return False


def _provider() -> str | None:
    """``None`` for a single provider written directly under ``[auth]``; else the first named one."""
    section = st.secrets["auth"]
    if "client_id" in section:
        return None
    named = [name for name, value in section.items() if isinstance(value, Mapping)]
    return named[0] if named else None


def _claims(name: str) -> list[str]:
    value = st.user.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def _from_this_computer() -> bool:
    """Local mode's guard: a loopback connection that no proxy forwarded. Streamlit gives the
    address of any other connection as a string, and None for loopback."""
    forwarded = any(st.context.headers.get(h) for h in ("X-Forwarded-For", "Forwarded", "X-Real-IP"))
    return not isinstance(st.context.ip_address, str) and not forwarded


def _stop(message: str, sign_in: bool = False, sign_out: bool = False) -> None:
    st.title("Housing support programme dashboard")
    st.error(message)
    if sign_in and st.button("Sign in", type="primary", key="sign_in_gate"):
        st.login(_provider())
    if sign_out and st.button("Sign out", key="sign_out_gate"):
        sign_out(None)
    st.stop()


def _signed_in_user(settings: AccessSettings) -> User | None:
    claims = st.user.to_dict()
    email = verified_address(claims, settings.verified_email_claims)
    groups = [g for claim in settings.group_claims for g in _claims(claim)]
    engine = get_engine(database_url())
    role = resolve_role(email, groups, role_store.assignments(engine), settings.admins,
                        settings.unknown_role)
    if role is None:
        return None
    name = str(st.user.get("name") or email or "Signed-in user")
    user = User(name=name, email=email, role=role, signed_in=True,
                unverified=email is None and bool(st.user.get("email")))
    if not st.session_state.get(SIGNED_IN_AUDITED):
        audit.record_event(engine, actor=user.actor, role=role.label, action="sign_in",
                           detail=f"groups: {', '.join(groups) or 'none'}")
        st.session_state[SIGNED_IN_AUDITED] = True
    return user


def session_user() -> User:
    """The person using this run, worked out on the server; stops the page when there is none."""
    try:
        settings = access_settings()
    except AccessConfigError as error:
        LOG.error("access configuration: %s", error)
        _stop(f"The dashboard's access settings are wrong: {error}")
    if not sign_in_configured():
        if settings.require_sign_in:
            _stop("Sign-in is required (DASHBOARD_REQUIRE_SIGN_IN) but no identity provider is "
                  "configured. Add an [auth] section to .streamlit/secrets.toml: see docs/sign-in.md.")
        if not _from_this_computer():
            _stop("This dashboard is in local mode (no sign-in configured), so it answers only on "
                  "the computer it runs on. Configure sign-in to share it: see docs/sign-in.md.")
        return local_administrator()
    if st.user.is_logged_in and sessions.signed_out(get_engine(database_url()), st.user.to_dict()):
        st.session_state.pop(SIGNED_IN_AUDITED, None)
        return _visitor(settings, "You signed out of this account, so this sign-in has ended. "
                                  "Sign in again to continue.")
    if not st.user.is_logged_in:
        return _visitor(settings)
    user = _signed_in_user(settings)
    if user is None:
        unverified = "" if verified_address(st.user.to_dict(), settings.verified_email_claims) else (
            " Your identity provider did not confirm that this e-mail address is yours, so roles "
            "given to it do not apply.")
        _stop(f"Your account ({md_text(st.user.get('email') or 'no e-mail given')}) has not been given "
              "access to this dashboard. Ask an administrator to give you a role." + unverified,
              sign_out=True)
    return user


def _visitor(settings: AccessSettings, note: str | None = None) -> User:
    """Someone not signed in: the unknown-visitor role, or the sign-in page when there is none."""
    if note is not None:
        st.info(note, icon=":material/logout:")
    if settings.unknown_role is None:
        _stop("Sign in with your council account to use this dashboard.", sign_in=True)
    return User(name="Visitor", email=None, role=settings.unknown_role)


def remember(user: User) -> None:
    """Keep this run's user for the page the entry file hands over to."""
    st.session_state[SESSION_USER] = user


def current_user() -> User:
    """Who the entry file worked out is using this run (the server's verdict, never the browser's)."""
    return st.session_state[SESSION_USER]


def account_box(user: User) -> None:
    """The sidebar's note of who is signed in, with sign-in and sign-out; local mode's banner."""
    if user.local:
        st.warning("**Local mode**: no sign-in is configured, so whoever uses this computer is the "
                   "administrator, and the dashboard answers only on this computer. Configure "
                   "sign-in before loading real data (docs/sign-in.md).", icon=":material/lock_open:")
    with st.sidebar:
        if user.signed_in:
            st.caption(f"Signed in as {md_text(user.name)} · {user.role.label}",
                       help=f"{user.role.label}: {ROLE_DESCRIPTIONS[user.role]}")
            if user.unverified:
                st.caption("Your identity provider did not confirm your e-mail address, so roles "
                           "given to it do not apply.")
            if st.button("Sign out", key="sign_out"):
                sign_out(user)
        elif not user.local:
            st.caption("Public view: published figures only. Board members and officers sign in "
                       "to see more.")
            sign_in_button("sign_in")


def sign_out(user: User | None) -> None:
    """End this sign-in on the server too (``sessions``), audit it, then clear the cookie."""
    engine = get_engine(database_url())
    sessions.record_sign_out(engine, st.user.to_dict())
    if user is not None:
        audit.record_event(engine, actor=user.actor, role=user.role.label, action="sign_out")
    st.session_state.pop(SIGNED_IN_AUDITED, None)
    st.logout()


def sign_in_button(key: str) -> None:
    """Start the identity provider's sign-in; Streamlit brings the person back to the first page."""
    if st.button("Sign in", key=key, type="primary"):
        st.login(_provider())
