"""How fast are the KPI queries at scale? Prints timings; asserts nothing.

    python -m benchmarks.kpi_speed --cases 1000000 [--database-url URL]

Fills a throwaway database with a synthetic programme (cases, grants, survey answers, feedback in
proportion), rebuilds the summaries as a load would, then times what the pages ask for: one
period's KPIs by district, and twelve periods of history, each cold (new engine, empty cache) and
warm (cached). Rows are bulk-inserted directly: this measures the query layer, not the loader.
"""

from __future__ import annotations

import io
import os
import time
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Engine, insert

from benchmarks.common import arguments, empty_engine, median_time, print_timings
from dashboard.db import schema as s
from dashboard.db import summaries
from dashboard.db.engine import get_engine, reset_engines
from dashboard.figures.periods import parse_period
from dashboard.queries import cache
from dashboard.queries.board import HEADLINE_KPIS, kpi_history
from dashboard.queries.kpi_values import kpi_table

DISTRICTS = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta")
START = date(2015, 4, 1)
DAYS = 365 * 5


def _dates(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.datetime64(START) + rng.integers(0, DAYS, n).astype("timedelta64[D]")


def synthetic_frames(n_cases: int, district_ids: list[int], pid: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(42)
    referral = _dates(rng, n_cases)
    closed = referral + rng.gamma(3, 10, n_cases).astype("timedelta64[D]")
    still_open = closed > np.datetime64(START + timedelta(days=DAYS))
    cases = pd.DataFrame({
        "programme_id": pid,
        "district_id": rng.choice(district_ids, n_cases),
        "case_ref": [f"C{i}" for i in range(n_cases)],
        "referral_date": referral,
        "case_type": "Housing MOT",
        "worker_role": rng.choice(["HSC", "OT", "Technical Officer"], n_cases, p=[0.77, 0.15, 0.08]),
        "closed_date": np.where(still_open, np.datetime64("NaT"), closed),
        "outcome": np.where(still_open, "Open", "Completed"),
    })
    n_dfg = n_cases // 10
    enquiry = _dates(rng, n_dfg)
    application = enquiry + rng.integers(20, 90, n_dfg).astype("timedelta64[D]")
    completion = application + rng.gamma(4, 35, n_dfg).astype("timedelta64[D]")
    dfg = pd.DataFrame({
        "programme_id": pid,
        "district_id": rng.choice(district_ids, n_dfg),
        "dfg_ref": [f"D{i}" for i in range(n_dfg)],
        "enquiry_date": enquiry,
        "valid_application_date": application,
        "completion_date": completion,
        "grant_amount": rng.gamma(4, 1800, n_dfg).round(2),
        "status": "Completed",
    })
    n_answers = n_cases // 5
    satisfaction = pd.DataFrame({
        "programme_id": pid,
        "district_id": rng.choice(district_ids, n_answers),
        "response_ref": [f"S{i}" for i in range(n_answers)],
        "response_date": _dates(rng, n_answers),
        "theme": rng.choice(["Overall Experience", "Communication", "Reliability"], n_answers),
        "score": rng.choice([3, 4, 5], n_answers, p=[0.05, 0.25, 0.7]),
    })
    n_feedback = n_cases // 50
    feedback = pd.DataFrame({
        "programme_id": pid,
        "district_id": rng.choice(district_ids, n_feedback),
        "feedback_ref": [f"F{i}" for i in range(n_feedback)],
        "received_date": _dates(rng, n_feedback),
        "kind": rng.choice(["Compliment", "Complaint"], n_feedback, p=[0.7, 0.3]),
    })
    return {"cases": cases, "dfg": dfg, "satisfaction": satisfaction, "feedback": feedback}


def _bulk_insert(engine: Engine, table_name: str, frame: pd.DataFrame) -> None:
    if engine.dialect.name == "postgresql":
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, header=False, date_format="%Y-%m-%d")
        buffer.seek(0)
        raw = engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY {table_name} ({', '.join(frame.columns)}) FROM STDIN WITH CSV", buffer
                )
            raw.commit()
        finally:
            raw.close()
        return
    table = s.metadata.tables[table_name]
    records = frame.astype(object).where(frame.notna(), None)
    for column in records.columns:
        if column.endswith("_date"):
            records[column] = [None if v is None else pd.Timestamp(v).date()
                               for v in records[column]]
    rows = records.to_dict("records")
    with engine.begin() as conn:
        for start in range(0, len(rows), 50_000):
            conn.execute(insert(table), rows[start:start + 50_000])


def build(engine: Engine, n_cases: int) -> dict[str, float]:
    timings = {}
    with engine.begin() as conn:
        pid = conn.execute(insert(s.programmes).values(name="Benchmark",
                                                       created_at=datetime.now())).inserted_primary_key[0]
        ids = [conn.execute(insert(s.districts).values(programme_id=pid, name=n, code=n[:3].upper()))
               .inserted_primary_key[0] for n in DISTRICTS]
        conn.execute(insert(s.import_log).values(
            programme_id=pid, kind="benchmark", file_name="synthetic", sha256="-", rows_inserted=0,
            rows_updated=0, rows_unchanged=0, rows_rejected=0, loaded_at=datetime.now(),
            loaded_by="benchmark"))
    frames = synthetic_frames(n_cases, ids, pid)
    started = time.perf_counter()
    for name, frame in frames.items():
        _bulk_insert(engine, name, frame)
    timings["bulk insert of raw rows"] = time.perf_counter() - started
    started = time.perf_counter()
    with engine.begin() as conn:
        summaries.refresh_all(conn, pid)
    timings["summary rebuild (whole programme)"] = time.perf_counter() - started
    with engine.begin() as conn:
        started = time.perf_counter()
        summaries.refresh(conn, "cases", pid, [ids[0]])
        timings["summary rebuild (cases, one district)"] = time.perf_counter() - started
    return timings


def measure(url: str) -> dict[str, float]:
    os.environ["DATABASE_URL"] = url
    quarter = parse_period("2019/20-Q1")

    def cold_table() -> None:
        reset_engines()
        kpi_table(get_engine(url), "Benchmark", quarter, by_district=True)

    def cold_history() -> None:
        reset_engines()
        cache.clear()
        kpi_history("Benchmark", quarter.label, 11, HEADLINE_KPIS, None, False)

    def warm_history() -> None:
        kpi_history("Benchmark", quarter.label, 11, HEADLINE_KPIS, None, False)

    return {
        "every KPI, one quarter, by district (cold)": median_time(cold_table, 3),
        "12 quarters of headline KPIs (cold)": median_time(cold_history, 3),
        "12 quarters of headline KPIs (warm cache)": median_time(warm_history, 5),
    }


def main() -> None:
    cases, url = arguments(__doc__, "cases", 1_000_000)
    engine = empty_engine(url)
    print(f"Database: {engine.dialect.name}; cases: {cases:,} "
          f"(+ {cases // 10:,} grants, {cases // 5:,} survey answers, {cases // 50:,} feedback)")
    print_timings({**build(engine, cases), **measure(url)})


if __name__ == "__main__":
    main()
