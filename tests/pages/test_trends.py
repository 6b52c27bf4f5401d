"""Trends: the SPC chart's table holds the KPI layer's values and the labels follow the rules."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.figures import spc
from dashboard.figures.format import format_value
from dashboard.figures.periods import parse_period, period_range
from dashboard.queries.kpi_values import compute_kpis
from tests.pages.conftest import captions


def test_spc_on_the_sample_data(sample_app, sample_engine: Engine) -> None:  # noqa: ANN001
    at = sample_app("trends", programme="Lightbulb", grain="Quarter", period_quarter="2019/20 Q4")
    periods = period_range(parse_period("2017/18-Q1"), parse_period("2019/20-Q4"))
    expected = compute_kpis(sample_engine, "Lightbulb", periods, kpi_ids=["avg_days_to_complete"])
    expected = expected.dropna(subset=["value"])
    table = at.dataframe[0].value
    assert table["Period"].tolist() == expected["period"].tolist()
    assert table["Value"].tolist() == [format_value(v, "days") for v in expected["value"]]
    result = spc.xmr(expected["value"].tolist(), good="lower", target=36)
    assert spc.describe(result, "Average days to complete a case", " days") in captions(at)
    assert spc.VARIATION_LABELS[result.variation] in "\n".join(m.value for m in at.markdown)


def test_another_kpi_from_the_url(sample_app) -> None:  # noqa: ANN001
    at = sample_app("trends", programme="HEART", grain="Month", period_month="Mar 2017",
                    kpi="Overall experience score (% of best)")
    assert at.selectbox(key="kpi").value == "Overall experience score (% of best)"
    assert len(at.dataframe[0].value) == 24


def test_too_little_data_is_a_friendly_message(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("trends", programme="Testshire", grain="Year", period_year="2019/20")
    assert any("at least two periods" in i.value for i in at.info)
