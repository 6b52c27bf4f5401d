"""Finance: the headline equals the budget_variance KPI and the lines add up by hand."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.figures.format import format_money
from dashboard.figures.periods import parse_period
from dashboard.queries.kpi_values import kpi_table


def test_position_to_date_on_the_fixture(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("finance", programme="Testshire", grain="Quarter", period_quarter="2019/20 Q1")
    metrics = {m.label: m.value for m in at.metric}
    # Months 1-3, net of income: spending budgets 1000 + 1000 (Alpha staffing) + 2000 (county)
    # = 4,000 less fee income budgeted 500 = 3,500; spending 1100 + 900 + 2300 = 4,300 less fee
    # income received 400 = 3,900; variance 3,900 - 3,500 = 400 adverse, which is the KPI's
    # +100 -100 +300 on spending and +100 on income (a shortfall). The tiles add up.
    assert metrics["Net budget to date"] == "£3,500"
    assert metrics["Net actual to date"] == "£3,900"
    assert metrics["Variance to date (actual − budget, adverse +)"] == "£400"
    kpi = kpi_table(testshire, "Testshire", parse_period("2019/20-Q1"), kpi_ids=["budget_variance"])
    assert metrics["Variance to date (actual − budget, adverse +)"] == format_money(kpi["value"].iloc[0])
    lines = at.dataframe[0].value
    assert lines["Cost line"].tolist()[0] == "Running costs"  # largest adverse first (+£300)
    fee = lines[lines["Cost line"] == "Fee income"].iloc[0]
    assert (fee["Variance"], fee["Status"]) == ("£100", "Income below budget")
    # Budget − actual is −£200 but the variance is £400: the page says why, in words.
    words = "\n".join(m.value for m in at.markdown)
    assert ("Spending lines: actual £4,300 against a budget of £4,000, a variance of £300. Income "
            "lines: £400 received against £500 budgeted, a variance of £100 (for income, a "
            "shortfall is adverse). Net variance to date: £400 (adverse).") in words
    assert "Income to date: £400 received against £500 budgeted (a shortfall: variance £100)." in words
    # £400 of a £3,500 net budget to date: +11.4%.
    assert at.metric[2].proto.delta == "+11.4%"


def test_no_finance_returns_is_a_friendly_message(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("finance", programme="Testshire", grain="Quarter", period_quarter="2018/19 Q4")
    assert any("No budget monitoring returns" in i.value for i in at.info)


def test_sample_data_shares(sample_app) -> None:  # noqa: ANN001
    at = sample_app("finance", programme="HEART", grain="Year", period_year="2016/17")
    shares = at.dataframe[-1].value.set_index("District")
    # HEART business case, section 8: 2016/17 capital shares 33/13/14/16/22%.
    published = {"North Warwickshire": 13, "Nuneaton & Bedworth": 33, "Rugby": 14,
                 "Stratford-on-Avon": 16, "Warwick": 22}
    for district, share in published.items():
        assert abs(shares.loc[district, "Capital share"] - share) <= 0.5, district  # shown to 0.1
