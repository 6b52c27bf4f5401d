"""The Care at home page through AppTest on the built-in sample: East Lothian's care at home in
August 2016 (the Integration Joint Board's paper of October 2016)."""

from __future__ import annotations

from dashboard.access.roles import Role
from dashboard.ui.navigation import offered
from tests.pages.conftest import as_read, frames

EAST_LOTHIAN = {"council": "East Lothian", "programme": "East Lothian care at home", "grain": "Month",
                "period_month": "Aug 2016"}


def test_the_page_reproduces_the_paper(sample_app) -> None:  # noqa: ANN001
    at = sample_app("care_at_home", **EAST_LOTHIAN)
    assert [t.value for t in at.title] == ["Care at home"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Care hours commissioned a week"] == "21,388"
    providers = next(f for f in frames(at) if "Quality" in f.columns)
    assert (providers["Framework"] == "Help to Live at Home").sum() == 8
    assert (providers["Framework"] == "Specialist").sum() == 8
    words = as_read("\n".join(m.value for m in at.markdown))
    assert "Below the new framework's entry rule" in words and "Dunbar Coastal Care" in words


def test_a_care_programme_opens_its_own_pages() -> None:
    shown = {spec.title for spec in offered(Role.OFFICER, True, True, "care")}
    assert {"Care at home", "Meetings", "Actions", "Papers", "Returns", "Import log"} <= shown
    assert not shown & {"Board summary", "Savings tracker", "Trends"}


def test_every_page_of_a_care_or_savings_programme_opens(sample_app) -> None:  # noqa: ANN001
    """Meetings, actions, papers, returns and the import log serve every family of programme."""
    for page in ("meetings", "actions", "papers", "returns", "import_log"):
        for view in (EAST_LOTHIAN, {"council": "Leicestershire", "programme": "Target Operating Model"}):
            at = sample_app(page, **view)
            assert at.title, (page, view)
