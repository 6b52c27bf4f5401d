"""How long does a large return take to check and load? Prints timings; asserts nothing.

    python -m benchmarks.return_check --rows 100000 [--database-url URL]

Seeds the sample data into a throwaway database, then times a cases return of ``--rows`` rows
(in the format partners send: UK dates, district names and aliases): the check and preview the
Returns page shows, the load, and a second check of the same file (everything unchanged).
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from benchmarks.common import arguments, empty_engine, print_timings
from data_loaders import apply_plan, plan_load, seed

DISTRICTS = ("Blaby", "Charnwood", "harborough", "H&B", "Melton", "NWL", "Oadby and Wigston")


def cases_return(rows: int) -> bytes:
    rng = random.Random(7)
    lines = ["case_ref,district,referral_date,referral_source,case_type,worker_role,closed_date,"
             "outcome,referrals_out"]
    for i in range(rows):
        referral = date(2019, 4, 1) + timedelta(days=rng.randint(0, 300))
        closed = referral + timedelta(days=rng.randint(1, 60))
        lines.append(f"BENCH-{i:07d},{rng.choice(DISTRICTS)},{referral:%d/%m/%Y},GP,Housing MOT,"
                     f"HSC,{closed:%d/%m/%Y},Completed,OT; Adaptations")
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    rows, url = arguments(__doc__, "rows", 100_000)
    engine = empty_engine(url)
    seed(engine)
    content = cases_return(rows)
    timings = {}
    started = time.perf_counter()
    plan = plan_load(engine, "Lightbulb", "big.csv", content)
    timings["check and preview (validate every row, compare with the database)"] = (
        time.perf_counter() - started)
    assert plan.ok, plan.problems[:3]
    started = time.perf_counter()
    apply_plan(engine, plan, "benchmark")
    timings["load in one transaction (rows, list items, summaries, log)"] = (
        time.perf_counter() - started)
    started = time.perf_counter()
    again = plan_load(engine, "Lightbulb", "big.csv", content)
    timings["check the same file again (all unchanged)"] = time.perf_counter() - started
    print(f"Database: {engine.dialect.name}; return: {rows:,} cases rows, "
          f"{len(content) / 1048576:.1f} MB; second check: {again.unchanged:,} unchanged")
    print_timings(timings, unit="s")


if __name__ == "__main__":
    main()
