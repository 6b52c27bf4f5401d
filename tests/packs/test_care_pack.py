"""A care-at-home programme's board and scrutiny packs rendered to PDF and read back: the KPIs as
the page gives them, the providers below the entry rule, commentary in the board pack only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from dashboard.meetings.commentary import write_commentary
from dashboard.meetings.meetings import create_meeting
from dashboard.packs.make import build_pack, pack_pdf
from tests.meetings.cycle import OFFICER
from tests.packs.chromium import require_chromium
from tests.packs.test_packs import _flat, _text
from tests.queries.test_care_kpis import PROGRAMME, load_care

pytest.importorskip("pypdf", reason="pypdf reads packs back: pip install -r requirements-dev.txt")
REASON = "Two providers lost staff over the summer."


def test_the_board_and_scrutiny_packs_of_care_at_home(engine: Engine) -> None:
    require_chromium()
    load_care(engine)
    meeting = create_meeting(OFFICER, PROGRAMME, date(2016, 9, 15), "board", "2016-08",
                             "Care Board, 15 Sep 2016", engine=engine)
    write_commentary(OFFICER, PROGRAMME, "care_hours_delivered_pct", None, "2016-08", REASON, engine=engine)
    board = _flat(_text(pack_pdf(build_pack("board", PROGRAMME, meeting_id=meeting, engine=engine))))
    for heading in ("What has changed since the last meeting", "Hours, waiting and cost", "Providers",
                    "Actions"):
        assert heading in board
    # worked by hand in tests/queries/test_care_kpis.py
    assert "Care hours commissioned a week: 300" in board and "Cost per hour delivered: £10.00" in board
    assert "People waiting for care at home: 2" in board and REASON in board
    assert ("Below the new framework's entry rule (grade 3 or more at the last two inspections): "
            "Zeta Care") in board
    public = _flat(_text(pack_pdf(build_pack("scrutiny", PROGRAMME, "2016-08", engine=engine,
                                             today=date(2016, 9, 1)))))
    assert "Hours delivered of those commissioned: 91.0%" in public and REASON not in public
