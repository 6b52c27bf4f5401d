"""Does a load cost the same whatever is already loaded? Builds a programme through the product's own
loader, the way a council would, and prints each load's time; asserts nothing.

    python -m benchmarks.load_scale --cases 1000000 [--return-rows 100000] [--database-url URL]

A districts file creates the programme "Benchmark" (seven districts); then cases returns of
``--return-rows`` rows each (every district, five years of referrals, list items) are checked and
loaded one after another until ``--cases`` are in, with grants, survey answers and feedback in
proportion (a tenth, a fifth, a fiftieth) loaded the same way. Each load is timed from the file's
bytes to the commit (check, compare, write, summaries, checks, audit). Last, a one-district monthly
return (about 1,500 rows: a thousand stored cases closed, five hundred new) is loaded into the full
programme.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from benchmarks.common import empty_engine
from data_loaders import apply_plan, plan_load

PROGRAMME = "Benchmark"
DISTRICTS = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta")
FIRST_DAY = date(2015, 4, 1)
DAYS = 365 * 5
LAST_DAY = FIRST_DAY + timedelta(days=DAYS + 120)
CASE_HEADER = ("case_ref,district,referral_date,referral_source,case_type,worker_role,closed_date,"
               "outcome,referrals_out")
SOURCES = ("GP", "Hospital", "Self", "Family or carer", "Customer Service Centre")
ROLES = ("HSC", "HSC", "HSC", "OT", "Technical Officer")
REFERRALS_OUT = ("OT", "Adaptations", "NRS/Equipment", "Assistive Technology")
MONTHLY_ROWS = 1_500


@dataclass(frozen=True)
class Load:
    """One timed load: what it was, how many rows were already in its table, and its seconds."""

    name: str
    rows: int
    rows_before: int
    seconds: float


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange(DAYS))


def _uk(day: date | None) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


def _case_line(rng: random.Random, number: int, district: str | None = None) -> str:
    referral = _day(rng)
    closed = referral + timedelta(days=int(rng.gammavariate(3, 10)) + 1)
    still_open = closed > LAST_DAY - timedelta(days=120)
    items = "; ".join(rng.sample(REFERRALS_OUT, rng.randint(0, 2)))
    return (f"SC-{number:08d},{district or rng.choice(DISTRICTS)},{_uk(referral)},"
            f"{rng.choice(SOURCES)},Housing MOT,{rng.choice(ROLES)},"
            f"{'' if still_open else _uk(closed)},{'Open' if still_open else 'Completed'},{items}")


def _csv(header: str, lines: list[str]) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def cases_file(first: int, rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return _csv(CASE_HEADER, [_case_line(rng, n) for n in range(first, first + rows)])


def dfg_file(first: int, rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = []
    for n in range(first, first + rows):
        enquiry = _day(rng)
        application = enquiry + timedelta(days=rng.randint(20, 90))
        completion = application + timedelta(days=int(rng.gammavariate(4, 35)) + 1)
        lines.append(f"SD-{n:08d},{rng.choice(DISTRICTS)},{_uk(enquiry)},{_uk(application)},"
                     f"{_uk(completion)},{rng.gammavariate(4, 1800):.2f},Completed")
    return _csv("dfg_ref,district,enquiry_date,valid_application_date,completion_date,"
                "grant_amount,status", lines)


def satisfaction_file(first: int, rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    themes = ("Overall Experience", "Communication", "Reliability")
    return _csv("response_ref,district,response_date,theme,score", [
        f"SS-{n:08d},{rng.choice(DISTRICTS)},{_uk(_day(rng))},{rng.choice(themes)},"
        f"{rng.choices((3, 4, 5), (5, 25, 70))[0]}" for n in range(first, first + rows)])


def feedback_file(first: int, rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return _csv("feedback_ref,district,received_date,kind", [
        f"SF-{n:08d},{rng.choice(DISTRICTS)},{_uk(_day(rng))},"
        f"{rng.choices(('Compliment', 'Complaint'), (7, 3))[0]}" for n in range(first, first + rows)])


def monthly_return(cases: int, seed: int = 99) -> bytes:
    """One district's month, as a partner sends it: a thousand of its open cases closed (same
    references, now completed) and five hundred new ones."""
    rng = random.Random(seed)
    lines: list[str] = []
    wanted = MONTHLY_ROWS - 500
    # The returns loaded earlier, made again from their seeds, to find the district's open cases.
    for first in range(0, cases, 100_000):
        again = random.Random(first)
        for n in range(first, min(first + 100_000, cases)):
            fields = _case_line(again, n).split(",")
            if fields[1] == DISTRICTS[0] and fields[7] == "Open" and len(lines) < wanted:
                fields[6], fields[7] = _uk(LAST_DAY - timedelta(days=1)), "Completed"
                lines.append(",".join(fields))
        if len(lines) >= wanted:
            break
    lines += [_case_line(rng, cases + 10_000_000 + n, DISTRICTS[0]) for n in range(500)]
    return _csv(CASE_HEADER, lines)


def _districts_file() -> bytes:
    return _csv("district,code", [f"{name},{name[:3].upper()}" for name in DISTRICTS])


def timed_load(engine: Engine, name: str, content: bytes) -> float:
    """Seconds from the file's bytes to its commit, through the loader as the command line runs it."""
    started = time.perf_counter()
    plan = plan_load(engine, PROGRAMME, name, content, compare_rows=False)
    apply_plan(engine, plan, "benchmark")
    return time.perf_counter() - started


def _batches(total: int, size: int) -> Iterator[tuple[int, int]]:
    for first in range(0, total, size):
        yield first, min(size, total - first)


def build(engine: Engine, cases: int, return_rows: int = 100_000,
          report: Callable[[Load], None] = lambda load: None) -> list[Load]:
    """Fill an empty database through the loader; ``report`` hears of each load as it ends."""
    loads: list[Load] = []

    def load(name: str, content: bytes, rows: int, rows_before: int) -> None:
        loads.append(Load(name, rows, rows_before, timed_load(engine, name, content)))
        report(loads[-1])

    load("districts.csv", _districts_file(), len(DISTRICTS), 0)
    kinds: tuple[tuple[str, Callable[[int, int, int], bytes], int], ...] = (
        ("cases", cases_file, cases), ("dfg", dfg_file, cases // 10),
        ("satisfaction", satisfaction_file, cases // 5), ("feedback", feedback_file, cases // 50))
    for kind, make, total in kinds:
        for first, rows in _batches(total, return_rows):
            load(f"{kind}-{first // return_rows + 1:03d}.csv", make(first, rows, first), rows, first)
    monthly = monthly_return(cases)
    load("cases-monthly-one-district.csv", monthly, monthly.count(b"\n") - 1, cases)
    return loads


def print_load(load: Load) -> None:
    print(f"  {load.name:<34} {load.rows:>9,} rows onto {load.rows_before:>11,}  "
          f"{load.seconds:>7.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--return-rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="an EMPTY database to fill (default: temp SQLite)")
    args = parser.parse_args()
    engine = empty_engine(args.database_url or f"sqlite:///{tempfile.mkdtemp()}/benchmark.sqlite")
    print(f"Database: {engine.dialect.name}; building {args.cases:,} cases through the loader in "
          f"returns of {args.return_rows:,} rows")
    started = time.perf_counter()
    build(engine, args.cases, args.return_rows, print_load)
    print(f"  built in {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()
