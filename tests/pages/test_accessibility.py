"""The accessibility statement: open to everyone, in the published form, listing exactly the known
failures in Streamlit's markup with their upstream issues, and the council's contact when set."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.ui.accessibility import STREAMLIT_ISSUES
from tests.pages.conftest import VISITOR, as_read


def test_a_visitor_reads_the_statement(app, testshire: Engine, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("DASHBOARD_ACCESSIBILITY_CONTACT", "access@council.example")
    at = app("accessibility", user=VISITOR, programme="Testshire")
    assert [t.value for t in at.title] == ["Accessibility statement"]
    headings = [h.value for h in at.subheader]
    for heading in ("How accessible this website is", "Non-accessible content",
                    "Feedback and contact information", "Enforcement procedure"):
        assert heading in headings
    text = as_read("\n".join(m.value for m in at.markdown))
    assert "partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2" in text
    for issue in STREAMLIT_ISSUES:
        assert issue.upstream in text and f"`{issue.rule}`" in text
    assert "access@council.example" in text
