"""Each normalisation rule of the returns format, accepted and rejected."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from data_loaders import values as v
from data_loaders.districts import DistrictResolver


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-06-12", date(2019, 6, 12)),
        ("2019-06-12 00:00:00", date(2019, 6, 12)),
        ("12/06/2019", date(2019, 6, 12)),
        ("1/6/2019", date(2019, 6, 1)),
        ("12-06-2019", date(2019, 6, 12)),
        ("12-Jun-2019", date(2019, 6, 12)),
        ("12 Jun 2019", date(2019, 6, 12)),
        ("12 June 2019", date(2019, 6, 12)),
        ("29/02/2020", date(2020, 2, 29)),
        (datetime(2019, 6, 12, 0, 0), date(2019, 6, 12)),  # an Excel date cell
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_dates_accepted(raw: object, expected: date | None) -> None:
    assert v.parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("06/13/2019", "06/13/2019 is not a real date: there is no month 13; dates are day first"),
        ("2017-13-45", r"^2017-13-45 is not a real date: there is no month 13$"),  # ISO: no day-first hint
        ("2017-02-30", "2017-02-30 is not a real date"),
        ("31/02/2019", "31/02/2019 is not a real date"),
        ("29/02/2019", "not a real date"),
        ("43628", "Excel serial number"),
        (43628, "Excel serial number"),
        ("12/06/19", "two-digit year"),
        ("12/06/1899", "outside 2000"),
        ("June 12th", "not a date we recognise"),
        ("12 Juno 2019", "not a month name"),
    ],
)
def test_dates_rejected(raw: object, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        v.parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("£6,102.50", 6102.5), ("6102.5", 6102.5), ("6,102", 6102.0), (" £ 6,102 ", 6102.0),
     ("(1,234.00)", -1234.0), (7396, 7396.0), ("", None)],
)
def test_money(raw: object, expected: float | None) -> None:
    assert v.parse_money(raw) == expected


def test_money_rejected() -> None:
    with pytest.raises(ValueError, match="not an amount"):
        v.parse_money("six thousand")


@pytest.mark.parametrize(("raw", "expected"), [("97.9%", 97.9), ("97.9", 97.9), (" 100 % ", 100.0)])
def test_percentages(raw: str, expected: float) -> None:
    assert v.parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2019/20", 2019), ("2019-20", 2019), ("2019/2020", 2019), ("1999/00", None)],
)
def test_financial_year(raw: str, expected: int | None) -> None:
    if expected is None:
        with pytest.raises(ValueError):
            v.parse_financial_year(raw)
    else:
        assert v.parse_financial_year(raw) == expected


def test_financial_year_must_be_consecutive() -> None:
    with pytest.raises(ValueError, match="after 2019 comes 2020"):
        v.parse_financial_year("2019/21")


def test_lists_yes_no_and_whole_numbers() -> None:
    assert v.split_list("OT; Adaptations ;; ") == ["OT", "Adaptations"]
    assert v.canonical("nrs/equipment", ("NRS/Equipment",)) == "NRS/Equipment"
    assert [v.parse_yes_no(x) for x in ("Yes", "y", "NO", "")] == [True, True, False, None]
    assert v.parse_whole("5.0", 1, 5) == 5
    with pytest.raises(ValueError, match="whole number from 1 to 5"):
        v.parse_whole("6", 1, 5)


def test_formula_like_text_is_kept_verbatim() -> None:
    assert v.text("=HYPERLINK(\"x\")") == "=HYPERLINK(\"x\")"
    assert v.text("@SUM(A1)") == "@SUM(A1)"


@pytest.mark.parametrize(
    "spelling",
    ["Oadby & Wigston", "oadby and wigston", "OADBY AND WIGSTON", "O&W", "oaw",
     "Oadby & Wigston Borough Council", " Oadby  &  Wigston "],
)
def test_district_spellings(spelling: str) -> None:
    resolver = DistrictResolver([(7, "Oadby & Wigston", "OAW", "O&W; Oadby and Wigston"),
                                 (1, "Blaby", "BLA", None)])
    assert resolver.resolve(spelling) == 7


def test_unknown_district_lists_the_known_ones() -> None:
    resolver = DistrictResolver([(1, "Blaby", "BLA", None)])
    with pytest.raises(ValueError, match="unknown district; this programme's districts are: Blaby"):
        resolver.resolve("Leicester")
