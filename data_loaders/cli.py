"""``python -m data_loaders``: load, check or seed returns from the command line.

Exit codes: 0 every file loaded (or, for ``check``, passed); 1 a file was rejected; 2 the command
could not run (bad arguments, a wrong DATABASE_URL, a database that is down or does not answer
within its timeouts, another load that held the programme for too long). Errors are one line on
stderr; they may name the database's host, port and name, never its password.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from dashboard.cli.run import iso_day
from dashboard.db.engine import DatabaseUnavailable, database_url, describe, get_engine, scrub
from dashboard.db.errors import LoadBusy
from dashboard.figures.format import count_of
from dashboard.figures.safe_text import csv_bytes
from data_loaders.apply import apply_plan, audited_load, current_user
from data_loaders.council_level import load_council_level, under_council
from data_loaders.kinds import KINDS
from data_loaders.plan import LoadPlan, plan_load, problems_frame
from data_loaders.read import normalise_header
from data_loaders.seed import SAMPLE_DATA, seed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_loaders",
                                     description="Load partner returns into the dashboard.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("load", "check and load returns"),
                       ("check", "check returns and show what a load would do; write nothing")):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--programme", help="programme the files belong to (not needed for CQC's "
                                                "files, a council's contracts and population files, or "
                                                "savings returns, which name their programme)")
        sub.add_argument("--council", help="council the programme (or the council's own file) belongs "
                                           "to, as the regulator spells it; created if new")
        sub.add_argument("--as-at", type=iso_day, help="date a CQC file is as at (YYYY-MM-DD), if its "
                                                    "name does not say")
        sub.add_argument("files", nargs="+", type=Path, metavar="FILE",
                         help="CSV or XLSX returns; CQC's .ods, .xlsx or CSV files")
        sub.add_argument("--kind", help="return kind, if not detected from the columns")
        sub.add_argument("--report", type=Path, help="write every problem found to this CSV")
        sub.add_argument("--redact-personal-data", action="store_true",
                         help="store free text with personal data replaced by labels such as "
                              "[postcode removed], instead of rejecting the file")
        if name == "load":
            sub.add_argument("--user", help="who is loading (default: the login name)")
            sub.add_argument("--dry-run", action="store_true", help="same as the check command")
    seeder = commands.add_parser("seed", help="load the built-in sample data")
    seeder.add_argument("--folder", type=Path, default=SAMPLE_DATA)
    return parser


def _print_plan(plan: LoadPlan) -> None:
    print(plan.summary())
    for warning in plan.warnings:
        print(f"  warning: {warning}")
    if plan.problems:
        table = problems_frame(plan).fillna("")
        table["row"] = [int(r) if r != "" else "file" for r in table["row"]]
        print(table.to_string(index=False, max_colwidth=70))


def _districts_first(files: Sequence[Path]) -> list[Path]:
    """A districts file (a savings plan, a care providers file) creates the programme the other
    files need, so it goes first."""
    def creates(path: Path) -> bool:
        try:
            header = path.read_bytes()[:2000].decode("utf-8-sig", "ignore").splitlines()[0]
        except (OSError, IndexError):
            return False
        names = {normalise_header(h) for h in header.replace(";", ",").split(",")}
        return ({"district", "code"} <= names and "case_ref" not in names) or any(
            set(KINDS[kind].detect) <= names for kind in ("savings_plan", "care_providers"))
    return sorted(files, key=lambda p: not creates(p))


def _load(args: argparse.Namespace, write: bool) -> int:
    engine = get_engine(database_url())
    rejected, reports = 0, []
    actor = (getattr(args, "user", None) or current_user())[:100]  # the import log's column size
    for path in _districts_first(args.files):
        try:
            content = path.read_bytes()
        except OSError as error:
            print(f"{path}: cannot be read ({error.strerror})")
            rejected += 1
            continue
        if not args.kind and (outcome := load_council_level(engine, path.name, content, actor, args.council,
                                                            args.as_at, write)) is not None:
            print(outcome.message)
            rejected += not outcome.ok
            continue
        plan = plan_load(engine, args.programme or "", path.name, content, args.kind,
                         redact=args.redact_personal_data, compare_rows=not write)
        _print_plan(plan)
        if not plan.ok:
            rejected += 1
            reports.append(problems_frame(plan).assign(file=path.name))
        elif write:
            also = audited_load(plan, actor, "command line")
            if args.council:
                also = under_council(plan, args.council, also)
            result = apply_plan(engine, plan, actor, also=also)
            print(f"  loaded: {result.summary()} (import #{result.import_id})")
    if args.report and reports:
        import pandas as pd

        # Cells quote the file, so one could be a formula: neutralised as every export is.
        args.report.write_bytes(csv_bytes(pd.concat(reports)))
        print(f"Problems written to {args.report}")
    if rejected:
        print(f"{count_of(rejected, 'file')} rejected; nothing from them was written.")
    return 1 if rejected else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "seed":
            for result in seed(get_engine(database_url()), args.folder):
                print(result.summary())
            return 0
        return _load(args, write=args.command == "load" and not args.dry_run)
    except (DatabaseUnavailable, LoadBusy) as error:
        print(f"error: {scrub(error)}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        reason = scrub(getattr(error, "orig", None) or error).rstrip(".")
        print(f"error: the database at {describe(database_url())} failed: {reason}. "
              "Nothing from the current file was written.", file=sys.stderr)
        return 2
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
