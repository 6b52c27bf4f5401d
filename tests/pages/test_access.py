"""Roles enforced on the server, through the real entry file: each role gets exactly its pages,
a forbidden page is not in the navigation at all, and writes check the role again."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine, func, select

from dashboard.access import PermissionDenied, Role, User, role_store, sessions
from dashboard.db import schema as s
from dashboard.db.councils import ensure_council, place_programme
from dashboard.db.programmes import find_programme
from dashboard.ui.navigation import PAGES
from data_loaders import confirm_upload, preview_upload
from tests.pages.conftest import VISITOR, signed_in

ADMIN = User(name="Ada Admin", email="ada@council.gov.uk", role=Role.ADMIN, signed_in=True)
QUARTER = {"programme": "Testshire", "grain": "Quarter", "period_quarter": "2019/20 Q1"}
CASES = (b"case_ref,district,referral_date,case_type,outcome,closed_date\n"
         b"N1,Alpha,01/08/2019,Housing MOT,Completed,15/08/2019\n")


def give_roles(engine: Engine) -> None:
    role_store.assign_role(ADMIN, "vic@council.gov.uk", Role.VIEWER, engine=engine)
    role_store.assign_role(ADMIN, "group:Housing officers", Role.OFFICER, engine=engine)


def under_a_council(engine: Engine) -> None:
    """Testshire under a council, so the council's pages are in the navigation too."""
    with engine.begin() as conn:
        council_id, _created = ensure_council(conn, "Testshire County")
        place_programme(conn, find_programme(conn, "Testshire")[0], council_id)


def opens(app, page: str, user: dict | None) -> bool:  # noqa: ANN001
    """True if the page is in this person's navigation; a page left out cannot be switched to."""
    try:
        app(page, user=user, **QUARTER)
    except ValueError as error:
        assert "Could not find a navigation page" in str(error)
        return False
    return True


PEOPLE = {
    "visitor": (VISITOR, Role.PUBLIC),
    "viewer": (signed_in("vic@council.gov.uk"), Role.VIEWER),
    "officer": (signed_in("olive@council.gov.uk", groups=["Housing officers"]), Role.OFFICER),
    "stranger": (signed_in("sam@elsewhere.org"), Role.PUBLIC),
}


@pytest.mark.parametrize("person", list(PEOPLE))
def test_each_role_opens_exactly_its_pages(app, testshire: Engine, person: str) -> None:  # noqa: ANN001
    give_roles(testshire)
    under_a_council(testshire)
    user, role = PEOPLE[person]
    for spec in PAGES:
        if spec.default or "housing" not in spec.families:  # Testshire is a programme of districts
            continue
        assert opens(app, spec.file, user) == (role >= spec.least), spec.file


def test_local_mode_is_one_labelled_administrator(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("roles", **QUARTER)
    assert any("Local mode" in w.value for w in at.warning)
    assert [t.value for t in at.title] == ["Roles"]


def test_public_view_is_labelled_and_offers_sign_in(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(user=VISITOR, **QUARTER)
    assert not any("Local mode" in w.value for w in at.warning)
    assert any("Public view" in c.value for c in at.sidebar.caption)
    assert [b.label for b in at.sidebar.button] == ["Sign in"]


def test_strangers_refused_when_configured(app, testshire: Engine,  # noqa: ANN001
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_UNKNOWN_USERS", "none")
    at = app(user=signed_in("sam@elsewhere.org"), **QUARTER)
    assert any("has not been given access" in e.value for e in at.error)
    assert not at.metric and [b.label for b in at.button] == ["Sign out"]
    at = app(user=VISITOR, **QUARTER)
    assert any("Sign in with your council account" in e.value for e in at.error)
    assert not at.metric


def test_production_setting_refuses_local_mode(app, testshire: Engine,  # noqa: ANN001
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_REQUIRE_SIGN_IN", "true")
    at = app(**QUARTER)
    assert any("Sign-in is required" in e.value for e in at.error)
    assert not at.metric


def test_sign_in_is_audited_once_per_session(app, testshire: Engine) -> None:  # noqa: ANN001
    give_roles(testshire)
    at = app(user=signed_in("vic@council.gov.uk"), **QUARTER)
    at.run()  # a click: the same session, so no second sign-in row
    with testshire.connect() as conn:
        rows = conn.execute(select(s.audit_log.c.actor, s.audit_log.c.role)
                            .where(s.audit_log.c.action == "sign_in")).all()
    assert rows == [("vic@council.gov.uk", "viewer")]


def test_writes_check_the_role_again(testshire: Engine, db_url: str,  # noqa: ANN001
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    plan = preview_upload("Testshire", "august.csv", CASES)
    viewer = User(name="Vic", email="vic@council.gov.uk", role=Role.VIEWER, signed_in=True)
    with pytest.raises(PermissionDenied, match="needs officer"):
        confirm_upload(plan, viewer)
    with pytest.raises(PermissionDenied, match="needs admin"):
        role_store.assign_role(viewer, "vic@council.gov.uk", Role.ADMIN, engine=testshire)
    assert role_store.assignments(testshire) == {}
    officer = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER, signed_in=True)
    result = confirm_upload(plan, officer)
    with testshire.connect() as conn:
        log = conn.execute(select(s.import_log.c.loaded_by).where(s.import_log.c.id == result.import_id))
        audit = conn.execute(select(s.audit_log.c.actor, s.audit_log.c.detail)
                             .where(s.audit_log.c.action == "load_return")
                             .order_by(s.audit_log.c.id)).all()
    assert log.scalar() == "olive@council.gov.uk"
    assert audit[-1][0] == "olive@council.gov.uk" and "august.csv" in audit[-1][1]  # after the fixture's


def test_only_administrators_set_targets(testshire: Engine, db_url: str,  # noqa: ANN001
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    plan = preview_upload("Testshire", "targets.csv", b"kpi,target\navg_days_to_complete,30\n")
    assert plan.ok and plan.kind == "targets"
    officer = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER, signed_in=True)
    with pytest.raises(PermissionDenied, match="needs admin"):
        confirm_upload(plan, officer)
    with testshire.connect() as conn:  # the fixture's own loads are on the trail too
        before = conn.execute(select(func.count()).select_from(s.audit_log)).scalar()
    confirm_upload(plan, ADMIN)
    with testshire.connect() as conn:
        actions = conn.execute(select(s.audit_log.c.actor, s.audit_log.c.action)
                               .order_by(s.audit_log.c.id)).all()
    assert actions[before:] == [("ada@council.gov.uk", "target")]


def test_admin_gives_and_takes_roles_on_the_page(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("roles", **QUARTER)
    at.text_input(key="role_principal").input("New.Member@Council.gov.uk")
    at.selectbox(key="role_choice").select_index(2)  # officer
    at.button[0].click().run()
    assert role_store.assignments(testshire) == {"new.member@council.gov.uk": "officer"}
    assert at.dataframe[0].value["E-mail or group"].tolist() == ["new.member@council.gov.uk"]
    at.selectbox(key="role_remove").select("new.member@council.gov.uk")
    at.button[1].click().run()
    assert role_store.assignments(testshire) == {}
    with testshire.connect() as conn:
        details = conn.execute(select(s.audit_log.c.detail).where(s.audit_log.c.action == "role")
                               .order_by(s.audit_log.c.id)).scalars().all()
    assert details == ["new.member@council.gov.uk: none -> officer",
                       "new.member@council.gov.uk: officer -> none"]


def test_an_unverified_address_is_no_administrator(app, testshire: Engine,  # noqa: ANN001
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_ADMINS", "adam@council.example")
    at = app(user=signed_in("Adam@Council.Example", email_verified=False), **QUARTER)
    caption = " ".join(c.value for c in at.sidebar.caption)
    assert "· public" in caption and "did not confirm your e-mail address" in caption
    at = app(user=signed_in("Adam@Council.Example"), **QUARTER)  # verified, in another case
    assert "· admin" in " ".join(c.value for c in at.sidebar.caption)


def test_a_sign_in_from_before_sign_out_opens_nothing(app, testshire: Engine) -> None:  # noqa: ANN001
    give_roles(testshire)
    issued = int(time.time()) - 60
    old = signed_in("vic@council.gov.uk", iss="https://id.example", sub="vic", iat=issued)
    at = app(user=old, **QUARTER)
    assert "· viewer" in " ".join(c.value for c in at.sidebar.caption)
    sessions.record_sign_out(testshire, old)  # what the Sign out button records
    at = app(user=old, **QUARTER)  # the same cookie, in this or any other browser
    assert "Signed in as" not in " ".join(c.value for c in at.sidebar.caption)
    assert any("this sign-in has ended" in i.value for i in at.info)
    assert [b.label for b in at.sidebar.button] == ["Sign in"]
    fresh = {**old, "iat": int(time.time()) + 1}  # signing in again issues a newer token
    at = app(user=fresh, **QUARTER)
    assert "· viewer" in " ".join(c.value for c in at.sidebar.caption)


def test_a_programme_with_no_council_works_on_its_own(app, testshire: Engine) -> None:  # noqa: ANN001
    """No council set up: no council picker, no council pages, every programme page as before."""
    at = app(**QUARTER)
    assert [s.label for s in at.selectbox][:1] == ["Programme"]
    assert not opens(app, "council_overview", None)
    assert opens(app, "finance", None)


def test_council_files_check_the_role_on_the_server(engine: Engine, db_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A viewer may load no council file; an officer CQC's files but not the councils file,
    which sets councils up: that is an administrator's."""
    from data_loaders import confirm_council_upload
    from tests.loaders.test_cqc import NOV, directory

    monkeypatch.setenv("DATABASE_URL", db_url)
    viewer = User(name="Vic", email="vic@council.gov.uk", role=Role.VIEWER, signed_in=True)
    officer = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER, signed_in=True)
    with pytest.raises(PermissionDenied):
        confirm_council_upload(NOV, directory(), None, viewer)
    assert confirm_council_upload(NOV, directory(), None, officer).ok
    councils = b"Council,Kind,Comparators,Programmes\nTestshire,Local authority,Otherside,\n"
    with pytest.raises(PermissionDenied):
        confirm_council_upload("councils.csv", councils, None, officer)
    assert confirm_council_upload("councils.csv", councils, None, ADMIN).ok
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(s.councils)).scalar() == 1
