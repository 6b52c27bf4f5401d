"""District comparison: the league table shows the KPI layer's figures; the funnel places them."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.figures.format import format_value
from dashboard.figures.periods import parse_period
from dashboard.figures.style import RAG_SYMBOLS
from dashboard.queries.kpi_values import kpi_table
from tests.pages.conftest import captions


def _expected(testshire: Engine):  # noqa: ANN202
    return kpi_table(testshire, "Testshire", parse_period("2019/20-Q1"), by_district=True)


def _cell(row: dict) -> str:
    return f"{format_value(row['value'], row['unit'])} {RAG_SYMBOLS[row['rag']]}"


def test_league_table_by_kpi_group_equals_the_kpi_layer(app, testshire: Engine) -> None:  # noqa: ANN001
    """Each group of at most five KPIs fits a laptop; between them the groups show every KPI."""
    at = app("district_comparison", programme="Testshire", grain="Quarter",
             period_quarter="2019/20 Q1")
    groups = at.radio(key="league_group").options
    assert groups[:2] == ["Cases", "DFG"] and any(g.startswith("Satisfaction") for g in groups)
    seen = set()
    for group in groups:
        at.radio(key="league_group").set_value(group).run()
        league = at.dataframe[0].value
        assert 1 <= len(league.columns) <= 5
        assert league.index[0] == "Programme (all selected)"  # the programme row first
        seen |= set(league.columns)
        for row in _expected(testshire).to_dict("records"):
            if row["name"] in league.columns:
                area = row["district"] if isinstance(row["district"], str) else \
                    "Programme (all selected)"
                assert league.loc[area, row["name"]] == _cell(row)
    assert seen == set(_expected(testshire)["name"])


def test_league_table_one_kpi_districts_as_rows(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("district_comparison", programme="Testshire", grain="Quarter",
             period_quarter="2019/20 Q1")
    at.radio(key="league_view").set_value(at.radio(key="league_view").options[1]).run()
    at.selectbox(key="league_kpi").select("Average days to complete a case").run()
    league = at.dataframe[0].value
    assert list(league.columns) == ["Average days to complete a case"]
    assert league.index[0] == "Programme (all selected)"
    expected = _expected(testshire)
    for row in expected[expected["kpi"] == "avg_days_to_complete"].to_dict("records"):
        area = row["district"] if isinstance(row["district"], str) else "Programme (all selected)"
        assert league.loc[area, row["name"]] == _cell(row)


def test_funnel_on_the_sample_data(sample_app) -> None:  # noqa: ANN001
    at = sample_app("district_comparison", programme="Lightbulb", grain="Year",
                    period_year="2018/19")
    assert len(at.get("plotly_chart")) == 1
    placed = at.dataframe[1].value
    assert len(placed) == 7
    assert "Programme average" in captions(at)


def test_empty_period(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("district_comparison", programme="Testshire", grain="Quarter",
             period_quarter="2018/19 Q4", district="Alpha")
    assert any("No figures" in i.value for i in at.info)
