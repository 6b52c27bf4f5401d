"""How long does a large return take to check and load, and how much memory? Prints; asserts nothing.

    python -m benchmarks.return_check --rows 100000 [--format xlsx] [--database-url URL]

Seeds the sample data into a throwaway database, then times a cases return of ``--rows`` rows
(in the format partners send: UK dates, district names and aliases): the check and preview the
Returns page shows, the load (which checks the file again: a preview keeps only its first rows),
and a second check of the same file (everything unchanged). Then, traced with tracemalloc (so
slower, and timed apart): the peak memory of the check, and what the plan keeps afterwards — the
preview the page holds between clicks, and the full plan the command line loads from.
Over the row limit (DASHBOARD_MAX_RETURN_ROWS, default 200,000) the file is refused, and the
benchmark times that instead; raise DASHBOARD_MAX_UPLOAD_MB for files over 25 MB.
"""

from __future__ import annotations

import argparse
import gc
import io
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime, timedelta

from benchmarks.common import empty_engine, print_timings
from data_loaders import LoadPlan, apply_plan, plan_load, seed

DISTRICTS = ("Blaby", "Charnwood", "harborough", "H&B", "Melton", "NWL", "Oadby and Wigston")
HEADER = ("case_ref,district,referral_date,referral_source,case_type,worker_role,closed_date,"
          "outcome,referrals_out")


def _cases(rows: int) -> list[tuple[str, str, date, date]]:
    rng = random.Random(7)
    cases = []
    for i in range(rows):
        referral = date(2019, 4, 1) + timedelta(days=rng.randint(0, 300))
        cases.append((f"BENCH-{i:07d}", rng.choice(DISTRICTS), referral,
                      referral + timedelta(days=rng.randint(1, 60))))
    return cases


def cases_return(rows: int) -> bytes:
    lines = [HEADER]
    for ref, district, referral, closed in _cases(rows):
        lines.append(f"{ref},{district},{referral:%d/%m/%Y},GP,Housing MOT,HSC,{closed:%d/%m/%Y},"
                     "Completed,OT; Adaptations")
    return ("\n".join(lines) + "\n").encode()


def cases_workbook(rows: int) -> bytes:
    """The same return as an .xlsx with real date cells, as Excel users send it."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("cases")
    sheet.append(HEADER.split(","))
    for ref, district, referral, closed in _cases(rows):
        sheet.append([ref, district, datetime.combine(referral, datetime.min.time()), "GP",
                      "Housing MOT", "HSC", datetime.combine(closed, datetime.min.time()),
                      "Completed", "OT; Adaptations"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def traced(action: Callable[[], LoadPlan]) -> tuple[LoadPlan, float, float]:
    """(plan, peak MB while planning, MB the plan keeps), from Python's own allocations."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    plan = action()
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return plan, (peak - before) / 1048576, (kept - before) / 1048576


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--database-url", help="an EMPTY database to fill (default: temp SQLite)")
    args = parser.parse_args()
    engine = empty_engine(args.database_url or f"sqlite:///{tempfile.mkdtemp()}/benchmark.sqlite")
    seed(engine)
    content = cases_return(args.rows) if args.format == "csv" else cases_workbook(args.rows)
    name = f"big.{args.format}"
    timings = {}
    started = time.perf_counter()
    preview = plan_load(engine, "Lightbulb", name, content, preview_only=True)
    timings["check and preview (validate every row, compare with the database)"] = (
        time.perf_counter() - started)
    print(f"Database: {engine.dialect.name}; return: {args.rows:,} cases rows as "
          f"{args.format.upper()}, {len(content) / 1048576:.1f} MB")
    if not preview.ok:
        print(f"  refused: {preview.problems[0].reason}")
        print_timings(timings, unit="s")
        return
    _, peak, kept_preview = traced(
        lambda: plan_load(engine, "Lightbulb", name, content, preview_only=True))
    _, _, kept_full = traced(lambda: plan_load(engine, "Lightbulb", name, content))
    started = time.perf_counter()
    apply_plan(engine, preview, "benchmark")
    timings["load in one transaction (check again; rows, list items, summaries, log)"] = (
        time.perf_counter() - started)
    started = time.perf_counter()
    again = plan_load(engine, "Lightbulb", name, content, preview_only=True)
    timings["check the same file again (all unchanged)"] = time.perf_counter() - started
    print(f"  second check: {again.unchanged:,} unchanged")
    print_timings(timings, unit="s")
    print(f"  peak memory while checking (Python allocations): {peak:,.0f} MB; kept afterwards by "
          f"the preview: {kept_preview:,.1f} MB (its first {len(preview.records)} records; the "
          f"file is the uploader's), by a full plan: {kept_full:,.0f} MB")


if __name__ == "__main__":
    main()
