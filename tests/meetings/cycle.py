"""For the meeting-cycle tests: users, and a tiny one-district programme whose history shows a
special-cause signal."""

from __future__ import annotations

from datetime import date, timedelta

from dashboard.access.roles import Role, User
from dashboard.figures.periods import Period

OFFICER = User("officer", "officer@council.gov.uk", Role.OFFICER)
VIEWER = User("viewer", "viewer@council.gov.uk", Role.VIEWER)
CASES_HEADER = "case_ref,district,referral_date,closed_date,outcome,case_type\n"
# Days to complete the one case of each quarter from 2017/18 Q1 to 2018/19 Q4 (oldest first).
SOLO_DAYS = (51, 25, 20, 26, 18, 26, 18, 26)


def case_rows(days: tuple[int, ...], first: Period, district: str, prefix: str) -> str:
    """One completed case per quarter, closed mid-quarter, taking ``days`` from referral."""
    rows = []
    for n, taken in enumerate(days):
        closed = first.shift(n).start + timedelta(days=45)
        referred = closed - timedelta(days=taken)
        rows.append(f"{prefix}{n},{district},{referred:%d/%m/%Y},{closed:%d/%m/%Y},Completed,"
                    "Housing MOT\n")
    return "".join(rows)


MEETING_DAY = date(2019, 7, 10)
