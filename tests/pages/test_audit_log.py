"""The audit trail page, run on its own (it is not in the navigation yet): the entry file's filters
are put in session state as the entry file would."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, text
from streamlit.testing.v1 import AppTest

from dashboard.access.audit import record_event
from dashboard.db.schema import programmes
from dashboard.figures.periods import parse_period
from dashboard.ui.filters import Filters
from tests.pages.conftest import captions, no_exceptions

PAGE = str(Path(__file__).resolve().parents[2] / "dashboard" / "pages" / "audit_log.py")


@pytest.fixture
def page(db_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", db_url)
    with engine.begin() as conn:
        conn.execute(insert(programmes).values(name="Lightbulb", created_at=datetime(2025, 1, 1)))
    record_event(engine, actor="ann@council.gov.uk", role="manager", action="load_return",
                 programme="Lightbulb", detail="**blaby-cases.csv** <b>412</b> rows")
    record_event(engine, actor="bob@council.gov.uk", role="admin", action="sign_in")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["filters"] = Filters("Lightbulb", parse_period("2019/20"), None)
    at.run()
    no_exceptions(at)
    return at


def test_entries_in_words_newest_first(page: AppTest) -> None:
    assert page.title[0].value == "Audit trail"
    shown = page.dataframe[0].value
    assert list(shown["Who"]) == ["bob@council.gov.uk", "ann@council.gov.uk"]
    assert list(shown["Action"]) == ["Signed in", "Loaded a return"]
    assert shown["Detail"].iloc[1] == "**blaby-cases.csv** <b>412</b> rows"  # as written, not rendered
    assert "2 entries shown, newest first" in captions(page)


def test_filter_by_person_and_action(page: AppTest) -> None:
    page.selectbox(key="audit_actor").select("ann@council.gov.uk").run()
    assert list(page.dataframe[0].value["Who"]) == ["ann@council.gov.uk"]
    page.selectbox(key="audit_actor").select("Everyone")
    page.selectbox(key="audit_action").select("Issued a meeting").run()
    no_exceptions(page)
    assert not page.dataframe and "No audit entries match" in page.info[0].value


def test_check_the_chain(page: AppTest, engine: Engine) -> None:
    page.button(key="audit_check").click().run()
    assert page.success[0].value.startswith("Audit trail intact: 2 rows")

    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_no_change ON audit_log"))
        conn.execute(text("DELETE FROM audit_log WHERE actor = 'ann@council.gov.uk'"))
    page.button(key="audit_check").click().run()
    no_exceptions(page)
    assert not page.success
    assert page.error[0].value.startswith("Audit trail broken at row 2: ")
