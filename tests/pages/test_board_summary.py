"""The board summary shows exactly the KPI layer's figures for the chosen filters."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.format import format_value
from dashboard.periods import parse_period
from dashboard.queries.board import HEADLINE_KPIS
from dashboard.queries.kpi_values import kpi_table
from tests.pages.conftest import no_exceptions


def _expected(engine: Engine, period: str, districts: list[str] | None = None) -> dict[str, str]:
    table = kpi_table(engine, "Testshire", parse_period(period), kpi_ids=HEADLINE_KPIS,
                      districts=districts)
    return {row["name"]: format_value(row["value"], row["unit"]) for row in table.to_dict("records")}


def test_tiles_equal_the_kpi_layer(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(programme="Testshire", grain="quarter", period_quarter="2019/20 Q1")
    no_exceptions(at)
    shown = {m.label: m.value for m in at.metric}
    assert shown == _expected(testshire, "2019/20-Q1")
    assert shown["Average days to complete a case"] == "28.7 days"


def test_district_and_month_filters_from_the_url(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(programme="Testshire", grain="month", period_month="Jun 2019", district="Beta")
    no_exceptions(at)
    assert {m.label: m.value for m in at.metric} == _expected(testshire, "2019-06", ["Beta"])


def test_a_period_with_no_data_shows_a_friendly_message(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(programme="Testshire", grain="quarter", period_quarter="2018/19 Q4", district="Alpha")
    no_exceptions(at)
    assert any("No figures for this period" in i.value for i in at.info)
