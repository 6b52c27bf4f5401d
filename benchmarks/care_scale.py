"""Care at home at scale: the KPIs and the waiting-list series on a programme with many requests.

    python -m benchmarks.care_scale [--requests 1000000] [--database-url URL]

A synthetic care-at-home programme ("Benchmark care", 20 providers, ten years of monthly hours)
with ``--requests`` requests for care spread over the ten years, most started within weeks, some
still waiting, some ended. The rows are written straight into the tables (a million requests
through the loader would time the loader; ``benchmarks.load_scale`` does that for cases), then the
summaries are built as a load would leave them. Times are the median of three runs of the query
functions the page calls, uncached. Prints a table; asserts nothing.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, insert

from benchmarks.common import arguments, empty_engine, median_time, print_timings
from dashboard.db import schema as s
from dashboard.db.summaries import refresh_all
from dashboard.figures.periods import parse_period, ym_of
from dashboard.queries.care import care_kpis, waiting_series

PROGRAMME = "Benchmark care"
FIRST_DAY = date(2010, 4, 1)
DAYS = 3650
GROUPS = ("Older people", "Learning disability", "Physical disability", "Mental health")
BATCH = 50_000


def build(engine: Engine, requests: int) -> float:
    """Seconds to write the programme and build its summaries."""
    started = time.perf_counter()
    rng = random.Random(24)
    with engine.begin() as conn:
        pid = conn.execute(insert(s.programmes).values(name=PROGRAMME, created_at=datetime.now())
                           ).inserted_primary_key[0]
        import_id = conn.execute(insert(s.import_log).values(
            programme_id=pid, kind="care_requests", file_name="benchmark.csv", sha256="0" * 64,
            rows_inserted=requests, rows_updated=0, rows_unchanged=0, rows_rejected=0,
            loaded_at=datetime.now(), loaded_by="benchmark")).inserted_primary_key[0]
        providers = [f"Provider {n:02d}" for n in range(20)]
        conn.execute(insert(s.care_providers), [
            {"programme_id": pid, "provider": name, "framework": "Off framework" if n > 16 else "Framework",
             "regulator_id": None, "import_id": import_id} for n, name in enumerate(providers)])
        months = sorted({ym_of(FIRST_DAY + timedelta(days=d)) for d in range(0, DAYS, 27)})
        conn.execute(insert(s.care_hours), [
            {"programme_id": pid, "provider": name, "ym": ym, "client_group": group,
             "hours_commissioned_weekly": 300.0, "hours_delivered_weekly": 285.0, "spend": 20_000.0,
             "import_id": import_id}
            for ym in months for name in providers for group in GROUPS])
        rows = []
        for n in range(requests):
            requested = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
            wait = int(rng.expovariate(1 / 21))
            started_on = requested + timedelta(days=wait) if rng.random() > 0.03 else None
            ended = (started_on or requested) + timedelta(days=rng.randrange(30, 900)) \
                if rng.random() < 0.6 else None
            rows.append({"programme_id": pid, "request_ref": f"R{n:08d}", "client_group": rng.choice(GROUPS),
                         "request_date": requested, "hours_weekly": float(rng.randrange(2, 30)),
                         "service_start_date": started_on, "ended_date": ended, "import_id": import_id})
            if len(rows) == BATCH:
                conn.execute(insert(s.care_requests), rows)
                rows = []
        if rows:
            conn.execute(insert(s.care_requests), rows)
        refresh_all(conn, pid)
    return time.perf_counter() - started


def run(engine: Engine) -> dict[str, float]:
    month = parse_period("2019-08")
    year = parse_period("2019/20")
    today = date(2026, 1, 1)
    return {
        "care KPIs, a month": median_time(lambda: care_kpis(engine, PROGRAMME, month, today=today)),
        "care KPIs, a year by framework": median_time(
            lambda: care_kpis(engine, PROGRAMME, year, by_framework=True, today=today)),
        "waiting list, twelve months": median_time(lambda: waiting_series(engine, PROGRAMME, month, today)),
    }


def main() -> None:
    requests, url = arguments(__doc__, "requests", 1_000_000)
    engine = empty_engine(url)
    print(f"Building {requests:,} care requests ...", flush=True)
    print(f"  built in {build(engine, requests):,.1f} s")
    print_timings(run(engine))


if __name__ == "__main__":
    main()
