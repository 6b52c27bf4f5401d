"""Print any KPI table: ``python -m dashboard.kpi_cli --programme NAME --period 2019/20-Q1``.

The same figures the dashboard shows, for checking, scripting and board papers. ``--json`` prints
one JSON list of objects with kpi, period, district (null for the programme), value (null with no
data), target and rag. ``--public`` prints what the public may see (``dashboard.access.public_figures``):
suppressed figures are ``*`` in the table, and in JSON ``null`` with ``"suppressed": true``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard.access.public_figures import footnote, suppressed_mask
from dashboard.db.engine import DatabaseUnavailable, database_url, describe, get_engine, scrub
from dashboard.db.programmes import find_programme, programme_family
from dashboard.figures.format import format_value
from dashboard.figures.periods import Period, parse_period
from dashboard.queries.care import care_kpis
from dashboard.queries.kpi_values import kpi_table
from dashboard.queries.programmes import UnknownProgramme
from dashboard.queries.published import public_kpis
from dashboard.queries.registry import CARE_KPI_IDS, KPI_IDS

RAG_LABELS = {"green": "GREEN", "amber": "AMBER", "red": "RED", "grey": "-"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard.kpi_cli", description=__doc__.split("\n")[0])
    parser.add_argument("--programme", required=True, help="programme name, e.g. Lightbulb")
    parser.add_argument("--period", required=True,
                        help="2019/20 (financial year), 2019/20-Q1 (Apr-Jun) or 2019-06 (month)")
    parser.add_argument("--by", choices=["district", "framework"],
                        help="also one row per district (a care-at-home programme: per framework)")
    parser.add_argument("--kpi", action="append", choices=(*KPI_IDS, *CARE_KPI_IDS), metavar="KPI",
                        help="only this KPI (repeatable); default: all")
    parser.add_argument("--district", action="append", metavar="NAME_OR_CODE",
                        help="only these districts (repeatable)")
    parser.add_argument("--worker-role", help="case KPIs for one worker role (HSC, OT, ...)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--public", action="store_true",
                        help="apply the public-figures rules: below programme level, small counts "
                        "and figures on small bases suppressed, other counts rounded")
    return parser


def _clean(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def as_json(table: pd.DataFrame) -> str:
    """A protected table's records also say whether each figure is suppressed."""
    records = []
    for row in table.to_dict("records"):
        record = {
            "kpi": row["kpi"],
            "period": row["period"],
            "district": _clean(row.get("district")),
            "value": _clean(row["value"]),
            "target": _clean(row["target"]),
            "rag": row["rag"],
        }
        if "framework" in row:
            record["framework"] = _clean(row["framework"])
        if "suppressed" in row:
            record["suppressed"] = bool(row["suppressed"])
        records.append(record)
    return json.dumps(records, indent=2)


def as_text(table: pd.DataFrame) -> str:
    hidden = suppressed_mask(table)
    shown = pd.DataFrame({
        "KPI": table["name"],
        "Area": _areas(table),
        "Value": [format_value(v, u, suppressed=s) for v, u, s in
                  zip(table["value"], table["unit"], hidden, strict=True)],
        "Target": [format_value(v, u) for v, u in zip(table["target"], table["unit"], strict=True)],
        "RAG": table["rag"].map(RAG_LABELS),
    })
    period = table["period"].iloc[0] if len(table) else ""
    return f"Period {period}\n" + shown.to_string(index=False)


def _areas(table: pd.DataFrame) -> pd.Series:
    """The programme, a district or a framework, as each row is."""
    area = table["framework"] if "framework" in table else table["district"]
    return area.where(area.notna(), "Programme")


def _care_table(engine: Engine, args: argparse.Namespace, period: Period) -> pd.DataFrame | None:
    """A care-at-home programme's KPIs (None for a programme of another kind)."""
    with engine.connect() as conn:
        found = find_programme(conn, args.programme)
        if found is None or programme_family(conn, found[0]) != "care":
            return None
    if args.by == "district" or args.district or args.worker_role:
        raise ValueError("a care-at-home programme has no districts or worker roles: use --by framework")
    wanted = [k for k in args.kpi or () if k in CARE_KPI_IDS] or None
    return care_kpis(engine, args.programme, period, by_framework=args.by == "framework", kpi_ids=wanted)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        period = parse_period(args.period)
        engine = get_engine(database_url())
        by_district = args.by == "district"
        note = ""
        care = _care_table(engine, args, period)
        if care is not None:
            table = care
        elif args.by == "framework":
            raise ValueError("--by framework is for a care-at-home programme; this one has districts")
        elif args.public:
            if args.worker_role is not None:
                raise ValueError("--worker-role cannot be used with --public: the public sees the "
                                 "programme or one district, never a slice of it by worker role.")
            table = public_kpis(engine, args.programme, [period], args.kpi, args.district, by_district)
            note = f"\n\n* {footnote()}"
        else:
            table = kpi_table(engine, args.programme, period, kpi_ids=args.kpi,
                              districts=args.district, by_district=by_district,
                              worker_role=args.worker_role)
    except (ValueError, UnknownProgramme, DatabaseUnavailable) as error:
        print(f"error: {scrub(error)}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:  # down or not answering after the start: one line, exit 2
        reason = scrub(getattr(error, "orig", None) or error).rstrip(".")
        print(f"error: the database at {describe(database_url())} failed: {reason}.", file=sys.stderr)
        return 2
    print(as_json(table) if args.json else as_text(table) + note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
