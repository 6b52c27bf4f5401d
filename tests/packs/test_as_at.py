"""A pack is as at its period: with data loaded well past 2019/20 Q1, the Q1 scrutiny pack holds
nothing from after 30 June 2019, and each of its figures is the KPI layer's for the same period.

Worked by hand from the Testshire fixture (tests/fixtures/kpis): in April-June 2019 cases C1 (10
days), C2 (46) and C4 (30) were completed, 86 / 3 = 28.7 days (C3, closed 1 July, would make it
24.3); grants D1 (140 days from valid application), D3 (141) and D4 (70), 351 / 3 = 117.0 days (D2,
completed in August, would make it 123.5); DFG spend to 30 June: £6,000 + £8,000.50 + £4,000 =
£18,000.50 (with D2's £5,000 the year is £23,000.50) against the year's £37,000.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures.format import format_value
from dashboard.figures.periods import parse_period
from dashboard.packs.make import build_pack
from dashboard.queries.published import public_kpis
from tests.queries.conftest import testshire  # noqa: F401 - fixture used below

PERIOD = "2019/20-Q1"


def _table(pack, title_start: str) -> pd.DataFrame:  # noqa: ANN001 - a Pack
    (table,) = [t for t in pack.tables if t.title.startswith(title_start)]
    return pd.DataFrame(table.rows, columns=table.columns)


def test_the_year_to_date_ends_at_the_period(testshire: Engine) -> None:  # noqa: F811
    pack = build_pack("scrutiny", "Testshire", PERIOD, engine=testshire, today=date(2020, 6, 1))
    before = _table(pack, "Since the service began").set_index("Measure")
    assert list(before.columns) == ["2018/19", "2019/20 (to date)"]  # C4 was referred in March 2019
    assert before.loc["Average days to complete a case", "2019/20 (to date)"] == "28.7 days"
    assert before.loc["DFG: valid application to completion", "2019/20 (to date)"] == "117.0 days"
    money = _table(pack, "Disabled Facilities Grant spend").set_index("Financial year")
    assert money.loc["2019/20", "Spend on completed grants"] == "£18,000"  # £18,000.50, whole pounds
    assert money.loc["2019/20", "Allocation"] == "£37,000"
    assert money.loc["2019/20", "Spend as % of allocation"] == "48.6%"  # 48.65, held as 48.6499…


def test_every_figure_is_the_kpi_layers_for_the_period(testshire: Engine) -> None:  # noqa: F811
    pack = build_pack("scrutiny", "Testshire", PERIOD, engine=testshire, today=date(2020, 6, 1))
    layer = public_kpis(testshire, "Testshire", [parse_period(PERIOD)], by_district=True)
    programme = layer[layer["district"].isna()].set_index("name")
    expected = {name: format_value(row["value"], row["unit"], bool(row["suppressed"]))
                for name, row in programme.iterrows()}
    success = _table(pack, "What success looks like").set_index("Measure")
    for measure, shown in success["2019/20 Q1"].items():
        assert shown == expected[measure], measure
    before = _table(pack, "Since the service began").set_index("Measure")
    for measure, shown in before["2019/20 (to date)"].items():  # Q1 is the year to date
        assert shown == expected[measure], measure
    districts = _table(pack, "Districts in").set_index("District")
    by_district = layer[layer["district"].notna()].set_index(["district", "name"])
    for (district, measure), row in by_district.iterrows():
        if measure in districts.columns:
            shown = format_value(row["value"], row["unit"], bool(row["suppressed"]))
            assert districts.loc[district, measure].startswith(shown), (district, measure)


def test_a_month_part_way_through_a_quarter_brings_in_none_of_the_rest(testshire: Engine) -> None:  # noqa: F811
    # May 2019: April and May only. C1 (10 days) and C4 (30) closed by then; C2 closed 30 June.
    pack = build_pack("scrutiny", "Testshire", "2019-05", engine=testshire, today=date(2020, 6, 1))
    before = _table(pack, "Since the service began").set_index("Measure")
    assert before.loc["Average days to complete a case", "2019/20 (to date)"] == "20.0 days"
    money = _table(pack, "Disabled Facilities Grant spend").set_index("Financial year")
    assert money.loc["2019/20", "Spend on completed grants"] == "£4,000"  # D4 on 10 May
