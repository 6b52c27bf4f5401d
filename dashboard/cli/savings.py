"""``python -m dashboard.savings``: a savings programme's figures, for checking and scripts.

    python -m dashboard.savings summary --council Leicestershire \
        --programme "Target Operating Model" [--period 2019/20-Q2] --json

``summary --json`` prints the plan's summary (lower, upper, cashable_lower, cashable_upper,
in_mtfs, net_cashable_lower, net_cashable_upper, quality_lower, quality_upper, overall_lower,
overall_upper), and as at the period's end delivered_to_date, forecast_year,
profiled_target_to_date (lower; ..._upper too), weighted_forecast and each workstream's code,
status, delivered_to_date, forecast_year, lower and upper, in pounds. Without ``--period``: the
newest month holding a delivery return (never after today).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date

from dashboard.cli.run import run_command
from dashboard.db.councils import council_key
from dashboard.db.engine import database_url, get_engine
from dashboard.figures.format import format_money as money
from dashboard.figures.periods import Period, parse_period, period_of_ym, ym_of
from dashboard.queries.councils import council_of
from dashboard.queries.savings import (
    NotSavings,
    Tracker,
    baseline_words,
    delivery_months,
    guarantee_lines,
    is_savings,
    tracker,
)


def _period(text: str) -> Period:
    try:
        return parse_period(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a period such as 2019/20, 2019/20-Q2 or "
                                         "2019-09") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.savings",
                                     description="A savings programme's figures.")
    commands = parser.add_subparsers(dest="command", required=True)
    summary = commands.add_parser("summary", help="the plan's summary and delivery as at a period")
    summary.add_argument("--council", help="the council holding the programme (checked if given)")
    summary.add_argument("--programme", required=True, help="the savings programme")
    summary.add_argument("--period", type=_period, help="2019/20, 2019/20-Q2 or 2019-09 (default: the "
                                                         "newest month with a delivery return)")
    summary.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _text(found: Tracker) -> str:
    s = found.summary
    lines = [f"{found.programme}, as at {found.period.long_label}",
             f"Total estimate: {money(s.lower)} to {money(s.upper)} a year",
             f"Cashable and demand offset: {money(s.cashable_lower)} to {money(s.cashable_upper)}",
             f"Less already in the MTFS: {money(s.in_mtfs)}",
             f"Net cashable: {money(s.net_cashable_lower)} to {money(s.net_cashable_upper)}",
             f"Quality reinvested: {money(s.quality_lower)} to {money(s.quality_upper)}",
             f"Overall: {money(s.overall_lower)} to {money(s.overall_upper)}",
             f"Delivered to date {money(found.delivered_to_date)} against a profiled target of "
             f"{money(found.profiled_target_lower)}; forecast for the year {money(found.forecast_year)}",
             *guarantee_lines(found), *filter(None, [baseline_words(found)])]
    lines += [f"  {r.code} {r.workstream}: {r.status}; delivered {money(r.delivered)}, forecast "
              f"{money(r.forecast)}" for r in found.workstreams.itertuples()]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    def run() -> str:
        engine = get_engine(database_url())
        if not is_savings(engine, args.programme):
            raise NotSavings(f"'{args.programme}' holds no savings plan")
        if args.council:
            holder = council_of(engine, args.programme)
            if holder is None or council_key(holder) != council_key(args.council):
                raise ValueError(f"'{args.programme}' is not a programme of {args.council}"
                                 + (f" (it is {holder}'s)" if holder else " (it has no council)"))
        period = args.period
        if period is None:
            months = delivery_months(engine, args.programme)
            if months is None:
                raise ValueError(f"'{args.programme}' has no delivery return yet: give --period")
            today = date.today()
            period = period_of_ym(min(months[1], ym_of(today)), "month")
        found = tracker(engine, args.programme, period)
        return json.dumps(found.as_json()) if args.json else _text(found)

    return run_command(run, expected=(NotSavings,))


if __name__ == "__main__":
    sys.exit(main())
