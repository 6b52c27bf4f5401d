"""The built-in sample data loads cleanly and matches the published figures it is calibrated to.

Sources (see sample_data/README.md): Leicestershire Adults and Communities Scrutiny Committee,
November 2019 (Lightbulb update); Warwickshire HEART business case, May 2016.
"""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.figures.periods import parse_period, period_range
from dashboard.figures.vocabulary import theme_kpi_id
from dashboard.queries.dfg import spend_by_year
from dashboard.queries.kpi_values import compute_kpis, kpi_table
from data_loaders import seed


def seed_cleanly(engine: Engine) -> None:
    results = seed(engine, council_files=False)
    assert all(not r.warnings for r in results), [r.warnings for r in results if r.warnings]


@pytest.fixture
def sample(filled, monkeypatch: pytest.MonkeyPatch, db_url: str) -> Engine:  # noqa: ANN001
    monkeypatch.setenv("DATABASE_URL", db_url)
    return filled("sample_programmes", seed_cleanly)


def values(engine: Engine, programme: str, period: str, kpi: str, **options: object) -> dict:
    table = kpi_table(engine, programme, parse_period(period), kpi_ids=[kpi], by_district=True,
                      **options)
    return {(c if isinstance(c, str) else None): v for c, v in zip(table["code"], table["value"],
                                                                   strict=True)}


def test_lightbulb_figures(sample: Engine) -> None:
    # About 5,449 HSC cases completed from October 2017 to autumn 2019 (para 7).
    months = period_range(parse_period("2017-10"), parse_period("2019-09"))
    hsc = compute_kpis(sample, "Lightbulb", months, kpi_ids=["cases_completed"], worker_role="HSC")
    assert hsc["value"].sum() == pytest.approx(5449, rel=0.01)
    # Average delivery falling from about 36 days towards 28 (para 8).
    first = values(sample, "Lightbulb", "2017/18-Q3", "avg_days_to_complete")[None]
    later = values(sample, "Lightbulb", "2019/20-Q1", "avg_days_to_complete")[None]
    assert 34 <= first <= 39 and 26.5 <= later <= 29.5
    # 20-week DFG target: 2 of 7 districts by Q4 2018/19, all 7 by Q1 2019/20 (para 11).
    q4 = values(sample, "Lightbulb", "2018/19-Q4", "dfg_days_application_to_completion")
    q1 = values(sample, "Lightbulb", "2019/20-Q1", "dfg_days_application_to_completion")
    assert sorted(c for c, v in q4.items() if c and v <= 140) == ["BLA", "CHA"]
    assert all(v <= 140 for c, v in q1.items() if c) and len(q1) == 8


def test_lightbulb_spend_changes(sample: Engine) -> None:
    # Change in DFG spend 2017/18 to 2018/19 by district (paras 22-23).
    published = {"Blaby": -4, "Harborough": 18, "Charnwood": 32, "Melton": 35,
                 "North West Leicestershire": 50, "Hinckley & Bosworth": 28, "Oadby & Wigston": -69}
    spend = spend_by_year.__wrapped__(sample, "Lightbulb")
    changes = spend[spend["financial_year"] == "2018/19"].set_index("district")["change_pct"]
    for district, change in published.items():
        assert changes[district] == pytest.approx(change, abs=0.5), district
    # Oadby & Wigston's Q1 2019/20 spend already exceeds its whole 2018/19 spend (para 23).
    quarter = compute_kpis(sample, "Lightbulb", [parse_period("2019/20-Q1")],
                           kpi_ids=["dfg_spend_vs_allocation"], districts=["OAW"])
    year = spend.set_index(["district", "financial_year"])
    q1_spend = quarter["value"].iloc[0] / 100 * year.loc[("Oadby & Wigston", "2019/20"), "allocation"]
    assert q1_spend > year.loc[("Oadby & Wigston", "2018/19"), "spend"]


def test_heart_figures(sample: Engine) -> None:
    # Table 3: satisfaction theme means 2014/15 and 2015/16.
    published = {
        "2014/15": {"Respect and Dignity": 91.62, "Communication": 95.25, "Responsiveness": 96.50,
                    "Reliability": 98.75, "Contractors": 93.25, "Overall Experience": 96.25},
        "2015/16": {"Respect and Dignity": 98.4, "Communication": 97.3, "Responsiveness": 96.5,
                    "Reliability": 98.7, "Contractors": 94.3, "Overall Experience": 97.9},
    }
    for year, themes in published.items():
        for theme, percent in themes.items():
            got = values(sample, "HEART", year, theme_kpi_id(theme))[None]
            assert got == pytest.approx(percent, abs=0.3), (year, theme)
    # Table 15: average DFG cost, North and South teams.
    for year, north, south in (("2014/15", 6102, 7674), ("2015/16", 6085, 7389)):
        for team, expected in (("North", north), ("South", south)):
            codes = ["NAB", "NWA", "RUG"] if team == "North" else ["SOA", "WAR"]
            table = kpi_table(sample, "HEART", parse_period(year), kpi_ids=["dfg_average_cost"],
                              districts=codes)
            got = table[table["district_id"].isna()]["value"].iloc[0]
            assert got == pytest.approx(expected, abs=50), (year, team)
    # Section 8: capital 2016/17 and each council's share.
    spend = spend_by_year.__wrapped__(sample, "HEART")
    capital = spend[spend["financial_year"] == "2016/17"].set_index("district")["allocation"]
    # The paper's five council totals add to £3,168,260; its printed total, £3,168,259, is rounded.
    assert capital.to_dict() == {"Nuneaton & Bedworth": 1_060_012, "North Warwickshire": 423_766,
                                 "Rugby": 459_205, "Stratford-on-Avon": 517_732, "Warwick": 707_545}
    shares = (100 * capital / capital.sum()).round()
    assert shares.to_dict() == {"North Warwickshire": 13, "Nuneaton & Bedworth": 33, "Rugby": 14,
                                "Stratford-on-Avon": 16, "Warwick": 22}


def test_lightbulb_allocation_2019_20(sample: Engine) -> None:
    spend = spend_by_year.__wrapped__(sample, "Lightbulb")
    grants = pd.read_csv("sample_data/Lightbulb/allocations.csv")
    assert grants[grants["financial_year"] == "2019/20"]["dfg_capital_grant"].sum() == 3_919_000
    assert set(spend["financial_year"]) == {"2017/18", "2018/19", "2019/20"}
