"""The board pack's finance is the page's: net of income so the figures add up, income on its own
line, and the lines in the same order (largest adverse variance first). Worked by hand from the
Testshire fixture in tests/pages/test_finance.py."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from dashboard.packs.make import build_pack
from tests.queries.conftest import testshire  # noqa: F401 - fixture used below


def test_the_pack_position_adds_up_and_reads_adverse_first(testshire: Engine) -> None:  # noqa: F811
    pack = build_pack("board", "Testshire", "2019/20-Q1", engine=testshire, today=date(2019, 7, 10))
    (totals,) = [t for t in pack.tables if t.title == "Financial position to date, net of income"]
    row = totals.frame.iloc[0]
    assert (row["Net budget to date"], row["Net actual to date"]) == (3500, 3900)
    assert row["Variance (actual − budget, adverse +)"] == 3900 - 3500
    assert totals.caption == ("Income to date: £400 received against £500 budgeted (a shortfall: "
                              "variance £100).")
    (lines,) = [t for t in pack.tables if t.title == "Variances by partner and cost line"]
    frame = pd.DataFrame(lines.frame)
    assert frame["Cost line"].tolist() == ["Running costs", "Fee income", "Staffing"]  # +300, +100, 0
    assert frame["Variance"].is_monotonic_decreasing
