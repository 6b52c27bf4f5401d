"""How long does a board pack take for the sample data? Prints timings; asserts nothing.

    python -m benchmarks.pack_speed [--runs 3] [--database-url URL]

Seeds the built-in sample data into a throwaway database (or an EMPTY one named), then makes the
board pack and the scrutiny pack for the newest quarter, end to end: figures, charts drawn by
Chromium (one browser per pack), layout to PDF. The first make draws every chart; a chart drawn
before is kept by its figure, so later makes from the same data start no browser: both are shown.
"""

from __future__ import annotations

import statistics
import time

from benchmarks.common import arguments, empty_engine, print_timings
from dashboard.packs.make import build_pack, pack_pdf, pack_workbook
from data_loaders.seed import seed

PERIOD = "2019/20-Q4"


def main() -> None:
    runs, url = arguments(__doc__, "runs", 3)
    engine = empty_engine(url)
    seed(engine)
    results: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    for _ in range(runs):
        for kind in ("board", "scrutiny"):
            started = time.perf_counter()
            pack = build_pack(kind, "Lightbulb", PERIOD, engine=engine)
            built = time.perf_counter()
            pdf = pack_pdf(pack)
            done = time.perf_counter()
            pack_workbook(pack)
            results.setdefault(f"{kind} pack: figures", []).append(built - started)
            results.setdefault(f"{kind} pack: charts and PDF", []).append(done - built)
            results.setdefault(f"{kind} pack: total", []).append(done - started)
            sizes[kind] = len(pdf)
            results.setdefault(f"{kind} pack: Excel workbook", []).append(time.perf_counter() - done)
    print(f"Sample data, {PERIOD}: the first make, then the median of the {runs - 1} after it")
    print_timings({f"{name}, {which}": value for name, times in results.items()
                   for which, value in (("first", times[0]),
                                        ("again", statistics.median(times[1:] or times)))},
                  unit="s")
    print("  PDF sizes: " + ", ".join(f"{kind} {size / 1024:,.0f} KB" for kind, size in sizes.items()))


if __name__ == "__main__":
    main()
