"""The Papers page: the packs offered by role, making a PDF on request, and issuing a meeting with
its papers kept (exact PDF and SHA-256)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import Engine

from dashboard.access import role_store
from dashboard.access.roles import PermissionDenied, Role, User
from dashboard.meetings.meetings import create_meeting, issue_meeting, list_meetings
from dashboard.meetings.papers import keep_papers, kept_papers
from dashboard.packs.make import build_pack, files_for
from tests.packs.chromium import require_chromium
from tests.pages.conftest import VISITOR, Runner, as_read, signed_in

Q1 = {"programme": "Testshire", "grain": "Quarter", "period_quarter": "2019/20 Q1"}
OFFICER = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER)


def _downloads(at) -> list[str]:  # noqa: ANN001 - an AppTest
    return [e.proto.label for e in at.get("download_button")]


def test_a_visitor_gets_only_the_scrutiny_pack(app: Runner, testshire: Engine) -> None:
    create_meeting(OFFICER, "Testshire", date(2019, 7, 10), "board", "2019/20-Q1", "Board July",
                   engine=testshire)
    at = app("papers", user=VISITOR, **Q1)
    assert at.radio(key="papers_kind").options == ["Scrutiny committee pack"]
    assert len(at.selectbox(key="papers_for").options) == 1  # the period only, no meetings
    assert "papers_issue" not in [b.key for b in at.button]
    contents = as_read("\n".join(m.value for m in at.markdown))
    assert "What does success look like?" in contents


def test_a_visitor_downloads_published_papers_and_never_starts_a_pdf(app: Runner,
                                                                     testshire: Engine) -> None:
    at = app("papers", user=VISITOR, **Q1)
    assert "papers_make" not in [b.key for b in at.button]  # no PDF drawn for the public
    assert any("No scrutiny papers have been published" in i.value for i in at.info)
    meeting = create_meeting(OFFICER, "Testshire", date(2019, 9, 4), "scrutiny", "2019/20-Q1",
                             "Scrutiny September", engine=testshire)
    issue_meeting(OFFICER, meeting, testshire)
    keep_papers(OFFICER, meeting, "scrutiny", b"%PDF-1.7 as issued", 12, testshire)
    at = app("papers", user=VISITOR, **Q1)
    assert _downloads(at) == ["Download the PDF"]
    assert "papers_make" not in [b.key for b in at.button]
    assert "Scrutiny September" in as_read("\n".join(m.value for m in at.markdown))


def test_make_a_board_pack_then_issue_with_papers(app: Runner, testshire: Engine) -> None:
    require_chromium()
    meeting = create_meeting(OFFICER, "Testshire", date(2019, 7, 10), "board", "2019/20-Q1",
                             "Board July", engine=testshire)
    at = app("papers", **Q1)
    assert at.radio(key="papers_kind").options == ["Programme board pack", "Scrutiny committee pack"]
    at.selectbox(key="papers_for").select(meeting).run()
    at.button(key="papers_make").click().run()
    assert not at.exception and not at.error
    assert _downloads(at) == ["Download the PDF", "Download its tables (Excel)"]
    at.checkbox(key=f"papers_confirm_{meeting}").check().run()
    at.button(key="papers_issue").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list_meetings("Testshire", engine=testshire)["status"].tolist() == ["issued"]
    kept = kept_papers(meeting, engine=testshire)
    assert kept is not None and kept.pdf.startswith(b"%PDF-") and kept.pages > 1
    assert kept.sha256 == hashlib.sha256(kept.pdf).hexdigest()
    assert kept.made_by.startswith("Local administrator")
    assert any(c.value == kept.sha256 for c in at.code)
    assert "Download the issued papers" in _downloads(at)


def test_a_viewer_cannot_issue(app: Runner, testshire: Engine) -> None:
    admin = User(name="Ada", email="ada@council.gov.uk", role=Role.ADMIN)
    role_store.assign_role(admin, "vic@council.gov.uk", Role.VIEWER, engine=testshire)
    meeting = create_meeting(OFFICER, "Testshire", date(2019, 7, 10), "board", "2019/20-Q1",
                             "Board July", engine=testshire)
    at = app("papers", user=signed_in("vic@council.gov.uk"), **Q1)
    assert at.radio(key="papers_kind").options == ["Programme board pack", "Scrutiny committee pack"]
    at.selectbox(key="papers_for").select(meeting).run()
    assert "papers_issue" not in [b.key for b in at.button]


@pytest.mark.parametrize("kind", ["board", "scrutiny"])
def test_no_pdf_is_made_for_the_public_on_the_server(testshire: Engine, kind: str) -> None:
    pack = build_pack(kind, "Testshire", "2019/20-Q1", engine=testshire)
    with pytest.raises(PermissionDenied):
        files_for(User(name="Visitor", email=None, role=Role.PUBLIC), pack, engine=testshire)
