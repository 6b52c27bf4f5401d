"""Pages run through Streamlit's AppTest from the real entry file, on a real database."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.db.engine import get_engine, reset_engines
from dashboard.figures.safe_text import WORD_JOINER
from data_loaders import seed
from tests.queries.conftest import testshire  # noqa: F401 - re-exported fixture

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")
Runner = Callable[..., AppTest]
# Sign-in configured as a council would (never read from a real secrets.toml); the identity
# provider is not contacted: AppTest hands the page the claims a signed cookie would carry.
TEST_AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
             "client_id": "dashboard", "client_secret": "secret",
             "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
VISITOR = {"is_logged_in": False}


def signed_in(email: str, **claims: object) -> dict:
    """The ``st.user`` of someone signed in through the identity provider, which vouches for the
    address unless ``email_verified`` says otherwise."""
    return {"is_logged_in": True, "email": email, "email_verified": True,
            "name": email.split("@")[0], **claims}


def _runner(monkeypatch: pytest.MonkeyPatch, url: str) -> Runner:
    monkeypatch.setenv("DATABASE_URL", url)

    def run(page: str | None = None, user: dict | None = None, **params: str) -> AppTest:
        """Open the app with these URL query parameters, then switch to ``page`` if given.

        ``user``: sign-in is configured and this is ``st.user``; None: local mode.
        """
        at = AppTest.from_file(ENTRY, default_timeout=60)
        if user is not None:
            at.secrets["auth"] = TEST_AUTH
            at.user = user
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(f"dashboard/pages/{page}.py")
            at.run()
        no_exceptions(at)
        return at

    return run


def open_tab(at: AppTest, label: str, key: str = "returns_tab") -> AppTest:
    """The user picks a tab: the page reruns with only that tab's content (tabs keyed ``key``)."""
    at.session_state[key] = label
    return at.run()


@pytest.fixture
def app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Runner:
    """The app on the (empty or fixture-loaded) test database of each backend."""
    return _runner(monkeypatch, db_url)


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database holding the built-in sample data, seeded once for all page tests."""
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.sqlite'}"
    seed(get_engine(url))
    return url


@pytest.fixture
def sample_app(sample_url: str, monkeypatch: pytest.MonkeyPatch) -> Runner:
    reset_engines()
    st.cache_data.clear()
    return _runner(monkeypatch, sample_url)


@pytest.fixture
def sample_engine(sample_url: str) -> Engine:
    return get_engine(sample_url)


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def as_read(markdown: str) -> str:
    """The words a reader sees of Markdown whose free text went through ``md_text``: backslash
    escapes resolved, word joiners gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace(WORD_JOINER, "")


def captions(at: AppTest) -> str:
    """Every caption on the page, as read."""
    return as_read("\n".join(c.value for c in at.caption))


def frames(at: AppTest) -> list:
    """Every table on the page, as DataFrames."""
    return [d.value for d in at.dataframe]
