"""The Meetings page: create a meeting through the form, issue it behind a confirmation."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from dashboard.access import role_store
from dashboard.access.roles import Role, User
from dashboard.figures.style import rag_label
from dashboard.meetings.meetings import create_meeting, issue_meeting, list_meetings
from dashboard.meetings.papers import kept_papers
from dashboard.meetings.snapshots import snapshot_frame
from tests.packs.chromium import require_chromium
from tests.pages.conftest import Runner, as_read, signed_in


def _markdown(at) -> str:  # noqa: ANN001 - an AppTest
    return as_read("\n".join(m.value for m in at.markdown))


def test_create_and_issue_through_the_page(app: Runner, testshire: Engine) -> None:
    require_chromium()  # issuing makes and keeps the papers
    at = app("meetings", grain="Quarter", period_quarter="2019/20 Q1")
    at.text_input(key="meeting_title").input("Board July")
    at.text_input(key="meeting_period").input("2019/20-Q1")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception and not at.error, [e.value for e in at.error]
    meetings = list_meetings("Testshire", engine=testshire)
    assert meetings[["title", "period", "status"]].values.tolist() == [
        ["Board July", "2019/20-Q1", "draft"]]
    assert any("created as a draft" in s.value for s in at.success)
    assert "Nothing to compare with" in _markdown(at)
    issue = at.button(key="issue_meeting")
    assert issue.disabled  # not until the confirmation is ticked
    at.checkbox(key=f"confirm_issue_{meetings['id'][0]}").check().run()
    at.button(key="issue_meeting").click().run()
    assert not at.exception and not at.error
    assert any("its figures are frozen" in s.value for s in at.success)
    assert any(s.value.startswith("Issued ") for s in at.success)
    assert list_meetings("Testshire", engine=testshire)["status"].tolist() == ["issued"]
    assert not snapshot_frame(int(meetings["id"][0]), engine=testshire).empty
    kept = kept_papers(int(meetings["id"][0]), engine=testshire)  # the Papers page will offer them
    assert kept is not None and kept.pdf.startswith(b"%PDF-") and kept.pack == "board"
    assert any(f"papers kept ({kept.pages} pages" in s.value for s in at.success)
    assert "Headline figures as issued" in _markdown(at)
    statuses = set(at.dataframe[-1].value["Status"])
    assert statuses and statuses <= {rag_label(r) for r in ("green", "amber", "red", "grey")}
    assert "issue_meeting" not in [b.key for b in at.button]


def test_a_viewer_sees_the_list_read_only(app: Runner, testshire: Engine) -> None:
    admin = User(name="Ada", email="ada@council.gov.uk", role=Role.ADMIN)
    role_store.assign_role(admin, "vic@council.gov.uk", Role.VIEWER, engine=testshire)
    create_meeting(admin, "Testshire", date(2019, 7, 10), "board", "2019/20-Q1", "Board July",
                   engine=testshire)
    at = app("meetings", user=signed_in("vic@council.gov.uk"))
    assert not at.exception
    assert list_meetings("Testshire", engine=testshire)["title"].tolist() == ["Board July"]
    assert at.dataframe and "Board July" in at.dataframe[0].value["Title"].tolist()
    assert "meeting_title" not in [t.key for t in at.text_input]
    assert not [b for b in at.button if b.key == "issue_meeting"]


def test_the_newest_meeting_is_shown_and_what_changed_leads_with_the_programme(app: Runner,
                                                                                testshire: Engine) -> None:
    admin = User(name="Ada", email="ada@council.gov.uk", role=Role.ADMIN)
    create_meeting(admin, "Testshire", date(2019, 7, 10), "board", "2019/20-Q1", "Board July",
                   engine=testshire)
    issue_meeting(admin, int(list_meetings("Testshire", engine=testshire)["id"][0]), testshire)
    at = app("meetings", grain="Quarter", period_quarter="2019/20 Q2")
    assert at.selectbox(key="meeting_choice").value.endswith("Board July (issued)")
    at.text_input(key="meeting_title").input("Board October")
    at.text_input(key="meeting_period").input("2019/20-Q2")
    at.button[0].click().run()
    assert at.selectbox(key="meeting_choice").value.endswith("Board October (draft)")  # the newest
    text = _markdown(at)
    assert text.index("Whole programme") < text.index("Districts, by KPI")
