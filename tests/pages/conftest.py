"""Pages run through Streamlit's AppTest from the real entry file, on a real database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.queries.conftest import testshire  # noqa: F401 - re-exported fixture

ENTRY = str(Path(__file__).resolve().parents[2] / "streamlit_app.py")


@pytest.fixture
def app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run the app on the test database with the given URL query parameters."""
    monkeypatch.setenv("DATABASE_URL", db_url)

    def run(page: str | None = None, **params: str) -> AppTest:
        at = AppTest.from_file(ENTRY, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        return at

    return run


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]

