"""UK formatting: a figure that rounds to zero never prints with a minus sign."""

from __future__ import annotations

from dashboard.figures.format import format_change, format_money, format_value


def test_no_negative_zero() -> None:
    assert format_value(-0.04, "%") == "0.0%"
    assert format_value(-0.4, "£") == "£0"
    assert format_value(-0.004, "rate") == "0.00"
    assert format_money(-0.3) == "£0"
    assert format_change(-0.04, "%") == "+0.0 pts"
    assert format_change(-0.04, "%", points=False) == "+0.0%"


def test_signs_kept_where_they_show() -> None:
    assert format_value(-0.06, "%") == "-0.1%"
    assert format_value(-62757.4, "£") == "-£62,757"
    assert format_change(-1.25, "%", points=False) == "-1.2%"
    assert format_change(1.25, "days") == "+1.2 days"
