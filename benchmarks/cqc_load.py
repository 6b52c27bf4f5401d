"""How long does a national CQC file take to load, and how much memory? Prints; asserts nothing.

    python -m benchmarks.cqc_load --locations 50000 [--ratings-rows 300000] [--database-url URL]

Writes a synthetic national care directory of ``--locations`` rows in CQC's format (.ods, notices
above the header, 22 columns) and a Latest ratings file of ``--ratings-rows`` rows, then loads each
in a child process, as ``python -m data_loaders load`` does: the time from the file's bytes to its
commit (detect the kind, stream the rows counting repeats, check every row, write, settle the
service-level ratings, count the mix, audit), and the child's peak resident memory. The same
directory loaded again is timed too (nothing changes: the file is recognised by its SHA-256).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sample_data.generate_providers import COMMUNITY_CATEGORY, HEADER, REGION_OF, location_row
from sample_data.ods_file import ods_bytes

ROOT = Path(__file__).resolve().parents[1]
RATINGS_HEADER = ["Location ID", "Location ODS Code", "Location Name", "Service / Population Group", "Domain",
                  "Latest Rating", "Publication Date", "Report Type", "Inherited Rating (Y/N)", "URL",
                  "Provider ID", "Provider Name"]
# The loader's own command, reporting its peak memory itself from /proc (VmHWM, which starts again
# at exec): ru_maxrss would keep the parent's pages counted at the fork (the files written above).
LOAD = ("import re, sys\nfrom data_loaders.cli import main\ncode = main(['load', sys.argv[1]])\n"
        "status = open('/proc/self/status').read()\n"
        "print('peak_kb=' + re.search(r'VmHWM:\\s+(\\d+)', status)[1], file=sys.stderr)\nsys.exit(code)")
RATINGS = ("Outstanding", "Good", "Good", "Good", "Requires improvement", "Inadequate", "")


def directory(locations: int) -> tuple[bytes, list[dict]]:
    rng = random.Random(50_000)
    councils = sorted(REGION_OF)
    rows = []
    for serial in range(1, locations + 1):
        service = "care_home" if rng.random() < 0.55 else "community"
        rating = rng.choice(RATINGS)
        published = date(2016 + rng.randrange(4), 1 + rng.randrange(12), 1) if rating else None
        rows.append(location_row(rng, rng.choice(councils), service, rating, published, serial))
    notices = [["Care Quality Commission: active locations (synthetic, for a benchmark)"], [], [], []]
    body = [[r.get(h, "") for h in HEADER] for r in rows]
    return ods_bytes({"HSCA_Active_Locations": [*notices, HEADER, *body]}), rows


def ratings(rows: list[dict], wanted: int) -> bytes:
    rng = random.Random(300_000)
    out = []
    domains = ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led")
    while len(out) < wanted:
        for row in rows:
            rating = row["Location Latest Overall Rating"] or "Good"
            for domain in domains:
                out.append([row["Location ID"], row["Location ODS Code"], row["Location Name"],
                            COMMUNITY_CATEGORY if row["Care home?"] == "N" else "Overall", domain,
                            rating if domain == "Overall" else rng.choice(RATINGS[:5]),
                            row["Publication Date"] or date(2019, 1, 1), "Location", "N", "",
                            row["Provider ID"], row["Provider Name"]])
                if len(out) >= wanted:
                    break
            if len(out) >= wanted:
                break
    return ods_bytes({"Locations": [RATINGS_HEADER, *out]})


def _load(path: Path, url: str) -> tuple[float, float, str]:
    """(seconds, peak MB of the child process, what the loader printed)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", LOAD, str(path)], cwd=ROOT,
                          env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(done.stdout + done.stderr)
    peak = int(done.stderr.strip().splitlines()[-1].removeprefix("peak_kb="))
    return seconds, peak / 1024, done.stdout.strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--locations", type=int, default=50_000)
    parser.add_argument("--ratings-rows", type=int, default=300_000)
    parser.add_argument("--database-url", help="an EMPTY database to fill (default: temp SQLite)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{folder / 'benchmark.sqlite'}"
    made = time.perf_counter()
    content, rows = directory(args.locations)
    path = folder / "01_November_2019_HSCA_Active_Locations.ods"
    path.write_bytes(content)
    ratings_path = folder / "01_November_2019_Latest_ratings.ods"
    ratings_path.write_bytes(ratings(rows, args.ratings_rows))
    print(f"Files written in {time.perf_counter() - made:.1f} s: directory {len(content) / 1e6:.1f} MB "
          f"({args.locations:,} locations), ratings {ratings_path.stat().st_size / 1e6:.1f} MB "
          f"({args.ratings_rows:,} rows); database {url.split('@')[-1]}")
    for label, target in (("directory", path), ("ratings", ratings_path), ("directory again", path)):
        seconds, peak, said = _load(target, url)
        print(f"  {label:<16} {seconds:6.1f} s   peak {peak:6.0f} MB   {said}")


if __name__ == "__main__":
    main()
