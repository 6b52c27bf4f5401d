"""``python -m dashboard.audit``: check that nobody has altered the audit trail, and list it.

    python -m dashboard.audit verify
    python -m dashboard.audit list --since 2025-04-01 --actor jo@council.gov.uk --action load_return

Exit codes: 0 the trail is intact (``verify``) or was listed (``list``); 1 the trail is broken,
with the first row affected named; 2 the command could not run (bad arguments, database problem).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from types import ModuleType

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from dashboard.access.audit import ACTION_LABELS, ACTIONS, verify
from dashboard.db.engine import DatabaseUnavailable, database_url, describe, get_engine, scrub


def _queries() -> ModuleType:
    """``dashboard.queries.audit``, imported only when needed and with Streamlit's logging quietened:
    setting up its caches outside a running app logs "No runtime found", noise on a command line."""
    from streamlit.logger import set_log_level

    set_log_level("error")
    from dashboard.queries import audit as queries

    return queries


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write it as YYYY-MM-DD") from None


def _limit(text: str) -> int:
    most = _queries().MAX_LIMIT
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise argparse.ArgumentTypeError(f"give a whole number from 1 to {most:,}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.audit",
                                     description="Check and list the dashboard's audit trail.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("verify", help="check every row's hash and link; exit 1 if any is wrong")
    lister = commands.add_parser("list", help="list audit entries, newest first (UK time)")
    lister.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help="from this day (UK time)")
    lister.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help="up to and including this day")
    lister.add_argument("--actor", help="only this person (exactly as recorded)")
    lister.add_argument("--action", choices=ACTIONS, help="only this kind of action")
    lister.add_argument("--limit", type=_limit, default=50, metavar="N", help="at most N entries (50)")
    return parser


def _verify() -> int:
    result = verify(get_engine(database_url()))
    print(result.message)
    if result.last_hash:
        print(f"Newest hash: {result.last_hash} (entries cut off the end leave a sound chain: "
              "keep a note of this hash to detect that)")
    return 0 if result.ok else 1


def _list(args: argparse.Namespace) -> int:
    frame = _queries().entries_frame(get_engine(database_url()), args.since, args.until, args.actor,
                                     args.action, args.limit)
    if frame.empty:
        print("No audit entries match.")
        return 0
    print(_table(frame).to_string(index=False, max_colwidth=80))
    print(f"{len(frame):,} {'entry' if len(frame) == 1 else 'entries'}, newest first; times are UK time.")
    return 0


def _table(frame: pd.DataFrame) -> pd.DataFrame:
    """Entries as people read them: day-first times, actions in words, one line per entry."""
    def line(value: object) -> str:
        return "" if value is None or pd.isna(value) else " ".join(str(value).split())

    return pd.DataFrame({
        "Row": frame["id"],
        "When (UK)": frame["at"].dt.strftime("%d/%m/%Y %H:%M:%S"),
        "Who": frame["actor"].map(line),
        "Role": frame["role"].map(line),
        "Action": frame["action"].map(lambda a: ACTION_LABELS.get(a, a)),
        "Programme": frame["programme"].map(line),
        "Detail": frame["detail"].map(line),
    })


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _verify() if args.command == "verify" else _list(args)
    except DatabaseUnavailable as error:  # includes a wrong DATABASE_URL or timeout setting
        print(f"error: {scrub(error)}", file=sys.stderr)
    except SQLAlchemyError as error:  # down or not answering after the start
        reason = scrub(getattr(error, "orig", None) or error)
        print(f"error: the database at {describe(database_url())} failed: {reason}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
