"""Turning the text partners type into clean values, or a reason a person can act on.

Every function takes a raw cell (text, or a native value from an Excel cell) and returns the
normalised value, ``None`` for a blank, or raises ``ValueError`` whose message is shown to the
user next to the row, column and value.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date, datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}
FIRST_YEAR, LAST_YEAR = 2000, 2100

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")
_NAMED = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)[\s-]+(\d{2,4})$")
_SERIAL = re.compile(r"^\d{4,6}(?:\.\d+)?$")
_MONEY = re.compile(r"^-?\d+(?:\.\d+)?$")
DAY_FIRST_HINT = "use DD/MM/YYYY, e.g. 12/06/2019"


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def text(raw: object) -> str | None:
    """Text as sent, trimmed. A cell starting with = + - @ stays text: nothing is evaluated."""
    if is_blank(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _checked(year: int, month: int, day: int, shown: str, day_first: bool) -> date:
    """``day_first``: the value was written DD/MM/YYYY, so a month over 12 may be a US date."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    if not 1 <= month <= 12:
        hint = "; dates are day first, DD/MM/YYYY" if day_first else ""
        raise ValueError(f"{shown} is not a real date: there is no month {month}{hint}")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{shown} is not a real date") from None


def parse_date(raw: object) -> date | None:
    """ISO, day-first UK dates, 12-Jun-2019, 12 June 2019, or an Excel date cell."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, (int, float)) or _SERIAL.match(str(raw).strip()):
        raise ValueError(
            "looks like an Excel serial number, not a date; format the cell as a date, "
            "e.g. 12/06/2019"
        )
    value = str(raw).strip()
    if match := _ISO.match(value):
        return _checked(int(match[1]), int(match[2]), int(match[3]), value, day_first=False)
    if match := _NUMERIC.match(value):
        day, month, year = int(match[1]), int(match[2]), match[3]
        if len(year) != 4:
            raise ValueError(f"two-digit year in {value}; write the year in full: {DAY_FIRST_HINT}")
        return _checked(int(year), month, day, value, day_first=True)
    if match := _NAMED.match(value):
        month = MONTHS.get(match[2].lower())
        if month is None:
            raise ValueError(f"'{match[2]}' is not a month name")
        if len(match[3]) != 4:
            raise ValueError(f"two-digit year in {value}; write the year in full")
        return _checked(int(match[3]), month, int(match[1]), value, day_first=False)
    raise ValueError(f"not a date we recognise; {DAY_FIRST_HINT}")


def parse_money(raw: object) -> float | None:
    """£6,102.50, 6102.5, 6,102, (1,234.00) for a negative."""
    if is_blank(raw):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return round(float(raw), 2)
    value = str(raw).strip().replace("£", "").replace(",", "").replace(" ", "")
    negative = value.startswith("(") and value.endswith(")")
    if negative:
        value = value[1:-1]
    if not _MONEY.match(value):
        raise ValueError("not an amount of money; write it like £6,102.50 or 6102.50")
    amount = round(float(value), 2)
    return -amount if negative else amount


def parse_number(raw: object) -> float | None:
    """A plain number, or a percentage such as 97.9% (stored as 97.9)."""
    if is_blank(raw):
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    value = str(raw).strip().removesuffix("%").strip().replace(",", "")
    try:
        return float(value)
    except ValueError:
        raise ValueError("not a number") from None


def parse_whole(raw: object, low: int, high: int) -> int | None:
    """A whole number from ``low`` to ``high`` ("5" and "5.0" are 5)."""
    number = parse_number(raw)
    if number is None:
        return None
    if not number.is_integer() or not low <= number <= high:
        raise ValueError(f"must be a whole number from {low} to {high}")
    return int(number)


def parse_yes_no(raw: object) -> bool | None:
    if is_blank(raw):
        return None
    value = str(raw).strip().lower()
    if value in ("yes", "y", "true", "1"):
        return True
    if value in ("no", "n", "false", "0"):
        return False
    raise ValueError("must be Yes or No")


def parse_financial_year(raw: object) -> int | None:
    """``2019/20`` (also 2019-20, 2019/2020) -> 2019, the year it starts."""
    if is_blank(raw):
        return None
    value = str(raw).strip()
    match = re.match(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$", value)
    if not match:
        raise ValueError("not a financial year; write it like 2019/20")
    start, end = int(match[1]), int(match[2])
    if end != (start + 1) % (100 if len(match[2]) == 2 else 10_000):
        raise ValueError(f"{value} is not a financial year: after {start} comes {start + 1}")
    if not FIRST_YEAR <= start <= LAST_YEAR:
        raise ValueError(f"year {start} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return start


def split_list(raw: object) -> list[str]:
    """``OT; Adaptations`` -> ["OT", "Adaptations"]."""
    if is_blank(raw):
        return []
    return [item.strip() for item in str(raw).split(";") if item.strip()]


def matching_key(value: str) -> str:
    """Case, '&' versus 'and', punctuation and spacing ignored: 'Oadby & Wigston' = 'oadby and wigston'."""
    folded = value.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


@functools.lru_cache(maxsize=64)
def _spellings(allowed: tuple[str, ...]) -> dict[str, str]:
    """matching key -> allowed spelling; the first option wins, as it always has."""
    table: dict[str, str] = {}
    for option in allowed:
        table.setdefault(matching_key(option), option)
    return table


@functools.lru_cache(maxsize=4096)
def _canonical(raw: str, allowed: tuple[str, ...]) -> str | None:
    return _spellings(allowed).get(matching_key(raw))


def canonical(raw: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed spelling matching ``raw`` (any case and spacing), or None. A return repeats a
    few values thousands of times, so short ones are remembered."""
    if len(raw) > 100:  # never kept: a cache of long hostile cells would be memory for nothing
        return _spellings(allowed).get(matching_key(raw))
    return _canonical(raw, allowed)


_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_year_month(raw: object) -> int | None:
    """``2016-08`` (a calendar month) -> 201608; a spreadsheet date counts as its month."""
    if is_blank(raw):
        return None
    if isinstance(raw, date):
        return raw.year * 100 + raw.month
    match = _YEAR_MONTH.match(str(raw).strip())
    if not match:
        raise ValueError("not a month; write it like 2016-08")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise ValueError(f"there is no month {month}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is outside {FIRST_YEAR}–{LAST_YEAR}")
    return year * 100 + month


_INVISIBLE = re.compile(r"[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def plain_name(raw: str) -> str:
    """A name as compared and stored: Unicode NFKC (full-width and styled letters made plain),
    invisible characters (zero-width spaces, direction marks, soft hyphens) removed, every run of
    spaces of any kind one space. Two names a reader cannot tell apart come out the same."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFKC", raw)).split())
