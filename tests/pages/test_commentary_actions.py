"""The meeting cycle on the pages: comments (escaped), accepted drafts, and the action log."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from dashboard.access import role_store
from dashboard.access.roles import Role, User
from dashboard.db import schema as s
from dashboard.figures.safe_text import md_text
from dashboard.meetings.commentary import write_commentary
from tests.pages.conftest import as_read, no_exceptions, signed_in

Q2 = {"programme": "Testshire", "grain": "Quarter", "period_quarter": "2019/20 Q2"}
HOSTILE = "[x](http://evil.example) <b>bold</b>"


def _click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    no_exceptions(at)
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _commentary(engine: Engine) -> list[tuple]:
    c = s.commentary.c
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(c.kpi, c.area, c.version, c.reason, c.author,
                                                      c.drafted).order_by(c.id))]


def test_a_comment_on_trends_is_escaped_and_versioned(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("trends", **Q2)
    assert "No commentary yet" in _markdown(at)
    at.text_area(key="trends_comment_reason").input(HOSTILE)
    at.text_area(key="trends_comment_action").input("Chase <i>partners</i>")
    _click(at, "Save comment")
    shown = _markdown(at)
    assert md_text(HOSTILE) in shown and "](http" not in shown and "<b>" not in shown
    assert HOSTILE in as_read(shown) and "Chase <i>partners</i>" in as_read(shown)
    at.text_area(key="trends_comment_reason").input("Second thoughts")
    _click(at, "Save comment")
    assert "Second thoughts" in _markdown(at)
    assert at.dataframe[-1].value["version"].tolist() == [2, 1]  # every version, newest first
    assert [(r[0], r[1], r[2], r[3]) for r in _commentary(testshire)] == [
        ("avg_days_to_complete", 0, 1, HOSTILE), ("avg_days_to_complete", 0, 2, "Second thoughts")]


def test_accepting_a_draft_writes_it_as_the_officer(app, testshire: Engine) -> None:  # noqa: ANN001
    summary = app(**Q2)  # the board summary: figures first, the drafts a link away
    assert "Making Data Count summary" in [h.value for h in summary.subheader]
    assert not summary.text_area
    links = [link.label for link in summary.get("page_link")]
    assert any(label.endswith("waiting for review on the Meetings page") for label in links), links
    at = app("meetings", **Q2)
    first = "DFG: valid application to completion worsened from 117.0 days to 143.0 days"
    draft = at.text_area(key="draft_dfg_days_application_to_completion_programme_text")
    assert draft.value.startswith(first) and draft.label == "Draft for DFG: valid application to completion"
    assert "**DFG: valid application to completion** · whole programme" in as_read(_markdown(at))
    _click(at, "Accept")
    kpi, area, version, reason, author, drafted = _commentary(testshire)[0]
    assert (kpi, area, version, drafted) == ("dfg_days_application_to_completion", 0, 1, True)
    assert reason.startswith(first) and author.startswith("Local administrator")
    # The accepted draft is now the tile's commentary, and is no longer offered.
    assert not any(t.key == "draft_dfg_days_application_to_completion_programme_text" for t in at.text_area)
    assert "(accepted from the draft)" in _markdown(app(**Q2))
    _click(at, "Discard")
    assert len(_commentary(testshire)) == 1


def test_add_an_action_see_it_overdue_then_mark_it_done(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("actions", **Q2)
    assert any("No actions match" in i.value for i in at.info)
    at.text_area(key="new_action_text").input("Chase Beta's DFG return")
    at.text_input(key="new_action_owner").input("Ann Owner")
    at.date_input(key="new_action_due").set_value(date(2019, 6, 30))
    _click(at, "Add action")
    log = at.dataframe[0].value
    assert log["Status"].tolist() == ["⚠ Overdue"] and log["Owner"].tolist() == ["Ann Owner"]
    assert log["Due"].tolist() == ["30 June 2019"]

    board = app(**Q2)
    assert {m.label: m.value for m in board.metric if "actions" in m.label} == {
        "Open actions": "1", "⚠ Overdue actions": "1"}

    _click(at, "Mark done")
    assert at.dataframe[0].value["Status"].tolist() == ["✔ Done"]
    at.selectbox(key="action_status").set_value("overdue").run()
    assert any("No actions match" in i.value for i in at.info)
    assert "No open actions." in _markdown(app(**Q2))


def test_a_viewer_reads_but_cannot_write(app, testshire: Engine) -> None:  # noqa: ANN001
    admin = User(name="Ada", email="ada@council.gov.uk", role=Role.ADMIN, signed_in=True)
    role_store.assign_role(admin, "vic@council.gov.uk", Role.VIEWER, engine=testshire)
    viewer = signed_in("vic@council.gov.uk")
    board = app(user=viewer, **Q2)
    assert "Draft commentary" not in [h.value for h in board.subheader] and not board.text_area
    actions = app("actions", user=viewer, **Q2)
    assert not actions.text_area and not any(b.label == "Add action" for b in actions.button)
    trends = app("trends", user=viewer, **Q2)
    assert not any(b.label == "Save comment" for b in trends.button)


def test_a_district_comment_on_district_comparison(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("district_comparison", **Q2)
    at.selectbox(key="districts_comment_kpi").set_value("Open cases")
    at.selectbox(key="districts_comment_area").set_value("Beta")
    at.text_area(key="districts_comment_reason").input("Beta's backlog")
    _click(at, "Save comment")
    assert "**Open cases — Beta**" in _markdown(at) and "Beta's backlog" in as_read(_markdown(at))
    beta = next(r for r in _commentary(testshire))
    assert beta[:4] == ("open_cases", 2, 1, "Beta's backlog")


def test_tiles_show_the_shown_area_s_comment(app, testshire: Engine) -> None:  # noqa: ANN001
    officer = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER, signed_in=True)
    write_commentary(officer, "Testshire", "open_cases", "Beta", "2019/20-Q2", "Beta's own reason",
                     engine=testshire)
    write_commentary(officer, "Testshire", "open_cases", None, "2019/20-Q2", "Programme reason",
                     engine=testshire)
    beta = as_read(_markdown(app(**Q2, district="Beta")))
    assert "Beta's own reason" in beta and "Programme reason" not in beta
    assert "Programme reason" in as_read(_markdown(app(**Q2)))


def test_a_draft_accepted_for_a_meeting_belongs_to_it(app, testshire: Engine) -> None:  # noqa: ANN001
    from datetime import date

    from dashboard.access.roles import Role, User
    from dashboard.meetings.commentary import commentary_history, meeting_commentary, write_commentary
    from dashboard.meetings.meetings import create_meeting, issue_meeting

    officer = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER)
    meeting = create_meeting(officer, "Testshire", date(2019, 10, 9), "board", "2019/20-Q2",
                             "Board October", engine=testshire)
    at = app("meetings", **Q2)
    assert at.selectbox(key="meeting_choice").value.endswith("Board October (draft)")
    assert "None yet." in _markdown(at)
    _click(at, "Accept")
    written = meeting_commentary(meeting, engine=testshire)
    assert written["kpi"].tolist() == ["dfg_days_application_to_completion"]
    assert "Commentary written for this meeting" in _markdown(at) and "None yet." not in _markdown(at)
    history = commentary_history("Testshire", "dfg_days_application_to_completion", None,
                                 "2019/20-Q2", engine=testshire)
    assert len(history) == 1  # it still shows against the KPI's history
    issue_meeting(officer, meeting, testshire)
    with pytest.raises(ValueError, match="has been issued"):
        write_commentary(officer, "Testshire", "avg_days_to_complete", None, "2019/20-Q2",
                         "Late word", engine=testshire, meeting_id=meeting)
