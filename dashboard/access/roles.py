"""Roles, what each may do, and how a signed-in person's role is worked out.

Pure rules, no Streamlit and no database, so the same decision is made on every page, in every
write function and in the tests. Roles are ordered: each includes everything the one below it may
do (``public`` < ``viewer`` < ``officer`` < ``admin``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum


class Role(IntEnum):
    PUBLIC = 1  # residents and the published pack: aggregates under the public-figures rules
    VIEWER = 2  # board and scrutiny members: every aggregate
    OFFICER = 3  # + returns, commentary, actions, data quality with record references
    ADMIN = 4  # + roles, targets, configuration

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Role:
        """``"officer"`` → ``Role.OFFICER``; a clear error naming the allowed words otherwise."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            allowed = ", ".join(r.label for r in cls)
            raise ValueError(f"Unknown role {text.strip()!r}: use one of {allowed}.") from None


ROLE_DESCRIPTIONS: dict[Role, str] = {
    Role.PUBLIC: "published figures only: small numbers hidden, consented case studies",
    Role.VIEWER: "board and scrutiny members: every aggregate figure",
    Role.OFFICER: "loads returns, writes commentary and actions, sees data quality",
    Role.ADMIN: "everything, and manages roles, programmes, targets and configuration",
}

# Every write the product can make, and the least role that may make it. Write functions call
# ``require`` with one of these names before they touch the database.
ACTIONS: dict[str, Role] = {
    "load_return": Role.OFFICER,
    "commentary": Role.OFFICER,
    "action": Role.OFFICER,
    "meeting": Role.OFFICER,
    "issue_meeting": Role.OFFICER,
    "download_pack": Role.VIEWER,
    "edit_targets": Role.ADMIN,
    "set_up_programme": Role.ADMIN,  # a new programme, or a change to a programme's districts
    "edit_roles": Role.ADMIN,
}

GROUP_PREFIX = "group:"
ACTOR_LENGTH = 100  # import_log.loaded_by; the audit trail allows 200


class PermissionDenied(PermissionError):
    """A write or page the person's role does not allow; the message says which and why."""


@dataclass(frozen=True)
class User:
    """Who is using this session, as the server worked it out (never from anything the browser sends
    except the signed identity cookie)."""

    name: str
    email: str | None
    role: Role
    signed_in: bool = False
    local: bool = False  # local mode: no sign-in configured, one administrator on this computer
    unverified: bool = False  # signed in, but the provider did not vouch for the e-mail address

    @property
    def actor(self) -> str:
        """How the audit trail and import log name this person (clipped to their columns' size:
        the identity provider's claims are not ours to trust)."""
        return (self.email or self.name)[:ACTOR_LENGTH]

    def may(self, action: str) -> bool:
        if action not in ACTIONS:
            raise ValueError(f"Unknown action {action!r}")
        return self.role >= ACTIONS[action]

    def may_see(self, least: Role) -> bool:
        return self.role >= least


def require(user: User | None, action: str) -> User:
    """Refuse the write unless ``user``'s role allows ``action``; called again inside each write."""
    if user is None:
        raise PermissionDenied(f"Sign in to {action.replace('_', ' ')}.")
    if not user.may(action):
        needed = ACTIONS[action].label
        raise PermissionDenied(
            f"{user.name} has the {user.role.label} role; {action.replace('_', ' ')} needs "
            f"{needed} or above. Ask an administrator if you need it.")
    return user


def plain_address(text: str) -> str:
    """An e-mail address as compared: NFKC, no spaces or invisible characters, case folded, so
    ``Adam@Council.Example`` and a copy with a no-break space in it are the same address."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf").casefold()


def verified_address(claims: Mapping[str, object], trusted_claims: Iterable[str] = ()) -> str | None:
    """The person's e-mail address only where the identity provider vouches for it: ``email`` with
    ``email_verified`` true, or else the first of ``trusted_claims`` that holds an address (for
    providers such as Microsoft Entra ID, which send no ``email_verified`` but whose
    ``preferred_username`` or ``upn`` is the verified sign-in name). Anyone can type any address
    into an account at some providers, so an unverified one must never carry a role."""
    verified = claims.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.strip().lower() == "true"):
        email = claims.get("email")
        if isinstance(email, str) and "@" in email:
            return plain_address(email)
    for name in trusted_claims:
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return plain_address(value)
    return None


def normalise_principal(text: str) -> str:
    """E-mail addresses compare case-insensitively; group names keep their case after ``group:``."""
    text = text.strip()
    if text.lower().startswith(GROUP_PREFIX):
        name = text[len(GROUP_PREFIX):].strip()
        if not name:
            raise ValueError("A group needs a name after 'group:'.")
        return GROUP_PREFIX + name
    if "@" not in text or " " in text or text.startswith("@") or text.endswith("@"):
        raise ValueError(f"{text!r} is neither an e-mail address nor group:NAME.")
    return plain_address(text)


def resolve_role(email: str | None, groups: Iterable[str], assignments: Mapping[str, str],
                 admins: Iterable[str], unknown: Role | None) -> Role | None:
    """The highest role any of the person's identities is given; ``unknown`` if none is.

    ``email`` must be verified (``verified_address``); ``assignments`` maps principals (e-mail as
    ``plain_address`` makes it, or ``group:NAME``) to role words; ``admins`` are the bootstrap
    administrators from configuration.
    """
    email = plain_address(email or "")
    found: list[Role] = []
    if email and email in {plain_address(a) for a in admins}:
        found.append(Role.ADMIN)
    principals = ([email] if email else []) + [GROUP_PREFIX + g for g in groups]
    for principal in principals:
        if principal in assignments:
            found.append(Role.parse(assignments[principal]))
    return max(found) if found else unknown
