"""The board summary shows exactly the KPI layer's figures for the chosen filters."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from dashboard.figures.format import format_value
from dashboard.figures.periods import parse_period
from dashboard.figures.style import change_verdict
from dashboard.queries.board import HEADLINE_KPIS, kpi_history
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


def test_a_change_is_coloured_by_better_or_worse_not_by_status(sample_app, sample_engine: Engine) -> None:  # noqa: ANN001, E501
    """−3.3 days on a KPI where fewer days is better was drawn red (its status): a board member
    reads the colour of a change as better (green) or worse (red), the status is in words."""
    from streamlit.proto.Metric_pb2 import Metric

    colour = {"better": Metric.MetricColor.GREEN, "worse": Metric.MetricColor.RED}
    seen = set()
    for period in ("2019/20-Q1", "2019/20-Q4", "2018/19-Q3"):
        at = sample_app(programme="Lightbulb", grain="Quarter",
                        period_quarter=parse_period(period).short_label)
        now = parse_period(period)
        table = kpi_history.__wrapped__(sample_engine, "Lightbulb", now.label, 1, HEADLINE_KPIS)
        latest = table[table["period"] == now.label].set_index("name")
        before = table[table["period"] == now.previous().label].set_index("name")
        for metric in at.metric:
            row = latest.loc[metric.label]
            verdict = change_verdict(row["good"], row["value"], before.loc[metric.label, "value"],
                                     row["target"])
            if metric.proto.delta and verdict != "same":
                assert metric.proto.color == colour[verdict], (period, metric.label)
                seen.add((verdict, row["rag"]))
    assert ("better", "red") in seen or ("better", "amber") in seen  # improving yet off target
    assert any(v == "worse" for v, _ in seen)


@pytest.mark.parametrize(("good", "value", "previous", "target", "verdict"), [
    ("lower", 27.0, 30.3, 36.0, "better"),  # -3.3 days
    ("lower", 30.7, 30.3, 36.0, "worse"),  # +0.4 days
    ("higher", 68.3, 40.9, 100.0, "better"),
    ("higher", 40.0, 40.0, 100.0, "same"),
    ("closest", 126.9, 92.1, 100.0, "worse"),  # further from the profile, though higher
    ("closest", 104.0, 126.9, 100.0, "better"),
    ("lower", None, 30.0, 36.0, "same"),
])
def test_change_verdict(good: str, value: float | None, previous: float, target: float,
                        verdict: str) -> None:
    assert change_verdict(good, value, previous, target) == verdict
