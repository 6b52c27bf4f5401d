"""Cases, DFG and satisfaction pages on the fixture and the sample data."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.figures.format import format_money, format_value
from dashboard.figures.periods import parse_period
from dashboard.queries import breakdowns, dfg
from dashboard.queries.kpi_values import kpi_table
from tests.pages.conftest import captions


def test_cases_page_figures(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("cases", programme="Testshire", grain="Quarter", period_quarter="2019/20 Q1")
    text = captions(at)
    # Twelve months to June 2019: C4 (Mar), C1, C2, C3, C5, C6, C7 referred; C1, C2, C4
    # completed; open at the end of June: C3, C6, C7.
    assert "7 referrals, 3 completions; 3 cases open at the end" in text
    roles = at.dataframe[-1].value.set_index("Worker role")
    assert roles.loc["HSC", "Completed"] == 3 and roles.loc["HSC", "Average days"] == "28.7 days"
    # Referral sources in Q1: GP (C1), Self (C2, C5, C6), Hospital (C3), GP (C7)
    assert "Referral sources: most common is Self (3 of 6)" in text


def test_cases_page_empty(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("cases", programme="Testshire", grain="Quarter", period_quarter="2018/19 Q4",
             district="Alpha")
    assert any("No cases" in i.value for i in at.info)


def test_dfg_page_on_the_sample_data(sample_app, sample_engine: Engine) -> None:  # noqa: ANN001
    at = sample_app("dfg", programme="Lightbulb", grain="Quarter", period_quarter="2018/19 Q4")
    text = captions(at)
    assert "In 2018/19-Q4, 2 of 7 districts met the target." in text
    within = kpi_table(sample_engine, "Lightbulb", parse_period("2018/19-Q4"),
                       kpi_ids=["dfg_within_20_weeks"], by_district=True)
    shown = next(f for f in (d.value for d in at.dataframe) if "DFGs completed within 20 weeks" in f)
    districts = within[within["district"].notna()]
    assert shown["DFGs completed within 20 weeks"].tolist() == [
        format_value(v, "%") for v in districts["value"]]
    spend = next(f for f in (d.value for d in at.dataframe) if "Change on previous year" in f)
    blaby = spend[(spend["District"] == "Blaby") & (spend["Year"] == "2018/19")]
    assert blaby["Change on previous year"].iloc[0] == "-4.0%"
    assert "2019/20" not in set(spend["Year"])  # as at 2018/19 Q4: no later year
    # Part way through a year: the year's spend to the end of the quarter, never the whole year.
    q1 = sample_app("dfg", programme="Lightbulb", grain="Quarter", period_quarter="2019/20 Q1")
    to_june = next(f for f in (d.value for d in q1.dataframe) if "Change on previous year" in f)
    expected = dfg.spend_by_year.__wrapped__(sample_engine, "Lightbulb", 201906)
    whole = dfg.spend_by_year.__wrapped__(sample_engine, "Lightbulb")
    row = (expected["district"] == "Blaby") & (expected["fy"] == 2019)
    shown_blaby = to_june[(to_june["District"] == "Blaby") & (to_june["Year"] == "2019/20")]
    assert shown_blaby["Spend"].iloc[0] == format_money(expected.loc[row, "spend"].iloc[0])
    assert expected.loc[row, "spend"].iloc[0] < whole.loc[(whole["district"] == "Blaby")
                                                          & (whole["fy"] == 2019), "spend"].iloc[0]


def test_satisfaction_page(sample_app, sample_engine: Engine) -> None:  # noqa: ANN001
    at = sample_app("satisfaction", programme="HEART", grain="Year", period_year="2015/16")
    themes = at.dataframe[0].value.set_index("theme")
    assert themes.loc["Overall Experience", "2015/16"] == "97.9%"
    assert themes.loc["Respect and Dignity", "2015/16"] == "98.4%"
    # The survey began in 2014/15: two years shown, said as two, never "None" before it began.
    assert list(themes.columns) == ["2014/15", "2015/16", "answers this period"]
    assert "over 2 periods (mean score as a percentage of the best score" in captions(at)
    assert not (themes == "None").any().any()
    feedback = breakdowns.feedback_by_district.__wrapped__(sample_engine, "HEART", "2015/16")
    assert f"{feedback['complaints'].sum():,} complaints" in captions(at)
    assert "answered within 20 days" in captions(at)


def test_satisfaction_page_empty(app, testshire: Engine) -> None:  # noqa: ANN001
    # Alpha's last four quarters to 2018/19 Q4 hold no survey answers and no feedback.
    at = app("satisfaction", programme="Testshire", grain="Quarter", period_quarter="2018/19 Q4",
             district="Alpha")
    assert any("No survey answers" in i.value for i in at.info)
    assert any("No compliments or complaints" in i.value for i in at.info)
