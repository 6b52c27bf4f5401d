"""``python -m dashboard.packs board|scrutiny``: make a meeting's papers from the command line, for
schedulers. The PDF (and with ``--xlsx`` the workbook of its tables) goes to the files named;
``--issue`` issues the meeting and keeps the exact PDF with its SHA-256.

Run as the operating-system user, as an officer, like ``python -m dashboard.meetings``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.access import audit
from dashboard.cli.run import run_command
from dashboard.db.engine import database_url, get_engine
from dashboard.meetings.__main__ import operator
from dashboard.packs.errors import PackError
from dashboard.packs.make import PACKS, build_pack, issue_with_papers, pack_pdf, pack_workbook


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.packs", description=__doc__)
    parser.add_argument("pack", choices=PACKS)
    parser.add_argument("--programme", required=True)
    parser.add_argument("--period", help="2019/20, 2019/20-Q1 or 2019-06 (or give --meeting)")
    parser.add_argument("--meeting", type=int, help="a meeting's id: its period, title and date")
    parser.add_argument("--out", required=True, type=Path, help="the PDF to write")
    parser.add_argument("--xlsx", type=Path, help="also write the pack's tables as an Excel workbook")
    parser.add_argument("--issue", action="store_true",
                        help="issue the meeting first and keep this PDF as its papers")
    return parser


def _run(args: argparse.Namespace) -> str:
    if args.meeting is None and args.period is None:
        raise ValueError("Give --period or --meeting.")
    if args.issue and args.meeting is None:
        raise ValueError("--issue needs --meeting.")
    engine = get_engine(database_url())
    user = operator()
    if args.issue:
        kept = issue_with_papers(user, args.meeting, engine)
        args.out.write_bytes(kept.pdf)
        return (f"Meeting {args.meeting} issued; papers kept ({kept.pages} pages, SHA-256 "
                f"{kept.sha256}) and written to {args.out}.")
    pack = build_pack(args.pack, args.programme, args.period, args.meeting, engine)
    pdf = pack_pdf(pack)
    args.out.write_bytes(pdf)
    written = [str(args.out)]
    if args.xlsx:
        args.xlsx.write_bytes(pack_workbook(pack))
        written.append(str(args.xlsx))
    with engine.begin() as conn:
        audit.record(conn, actor=user.actor, role=user.role.label, action="download_pack",
                     programme=args.programme, detail=f"{args.pack} pack: {pack.title} (command line)")
    return f"{pack.context['pack_kind']} written to {' and '.join(written)}."


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return run_command(lambda: _run(args), (PackError, OSError))


if __name__ == "__main__":
    sys.exit(main())
