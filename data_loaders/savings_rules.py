"""The checks a savings return needs beyond each cell's type: the plan's own arithmetic (an upper
estimate below the lower, a profile that falls or never reaches 100%, an MTFS amount on a benefit
that is not banked) and a delivery return against the plan stored for its programme (a workstream
the plan does not have, a month before the workstream's first year).

Each problem names its row and column, so a partner can mend the whole return at once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select

from dashboard.db import schema as s
from dashboard.figures.periods import fy_label
from dashboard.figures.savings import CASHABLE, parse_profile
from data_loaders.values import plain_name

Report = Callable[[int, str, object, str], None]
PLAN_WIDE = ("guarantee_threshold", "baseline_budget")  # one figure for the whole plan


def workstream_code(raw: str) -> str:
    """A code as stored and matched: NFKC, no spaces or invisible characters, upper case, so
    'oa 1' typed in a delivery return finds the plan's OA1."""
    return plain_name(raw).replace(" ", "").upper()


def row_rules(kind: str, record: dict, sent: dict[str, object], row: int, problem: Report,
              warn: Callable[[str], None]) -> None:
    if kind == "savings_plan":
        _plan_row(record, sent, row, problem)
    elif kind == "savings_delivery":
        delivered, forecast = record.get("delivered_to_date"), record.get("forecast_year")
        if delivered is not None and forecast is not None and forecast < delivered:
            warn(f"row {row}: the forecast for the year (£{forecast:,.0f}) is below what is "
                 f"delivered to date (£{delivered:,.0f})")


def _plan_row(record: dict, sent: dict[str, object], row: int, problem: Report) -> None:
    lower, upper = record.get("lower_bound"), record.get("upper_bound")
    if lower is not None and upper is not None and upper < lower:
        problem(row, "upper_bound", sent.get("upper_bound"),
                f"the upper estimate is below the lower (£{lower:,.0f})")
    in_mtfs, benefit = record.get("already_in_mtfs"), record.get("benefit_type")
    if in_mtfs and benefit is not None and benefit not in CASHABLE:
        problem(row, "already_in_mtfs", sent.get("already_in_mtfs"),
                f"a {benefit.lower()} benefit is reinvested, not banked, so none of it can already "
                "be counted in the MTFS")
    elif in_mtfs and upper is not None and in_mtfs > upper:
        problem(row, "already_in_mtfs", sent.get("already_in_mtfs"),
                f"more than the workstream's upper estimate (£{upper:,.0f})")
    first = record.get("first_fy")
    if record.get("profile") and first is not None:
        try:
            parse_profile(str(record["profile"]), first)
        except ValueError as error:
            problem(row, "profile", sent.get("profile"), str(error))


def plan_wide(records: list[dict], rows: list[int], problem: Report) -> None:
    """The guarantee threshold and baseline budget are the plan's: where given on several rows,
    they must agree."""
    for column in PLAN_WIDE:
        seen: tuple[int, float] | None = None
        for record, row in zip(records, rows, strict=True):
            value = record.get(column)
            if value is None:
                continue
            if seen is None:
                seen = (row, value)
            elif abs(value - seen[1]) >= 0.005:
                problem(row, column, value, f"differs from row {seen[0]} (£{seen[1]:,.0f}): it is one "
                        "figure for the whole plan")


def against_plan(conn: Connection, programme_id: int | None, records: list[dict], rows: list[int],
                 problem: Report) -> None:
    """A delivery return's rows against the workstreams stored for the programme."""
    w = s.savings_workstreams
    stored: dict[str, int] = {}
    if programme_id is not None:
        stored = {str(code): int(first) for code, first in conn.execute(
            select(w.c.workstream_code, w.c.first_fy).where(w.c.programme_id == programme_id))}
    known = ", ".join(sorted(stored)) or "none yet: load the savings plan first"
    for record, row in zip(records, rows, strict=True):
        code = record["workstream_code"]
        first = stored.get(code)
        if first is None:
            problem(row, "workstream_code", code, f"the plan has no workstream {code} (its workstreams: "
                    f"{known})")
        elif record["fy"] < first:
            problem(row, "financial_year", fy_label(record["fy"]),
                    f"before workstream {code}'s first year, {fy_label(first)}")
