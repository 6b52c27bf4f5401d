"""``python -m dashboard.providers``: provider quality from CQC's files, for checking and scripts.

    python -m dashboard.providers mix --council Leicestershire [--as-at 2019-11-01]
        [--comparators "Devon;Suffolk"] --json
    python -m dashboard.providers changes --council Leicestershire --json

``--council`` is the local authority as CQC's file spells it (no set-up needed); ``--comparators``
overrides the group set up for the council. ``mix --json`` prints a list of objects with group
(council, comparators, england), service (all, care_home, community), rating, count and percent (of
that group and service, one decimal). ``changes --json`` prints improved, declined, newly_rated and
closed between the newest two directory snapshots (or ``--before`` and ``--after``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from dashboard.cli.run import iso_day, run_command
from dashboard.figures.vocabulary import CQC_SERVICES
from dashboard.queries.providers import NoSnapshot, rating_changes, rating_mix


def _names(text: str) -> tuple[str, ...]:
    return tuple(" ".join(name.split()) for name in text.split(";") if name.strip())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.providers",
                                     description="Provider quality from CQC's care directory files.")
    commands = parser.add_subparsers(dest="command", required=True)
    mix = commands.add_parser("mix", help="the rating mix of the council, its comparators and England")
    mix.add_argument("--as-at", type=iso_day, help="the newest snapshot on or before this date (YYYY-MM-DD)")
    mix.add_argument("--comparators", type=_names, help="comparator councils, separated by ';'")
    changes = commands.add_parser("changes", help="what changed between two directory snapshots")
    changes.add_argument("--before", type=iso_day,
                         help="the earlier snapshot (default: the one before --after)")
    changes.add_argument("--after", type=iso_day, help="the later snapshot (default: the newest)")
    for sub in (mix, changes):
        sub.add_argument("--council", required=True, help="local authority, as CQC spells it")
        sub.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _mix_text(frame: object, council: str) -> str:
    lines = []
    for (group, service), rows in frame.groupby(["group", "service"], sort=False):  # type: ignore[attr-defined]
        label = {"council": council, "comparators": "Comparators", "england": "England"}[group]
        parts = ", ".join(f"{r.rating} {r.count:,} ({r.percent:.1f}%)" for r in rows.itertuples())
        lines.append(f"{label}, {CQC_SERVICES[service].lower()}: {parts}")
    return "\n".join(lines)


def _changes_text(found: dict[str, list[dict]]) -> str:
    lines = []
    for what, items in found.items():
        lines.append(f"{what.replace('_', ' ').capitalize()}: {len(items)}")
        lines += [f"  {i['location_id']} {i['name']}: {i['before'] or '-'} -> {i['after'] or '-'}"
                  for i in items]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)

    def run() -> str:
        if args.command == "mix":
            frame = rating_mix(args.council, args.as_at, args.comparators)
            return json.dumps(frame.to_dict("records")) if args.json else _mix_text(frame, args.council)
        found = rating_changes(args.council, args.before, args.after)
        return json.dumps(found) if args.json else _changes_text(found)

    return run_command(run, expected=(NoSnapshot,))


if __name__ == "__main__":
    sys.exit(main())
