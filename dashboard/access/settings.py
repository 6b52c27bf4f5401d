"""Access settings, read from the environment in one place.

Secrets (the OIDC client secret, the cookie secret) live only in ``.streamlit/secrets.toml`` under
``[auth]``; nothing here is secret, so plain environment variables suit a container or a service.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dashboard.access.roles import Role

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}


class AccessConfigError(ValueError):
    """A setting has a value the product cannot use; the message names the setting."""


@dataclass(frozen=True)
class AccessSettings:
    require_sign_in: bool  # refuse local mode (set in production)
    unknown_role: Role | None  # role of visitors not signed in and of signed-in strangers
    admins: frozenset[str]  # bootstrap administrators, so the first admin can assign roles
    group_claims: tuple[str, ...]  # identity-token claims that carry group or role names
    # claims the provider verifies by construction, read for the e-mail address when it sends no
    # email_verified (Microsoft Entra ID: preferred_username, upn)
    verified_email_claims: tuple[str, ...] = ()


def _flag(name: str) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise AccessConfigError(f"{name} must be true or false, not {value!r}.")


def _unknown_role() -> Role | None:
    name = "DASHBOARD_UNKNOWN_USERS"
    value = os.environ.get(name, "public").strip().lower()
    if value == "none":
        return None
    if value in {"public", "viewer"}:
        return Role.parse(value)
    raise AccessConfigError(f"{name} must be public, viewer or none, not {value!r}.")


def _words(name: str, default: str = "") -> tuple[str, ...]:
    return tuple(w.strip() for w in os.environ.get(name, default).split(",") if w.strip())


def access_settings() -> AccessSettings:
    """The current settings (read each time: cheap, and tests change the environment)."""
    return AccessSettings(
        require_sign_in=_flag("DASHBOARD_REQUIRE_SIGN_IN"),
        unknown_role=_unknown_role(),
        admins=frozenset(w.lower() for w in _words("DASHBOARD_ADMINS")),
        group_claims=_words("DASHBOARD_GROUP_CLAIMS", "groups,roles"),
        verified_email_claims=_words("DASHBOARD_VERIFIED_EMAIL_CLAIMS"),
    )
