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


def test_the_board_pack_carries_every_kpi(testshire: Engine) -> None:  # noqa: F811
    from dashboard.figures.format import format_value
    from dashboard.figures.periods import parse_period
    from dashboard.queries.kpi_values import kpi_table
    from dashboard.queries.registry import KPIS

    pack = build_pack("board", "Testshire", "2019/20-Q1", engine=testshire, today=date(2019, 7, 10))
    (table,) = [t for t in pack.tables if t.title == "Every KPI for the period"]
    shown = table.frame.set_index("KPI")
    assert list(shown.index) == [k.name for k in KPIS]  # DFG end-to-end time and every theme too
    layer = kpi_table(testshire, "Testshire", parse_period("2019/20-Q1")).set_index("name")
    for name, row in shown.iterrows():
        assert row["This period"] == format_value(layer.loc[name, "value"], layer.loc[name, "unit"]), name
    # DFG end-to-end time by hand: D1 (1 Jan - 21 Jun, 171 days), D3 (10 Jan - 22 Jun, 163), D4
    # (1 Feb - 10 May, 98), D8 (1 Mar - 20 Jun, 111): 543 / 4 = 135.8 days.
    assert shown.loc["DFG end-to-end time", "This period"] == "135.8 days"
