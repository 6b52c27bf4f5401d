"""District comparison: the league table shows the KPI layer's figures; the funnel places them."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.format import format_value
from dashboard.periods import parse_period
from dashboard.queries.kpi_values import kpi_table
from dashboard.style import RAG_SYMBOLS
from tests.pages.conftest import captions


def test_league_table_equals_the_kpi_layer(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("district_comparison", programme="Testshire", grain="Quarter",
             period_quarter="2019/20 Q1")
    league = at.dataframe[0].value
    expected = kpi_table(testshire, "Testshire", parse_period("2019/20-Q1"), by_district=True)
    for row in expected.to_dict("records"):
        area = row["district"] if isinstance(row["district"], str) else "Programme (all selected)"
        shown = league.loc[area, row["name"]]
        assert shown == f"{format_value(row['value'], row['unit'])} {RAG_SYMBOLS[row['rag']]}"


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
