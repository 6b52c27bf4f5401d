"""The board summary shows exactly the KPI layer's figures for the chosen filters."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.format import format_value
from dashboard.periods import parse_period
from dashboard.queries.board import HEADLINE_KPIS
from dashboard.queries.kpi_values import kpi_table


def _expected(engine: Engine, period: str, districts: list[str] | None = None) -> dict[str, str]:
    table = kpi_table(engine, "Testshire", parse_period(period), kpi_ids=HEADLINE_KPIS,
                      districts=districts)
    return {row["name"]: format_value(row["value"], row["unit"]) for row in table.to_dict("records")}


def test_tiles_equal_the_kpi_layer(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(programme="Testshire", grain="Quarter", period_quarter="2019/20 Q1")
    shown = {m.label: m.value for m in at.metric}
    assert shown == _expected(testshire, "2019/20-Q1")
    assert shown["Average days to complete a case"] == "28.7 days"


def test_district_and_month_filters_from_the_url(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(programme="Testshire", grain="Month", period_month="Jun 2019", district="Beta")
    assert {m.label: m.value for m in at.metric} == _expected(testshire, "2019-06", ["Beta"])


def test_a_period_with_no_data_shows_a_friendly_message(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(programme="Testshire", grain="Quarter", period_quarter="2018/19 Q4", district="Alpha")
    assert any("No figures for this period" in i.value for i in at.info)


def test_table_and_journey_on_the_sample_data(sample_app, sample_engine: Engine) -> None:  # noqa: ANN001
    at = sample_app(programme="Lightbulb", grain="Quarter", period_quarter="2019/20 Q1")
    table = at.dataframe[0].value
    expected = kpi_table(sample_engine, "Lightbulb", parse_period("2019/20-Q1"), kpi_ids=HEADLINE_KPIS)
    assert table["This period"].tolist() == [format_value(v, u) for v, u in
                                             zip(expected["value"], expected["unit"], strict=True)]
    journey = "\n".join(m.value for m in at.markdown)
    # Cases transferred in from July 2017 first complete in Q3 2017/18, the service's first quarter.
    first = kpi_table(sample_engine, "Lightbulb", parse_period("2017/18-Q3"),
                      kpi_ids=["avg_days_to_complete"])["value"].iloc[0]
    assert f"{format_value(first, 'days')} in Quarter 3 2017/18" in journey


def test_the_sparkline_colour_is_the_status_not_the_last_change(sample_app, sample_engine: Engine) -> None:  # noqa: ANN001, E501
    """An off-target KPI whose last change was an improvement was drawn green: the delta and the
    sparkline take their colour from the status, so no red figure is ever drawn green."""
    from streamlit.proto.Metric_pb2 import Metric

    colour = {"green": Metric.MetricColor.GREEN, "amber": Metric.MetricColor.ORANGE,
              "red": Metric.MetricColor.RED, "grey": Metric.MetricColor.GRAY}
    seen = set()
    for period in ("2019/20-Q1", "2019/20-Q4", "2018/19-Q3"):
        at = sample_app(programme="Lightbulb", grain="Quarter",
                        period_quarter=parse_period(period).short_label)
        table = kpi_table(sample_engine, "Lightbulb", parse_period(period), kpi_ids=HEADLINE_KPIS)
        rag = dict(zip(table["name"], table["rag"], strict=True))
        for metric in at.metric:
            if metric.proto.delta:  # no change shown: Streamlit draws it grey whatever is asked
                assert metric.proto.color == colour[rag[metric.label]], (period, metric.label)
                seen.add(rag[metric.label])
    assert "red" in seen  # the case the review found is covered
