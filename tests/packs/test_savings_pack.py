"""A savings programme's board and scrutiny packs, rendered to PDF and read back: the plan's
summary as the page gives it, the guarantee, the workstreams with their status, commentary and
actions in the board pack only, and no owner or note in the public one."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from dashboard.meetings.actions import add_action
from dashboard.meetings.commentary import write_commentary
from dashboard.meetings.meetings import create_meeting
from dashboard.packs.make import build_pack, pack_pdf, pack_workbook
from tests.loaders.test_savings_returns import load_sample
from tests.meetings.cycle import OFFICER
from tests.packs.chromium import require_chromium
from tests.packs.test_packs import _flat, _text

pytest.importorskip("pypdf", reason="pypdf reads packs back: pip install -r requirements-dev.txt")
REASON = "Two care homes joined later than planned."


def test_the_board_pack_of_a_savings_programme(engine: Engine) -> None:
    require_chromium()
    load_sample(engine)
    meeting = create_meeting(OFFICER, "Small savings", date(2019, 10, 10), "board", "2019/20-Q2",
                             "Savings Board, 10 October 2019", engine=engine)
    write_commentary(OFFICER, "Small savings", "savings:A1", None, "2019/20-Q2", REASON, engine=engine)
    add_action(OFFICER, "Small savings", "Agree a recovery plan for Q1", "Head of Working Age Adults",
               date(2019, 11, 30), kpi="savings:Q1", meeting_id=meeting, engine=engine)
    pack = build_pack("board", "Small savings", meeting_id=meeting, engine=engine)
    text = _flat(_text(pack_pdf(pack)))
    for heading in ("What has changed since the last meeting", "Savings against the plan", "Workstreams",
                    "Actions", "Appendix: how the figures are worked out"):
        assert heading in text
    # worked by hand in tests/queries/test_savings_tracker.py
    assert "Net cashable and demand offset £90,000 £210,000" in text
    assert "Savings delivered to date: £42,000" in text
    assert ("Recurrent benefit, lower estimate: £170,000 a year, above the guarantee threshold of "
            "£150,000.") in text
    assert "A1 Reablement Cashable £100,000 £200,000 £25,000 £30,000 £55,000 On track" in text
    assert REASON in text and "Agree a recovery plan for Q1" in text
    sheets = pack_workbook(pack)
    assert sheets[:2] == b"PK"  # a workbook of the pack's tables


def test_the_scrutiny_pack_leaves_owners_and_notes_out(engine: Engine) -> None:
    require_chromium()
    load_sample(engine)
    text = _flat(_text(pack_pdf(build_pack("scrutiny", "Small savings", "2019/20-Q2", engine=engine,
                                           today=date(2019, 10, 1)))))
    assert "What does success look like, and where does it stand?" in text
    assert "Overall benefit £120,000 £260,000" in text
    assert "Head of Older Adults" not in text and "Two care homes later" not in text
    assert "Commentary" not in text and "What has changed since the last meeting" not in text
