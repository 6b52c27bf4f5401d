"""What every benchmark shares: its command line, a throwaway database, and a timing table."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable

from sqlalchemy import Engine

from dashboard.db.engine import get_engine


def arguments(doc: str, size_flag: str, default: int) -> tuple[int, str]:
    """(size, database URL): ``--database-url`` names an EMPTY database, else a temp SQLite."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument(f"--{size_flag}", type=int, default=default)
    parser.add_argument("--database-url", help="an EMPTY database to fill (default: temp SQLite)")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/benchmark.sqlite"
    return getattr(args, size_flag), url


def empty_engine(url: str) -> Engine:
    from data_loaders import is_empty

    engine = get_engine(url)
    if not is_empty(engine):
        raise SystemExit("The benchmark needs an empty database: it creates its own programmes.")
    return engine


def print_timings(results: dict[str, float], unit: str = "ms") -> None:
    width = max(map(len, results))
    for name, seconds in results.items():
        shown = f"{seconds * 1000:>9,.1f} ms" if unit == "ms" else f"{seconds:>6.2f} s"
        print(f"  {name:<{width}}  {shown}")


def median_time(call: Callable[[], object], repeat: int = 3) -> float:
    """Seconds ``call`` takes, the median of ``repeat`` runs."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
