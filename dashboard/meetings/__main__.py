"""``python -m dashboard.meetings``: create, issue and list meetings, and say what changed.

The author is the operating-system user, as an officer: whoever can run this command can already
reach the database through ``DATABASE_URL``, so the command adds no access of its own; the audit
trail names the account that ran it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import date

from dashboard.access.roles import Role, User
from dashboard.cli.run import run_command
from dashboard.db.engine import database_url, get_engine
from dashboard.meetings.changes import what_changed
from dashboard.meetings.meetings import create_meeting, issue_meeting, list_meetings


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2019-06-12") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.meetings", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="create a draft meeting; prints its id")
    create.add_argument("--programme", required=True)
    create.add_argument("--date", required=True, type=_date, help="YYYY-MM-DD")
    create.add_argument("--kind", required=True, choices=["board", "scrutiny"])
    create.add_argument("--period", required=True, help="2019/20, 2019/20-Q1 or 2019-06")
    create.add_argument("--title", required=True)
    issue = commands.add_parser("issue", help="issue a meeting: its figures never change after")
    issue.add_argument("--meeting", required=True, type=int)
    listing = commands.add_parser("list", help="the programme's meetings, newest first")
    listing.add_argument("--programme", required=True)
    changes = commands.add_parser("changes", help="what changed since the previous issued meeting")
    changes.add_argument("--programme", required=True)
    changes.add_argument("--meeting", type=int)
    changes.add_argument("--json", action="store_true")
    return parser


def operator() -> User:
    """The operating-system account, as an officer (see the module docstring)."""
    return User(name=getpass.getuser(), email=None, role=Role.OFFICER)


def _run(args: argparse.Namespace) -> str:
    engine = get_engine(database_url())
    if args.command == "create":
        return str(create_meeting(operator(), args.programme, args.date, args.kind, args.period,
                                  args.title, engine=engine))
    if args.command == "issue":
        issue_meeting(operator(), args.meeting, engine=engine)
        return f"Meeting {args.meeting} issued: its figures are frozen."
    if args.command == "list":
        frame = list_meetings(args.programme, engine=engine)
        return frame.to_string(index=False) if not frame.empty else "No meetings yet."
    found = what_changed(args.programme, args.meeting, engine=engine)
    if args.json:
        return found.to_json()
    return "\n".join(found.sentences()) or "Nothing has changed since the previous issued meeting."


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: _run(args))


if __name__ == "__main__":
    sys.exit(main())
