"""Role rules: ordering, what each role may write, and how a person's role is found."""

from __future__ import annotations

import pytest

from dashboard.access.roles import (
    ACTIONS,
    PermissionDenied,
    Role,
    User,
    normalise_principal,
    require,
    resolve_role,
    verified_address,
)
from dashboard.access.settings import AccessConfigError, access_settings
from dashboard.ui.navigation import PAGES, permitted

ASSIGNED = {"vic@council.gov.uk": "viewer", "group:Officers": "officer", "group:Board": "viewer"}


def user(role: Role) -> User:
    return User(name=role.label, email=f"{role.label}@council.gov.uk", role=role, signed_in=True)


@pytest.mark.parametrize(("role", "allowed"), [
    (Role.PUBLIC, set()),
    (Role.VIEWER, {"download_pack"}),
    (Role.OFFICER, {"download_pack", "load_return", "commentary", "action", "meeting",
                     "issue_meeting"}),
    (Role.ADMIN, set(ACTIONS)),
])
def test_each_role_gets_exactly_its_writes(role: Role, allowed: set[str]) -> None:
    for action in ACTIONS:
        if action in allowed:
            assert require(user(role), action).role == role
        else:
            with pytest.raises(PermissionDenied, match=f"needs {ACTIONS[action].label}"):
                require(user(role), action)


def test_nobody_signed_in_may_write_nothing() -> None:
    with pytest.raises(PermissionDenied, match="Sign in"):
        require(None, "load_return")


@pytest.mark.parametrize(("role", "pages"), [
    (Role.PUBLIC, {"council_overview", "provider_quality", "board_summary", "savings", "trends",
                   "district_comparison", "case_studies", "about_figures", "accessibility",
                   "papers", "care_at_home"}),  # papers: published ones only
    (Role.VIEWER, {"council_overview", "provider_quality", "board_summary", "savings", "trends",
                   "district_comparison", "case_studies", "about_figures", "accessibility", "finance",
                   "cases", "dfg", "satisfaction", "meetings", "actions", "papers", "care_at_home"}),
    (Role.OFFICER, {"council_overview", "provider_quality", "board_summary", "savings", "trends",
                    "district_comparison", "case_studies", "about_figures", "accessibility", "finance",
                    "cases", "dfg", "satisfaction", "returns", "import_log", "data_quality", "meetings",
                    "care_at_home",
                    "actions", "papers"}),
    (Role.ADMIN, {spec.file for spec in PAGES}),
])
def test_each_role_gets_exactly_its_pages(role: Role, pages: set[str]) -> None:
    assert {spec.file for spec in permitted(role)} == pages


@pytest.mark.parametrize(("email", "groups", "expected"), [
    ("vic@council.gov.uk", [], Role.VIEWER),
    ("VIC@Council.gov.uk", [], Role.VIEWER),  # e-mail addresses compare without case
    ("olive@council.gov.uk", ["Officers"], Role.OFFICER),
    ("vic@council.gov.uk", ["Officers"], Role.OFFICER),  # the highest role wins
    ("boss@council.gov.uk", ["Board"], Role.ADMIN),  # bootstrap administrator
    ("stranger@elsewhere.org", ["officers"], Role.PUBLIC),  # group names keep their case
    (None, [], Role.PUBLIC),
])
def test_resolve_role(email: str | None, groups: list[str], expected: Role) -> None:
    assert resolve_role(email, groups, ASSIGNED, {"Boss@council.gov.uk"}, Role.PUBLIC) == expected


def test_strangers_can_be_refused() -> None:
    assert resolve_role("stranger@elsewhere.org", [], ASSIGNED, set(), None) is None


@pytest.mark.parametrize(("text", "stored"), [
    (" Jo.Smith@Council.GOV.uk ", "jo.smith@council.gov.uk"),
    ("group:Programme board", "group:Programme board"),
    ("GROUP: Officers", "group:Officers"),
])
def test_principals(text: str, stored: str) -> None:
    assert normalise_principal(text) == stored


@pytest.mark.parametrize("text", ["jo smith", "group:", "@council.gov.uk", "jo@"])
def test_bad_principals_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        normalise_principal(text)


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_UNKNOWN_USERS", "none")
    monkeypatch.setenv("DASHBOARD_ADMINS", "A@x.gov.uk, b@x.gov.uk")
    monkeypatch.setenv("DASHBOARD_REQUIRE_SIGN_IN", "yes")
    settings = access_settings()
    assert settings.unknown_role is None and settings.require_sign_in
    assert settings.admins == {"a@x.gov.uk", "b@x.gov.uk"}
    monkeypatch.setenv("DASHBOARD_UNKNOWN_USERS", "officer")  # never more than viewer by default
    with pytest.raises(AccessConfigError, match="DASHBOARD_UNKNOWN_USERS"):
        access_settings()


def test_unknown_role_word() -> None:
    with pytest.raises(ValueError, match="public, viewer, officer, admin"):
        Role.parse("superuser")


def test_a_long_identity_is_clipped_to_fit_the_logs() -> None:
    person = User(name="n", email="x" * 300 + "@council.gov.uk", role=Role.VIEWER, signed_in=True)
    assert len(person.actor) == 100 and person.actor.startswith("xxx")


# --- identity: only a verified address carries a role ----------------------------------------------

@pytest.mark.parametrize(("claims", "trusted", "expected"), [
    ({"email": "Adam@Council.Example", "email_verified": True}, (), "adam@council.example"),
    ({"email": "adam@council.example", "email_verified": "true"}, (), "adam@council.example"),
    ({"email": "adam@council.example", "email_verified": False}, (), None),
    ({"email": "adam@council.example", "email_verified": "false"}, (), None),
    ({"email": "adam@council.example"}, (), None),  # no claim at all: not vouched for
    # Entra ID sends no email_verified; its sign-in name is verified, when configured as trusted.
    ({"email": "adam@council.example", "preferred_username": "Adam@Council.Example"},
     ("preferred_username", "upn"), "adam@council.example"),
    ({"upn": "adam@council.example"}, ("preferred_username", "upn"), "adam@council.example"),
    ({"preferred_username": "adam"}, ("preferred_username",), None),  # not an address
    # Spaces and invisible characters never make a second address.
    ({"email": "adam@council.example\u00a0", "email_verified": True}, (), "adam@council.example"),
    ({"email": "ad\u200bam@council.example", "email_verified": True}, (), "adam@council.example"),
])
def test_verified_address(claims: dict, trusted: tuple[str, ...], expected: str | None) -> None:
    assert verified_address(claims, trusted) == expected


def test_an_unverified_admin_address_gets_no_role() -> None:
    admins = ["adam@council.example"]
    claims = {"email": "Adam@Council.Example", "email_verified": False}
    assert resolve_role(verified_address(claims), [], {}, admins, Role.PUBLIC) == Role.PUBLIC
    claims["email_verified"] = True
    assert resolve_role(verified_address(claims), [], {}, admins, Role.PUBLIC) == Role.ADMIN
    # Given in the role store in any case or with stray spaces, it is one address.
    assert resolve_role("adam@council.example", [], {normalise_principal(" ADAM@Council.example "):
                                                     "officer"}, [], None) == Role.OFFICER


def test_trusted_email_claims_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_VERIFIED_EMAIL_CLAIMS", "preferred_username, upn")
    assert access_settings().verified_email_claims == ("preferred_username", "upn")
    monkeypatch.delenv("DASHBOARD_VERIFIED_EMAIL_CLAIMS")
    assert access_settings().verified_email_claims == ()
