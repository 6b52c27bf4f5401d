"""Financial-year periods: April-March, Q1 = April-June, labels as boards write them."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.figures.periods import Period, parse_period, period_containing, period_of_ym, period_range


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2019/20", date(2019, 4, 1), date(2020, 3, 31), "2019/20"),
        ("2019/20-Q1", date(2019, 4, 1), date(2019, 6, 30), "2019/20-Q1"),
        ("2019/20-q3", date(2019, 10, 1), date(2019, 12, 31), "2019/20-Q3"),
        ("2019/20-Q4", date(2020, 1, 1), date(2020, 3, 31), "2019/20-Q4"),
        ("2019-06", date(2019, 6, 1), date(2019, 6, 30), "2019-06"),
        ("2020-02", date(2020, 2, 1), date(2020, 2, 29), "2020-02"),
        ("1999/00", date(1999, 4, 1), date(2000, 3, 31), "1999/00"),
    ],
)
def test_parse(text: str, start: date, end: date, label: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("text", ["2019/21", "2019-13", "Q1 2019", "2019", "", "2019/20-Q5"])
def test_rejects_what_is_not_a_period(text: str) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def test_month_keys_and_to_date_cutoff() -> None:
    q4 = parse_period("2018/19-Q4")
    assert (q4.first_ym, q4.last_ym, q4.last_fy_month) == (201901, 201903, 12)
    june = parse_period("2019-06")
    assert (june.first_ym, june.last_ym, june.last_fy_month) == (201906, 201906, 3)


def test_shift_crosses_financial_years() -> None:
    assert parse_period("2019/20-Q1").previous().label == "2018/19-Q4"
    assert parse_period("2019-04").previous().label == "2019-03"
    assert parse_period("2019-03").shift(1).label == "2019-04"
    assert parse_period("2019-12").shift(1).label == "2020-01"
    assert parse_period("2019/20").shift(-2).label == "2017/18"


def test_containing_and_range() -> None:
    assert period_containing(date(2020, 3, 31), "quarter").label == "2019/20-Q4"
    assert period_containing(date(2020, 4, 1), "year").label == "2020/21"
    assert period_of_ym(201907, "quarter").label == "2019/20-Q2"
    labels = [p.label for p in period_range(parse_period("2018/19-Q4"), parse_period("2019/20-Q2"))]
    assert labels == ["2018/19-Q4", "2019/20-Q1", "2019/20-Q2"]


def test_long_labels() -> None:
    assert parse_period("2019/20-Q1").long_label == "Quarter 1 2019/20 (Apr–Jun 2019)"
    assert Period(2019, "month", 3).long_label == "June 2019"
