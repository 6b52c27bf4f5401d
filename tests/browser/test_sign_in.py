"""Signing in through ``st.login`` in a real browser, against an OpenID Connect provider the test
starts on loopback (tests/browser/oidc.py): what a visitor, a viewer (given a role by e-mail) and an
officer (given a role through a group claim) can open, and signing out.

Each person has a browser context of their own, so their cookies never mix.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select

from dashboard.access import Role
from dashboard.db.schema import audit_log
from tests.browser.conftest import _free_port, _unavailable, no_exception, screenshot, shown
from tests.browser.oidc import Person, give_roles, oidc_provider, streamlit_with_sign_in, write_auth_secrets

VIEWER = Person(sub="vic", email="vic@council.example", name="Vic Viewer")
OFFICER = Person(sub="olu", email="olu@council.example", name="Olu Officer",
                 groups=("Housing officers", "All staff"))
# An account whose address the provider does not vouch for, spelled like a configured administrator.
UNVERIFIED = Person(sub="adam", email="Adam@Council.Example", name="Adam Unverified",
                    email_verified=False)
ADMIN_ADDRESS = "adam@council.example"
COUNCIL_PAGES = ["Council overview", "Provider quality"]  # the sample sets councils up
PUBLIC_BOARD = ["Board summary", "Trends", "District comparison"]
PUBLIC_PAGES = [*COUNCIL_PAGES, *PUBLIC_BOARD, "Papers", "Case studies", "About the figures",
                "Accessibility statement"]
VIEWER_BOARD = ["Finance", "Meetings", "Actions"]  # after the board pages open to everyone
VIEWER_PAGES = ["Cases and customer journey", "Disabled Facilities Grants", "Satisfaction and feedback"]
OFFICER_PAGES = ["Returns", "Import log", "Data quality"]
NOT_LOOPBACK = re.compile(r"^(?!https?://127\.0\.0\.1[:/])")  # e.g. the provider page's CDN stylesheet
SIDEBAR = '[data-testid="stSidebar"]'
# The provider (oidc-provider-mock 0.3.4, in this process) still calls Authlib APIs that Authlib
# 1.9 deprecates; they work with the pinned Authlib. (Its imports are quietened in oidc.py.)
pytestmark = pytest.mark.filterwarnings(r"ignore:get_jwt_config\(self, grant\) is deprecated")


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    if importlib.util.find_spec("oidc_provider_mock") is None:
        _unavailable("oidc-provider-mock is not installed (pip install -r requirements-dev.txt)")
    with oidc_provider((VIEWER, OFFICER, UNVERIFIED)) as url:
        yield url


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A fresh SQLite file with the roles given, and no programme yet (the app seeds on first start)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sign-in') / 'dashboard.sqlite'}"
    give_roles(url, {VIEWER.email: Role.VIEWER, "group:Housing officers": Role.OFFICER})
    return url


@pytest.fixture(scope="module")
def app(browser, provider: str, database: str,  # noqa: ANN001 - browser first: no Chromium, no start
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    folder = tmp_path_factory.mktemp("sign-in-config")
    secrets_file = write_auth_secrets(folder / "secrets.toml", f"http://127.0.0.1:{port}", provider)
    # Streamlit's secrets.files option; the variable is split on whitespace like any list option.
    assert not re.search(r"\s", str(secrets_file)), f"no spaces allowed in {secrets_file}"
    env = {"DATABASE_URL": database, "STREAMLIT_SECRETS_FILES": str(secrets_file),
           "DASHBOARD_ADMINS": ADMIN_ADDRESS}
    with streamlit_with_sign_in(port, env, folder / "streamlit.log") as url:
        yield url


@pytest.fixture
def person(browser) -> Iterator[object]:  # noqa: ANN001
    """A browser context of one's own (cookies), allowed to reach loopback only."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.route(NOT_LOOPBACK, lambda route: route.abort())
    page = context.new_page()
    yield page
    context.close()


def drawn(page) -> None:  # noqa: ANN001
    """Wait until Streamlit has finished drawing the page (as conftest's ``open_page`` does)."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || document.querySelector('[data-testid=\"stStatusWidget\"]').innerText === ''",
        timeout=60_000)
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot').length"
        " >= document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length", timeout=60_000)
    page.wait_for_function(  # the tiles' sparklines: drawn a moment after the tiles themselves
        "() => [...document.querySelectorAll('[data-testid=\"stMetricChart\"]')]"
        ".every(chart => chart.querySelector('.mark-line path[d]'))", timeout=30_000)
    page.wait_for_timeout(500)


def picture(page, name: str) -> None:  # noqa: ANN001
    """A screenshot after a short pause, so the last paint of the page is in it."""
    page.wait_for_timeout(300)
    screenshot(page, name)


def visit(page, url: str) -> None:  # noqa: ANN001
    page.goto(url, wait_until="domcontentloaded")
    drawn(page)
    no_exception(page)


def navigation(page) -> list[str]:  # noqa: ANN001
    """The page links in the sidebar, after opening any "View N more"."""
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if more.count() and more.inner_text().startswith("View") and "more" in more.inner_text():
        more.click()
        page.wait_for_timeout(300)
    return page.locator('[data-testid="stSidebarNavLink"] span[label]').evaluate_all(
        "spans => spans.map(span => span.getAttribute('label'))")  # the title, not the icon's name


def sign_in(page, app: str, who: Person) -> None:  # noqa: ANN001
    """Click the sidebar's Sign in, choose ``who`` on the provider's page, land back signed in."""
    visit(page, app)
    page.locator(SIDEBAR).get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/oauth2/authorize\?"), timeout=30_000)
    assert "Authorize Client" in page.inner_text("h1")
    page.get_by_role("button", name=who.sub, exact=True).click()
    page.wait_for_url(re.compile(rf"^{re.escape(app)}/?(\?.*)?$"), timeout=30_000)
    drawn(page)
    page.locator(SIDEBAR).get_by_text("Signed in as").wait_for(timeout=30_000)
    no_exception(page)


def signed_in_caption(page) -> str:  # noqa: ANN001
    return page.locator(SIDEBAR).get_by_text("Signed in as").inner_text()


def not_permitted(page, app: str, path: str) -> str:  # noqa: ANN001
    """Open ``path`` by its address; the main area's text."""
    visit(page, f"{app}/{path}")
    return page.inner_text('[data-testid="stMainBlockContainer"]')


def test_visitor_sees_public_pages_only(app: str, person) -> None:  # noqa: ANN001
    page = person
    visit(page, app)
    shown(page.locator(SIDEBAR).get_by_role("button", name="Sign in"))
    assert "Public view" in page.inner_text(SIDEBAR)
    links = navigation(page)
    assert links == PUBLIC_PAGES
    picture(page, "signin-visitor")
    text = not_permitted(page, app, "returns")
    assert "Not permitted" in text and "public view does not include this page" in text, text
    shown(page.locator('[data-testid="stMain"]').get_by_role("button", name="Sign in"))
    picture(page, "signin-visitor-returns")
    assert "Returns" not in navigation(page)  # the stand-in page is hidden, never listed


def test_viewer_signs_in_by_email(app: str, person, database: str) -> None:  # noqa: ANN001
    page = person
    sign_in(page, app, VIEWER)
    caption = signed_in_caption(page)
    assert caption.startswith(f"Signed in as {VIEWER.name} · viewer"), caption
    links = navigation(page)
    assert "Finance" in links and "Returns" not in links, links
    expected = [*COUNCIL_PAGES, *PUBLIC_BOARD, *VIEWER_BOARD, "Papers", *VIEWER_PAGES, "Case studies",
                "About the figures", "Accessibility statement"]
    assert links == expected, links
    assert page.locator(SIDEBAR).get_by_role("button", name="Sign in").count() == 0
    picture(page, "signin-viewer")
    text = not_permitted(page, app, "returns")
    assert "Not permitted" in text and f"signed in as {VIEWER.name}, with the viewer role" in text, text
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    picture(page, "signin-viewer-returns")
    engine = create_engine(database)  # the sign-in is on the audit trail, with the role it gave
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(audit_log.c.actor, audit_log.c.role)
                                .where(audit_log.c.action == "sign_in")).all()
    finally:
        engine.dispose()
    assert (VIEWER.email, "viewer") in [tuple(row) for row in rows], rows


def test_officer_signs_in_through_a_group(app: str, person) -> None:  # noqa: ANN001
    page = person
    sign_in(page, app, OFFICER)
    caption = signed_in_caption(page)
    assert caption.startswith(f"Signed in as {OFFICER.name} · officer"), caption
    links = navigation(page)
    assert set(OFFICER_PAGES) <= set(links) and "Roles" not in links, links
    picture(page, "signin-officer")
    visit(page, f"{app}/returns?programme=Lightbulb")
    main = page.inner_text('[data-testid="stMainBlockContainer"]')
    assert "Not permitted" not in main, main
    # the return's uploader only: the council files' one is drawn when its tab is opened
    shown(page.locator('[data-testid="stFileUploader"]').first)
    assert "Return file (CSV or Excel .xlsx)" in page.inner_text('[data-testid="stFileUploader"]')
    picture(page, "signin-officer-returns")


def test_sign_out_returns_to_the_public_view(app: str, person) -> None:  # noqa: ANN001
    page = person
    sign_in(page, app, VIEWER)
    page.locator(SIDEBAR).get_by_role("button", name="Sign out").click()
    # The provider's end-session page (its end_session_endpoint), then back to the app.
    page.wait_for_url(re.compile(r"/oauth2/end_session\?"), timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(rf"^{re.escape(app)}/?(\?.*)?$"), timeout=30_000)
    drawn(page)
    no_exception(page)
    shown(page.locator(SIDEBAR).get_by_role("button", name="Sign in"))
    assert "Signed in as" not in page.inner_text(SIDEBAR)
    assert navigation(page) == PUBLIC_PAGES
    picture(page, "signin-signed-out")
    assert not [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    text = not_permitted(page, app, "finance")
    assert "Not permitted" in text and "public view does not include this page" in text, text



def test_an_unverified_address_gets_no_role(app: str, person) -> None:  # noqa: ANN001
    page = person
    sign_in(page, app, UNVERIFIED)  # DASHBOARD_ADMINS names this address, in lower case
    caption = signed_in_caption(page)
    assert caption.startswith(f"Signed in as {UNVERIFIED.name} · public"), caption
    assert "did not confirm your e-mail address" in page.inner_text(SIDEBAR)
    assert "Roles" not in navigation(page) and navigation(page) == PUBLIC_PAGES
    picture(page, "signin-unverified")


def test_a_copied_cookie_opens_nothing_after_sign_out(app: str, person, browser) -> None:  # noqa: ANN001
    page = person
    sign_in(page, app, VIEWER)
    copied = [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    assert copied, "sign-in should leave Streamlit's identity cookie"
    page.locator(SIDEBAR).get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/oauth2/end_session\?"), timeout=30_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(rf"^{re.escape(app)}/?(\?.*)?$"), timeout=30_000)
    drawn(page)
    other = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        other.route(NOT_LOOPBACK, lambda route: route.abort())
        other.add_cookies(copied)  # the cookie as it was before sign-out, in another browser
        thief = other.new_page()
        visit(thief, app)
        assert "Signed in as" not in thief.inner_text(SIDEBAR)
        shown(thief.locator(SIDEBAR).get_by_role("button", name="Sign in"))
        assert "this sign-in has ended" in thief.inner_text('[data-testid="stMain"]')
        text = not_permitted(thief, app, "finance")
        assert "Not permitted" in text, text
        picture(thief, "signin-copied-cookie")
    finally:
        other.close()
