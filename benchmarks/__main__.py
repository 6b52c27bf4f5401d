"""The speed table in one command: loads, pages, the KPI layer against its floors, and a return's
check and load, on SQLite and (given ``--database-url``) PostgreSQL. Prints it and writes it as
JSON; asserts nothing.

    python -m benchmarks [--cases 1000000] [--return-rows 100000] [--database-url URL] [--json FILE]

Each database is filled the way a council fills it: a synthetic programme ("Benchmark", seven
districts) loaded through the product's own loader in returns of ``--return-rows`` rows, cases then
grants, survey answers and feedback in proportion, and last a one-district monthly return of about
1,500 rows (``benchmarks.load_scale``); each load's time is printed as it ends, so growth shows.
Pages are opened through Streamlit's AppTest from the entry file, cold (caches cleared) and warm,
median of three. The KPI layer reads two KPIs by district for a quarter; its floors are the same
grouping over the raw rows read whole into pandas (the naive way) and, if installed, in DuckDB.
A cases return of ``--return-rows`` rows onto the sample Lightbulb programme is checked and loaded."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, text

from benchmarks.common import empty_engine, median_time
from benchmarks.load_scale import build, print_load
from benchmarks.return_check import cases_return
from dashboard.db.engine import get_engine, reset_engines
from dashboard.db.programmes import programme_names
from dashboard.figures.periods import parse_period
from dashboard.queries import cache
from dashboard.queries.councils import council_names
from dashboard.queries.kpi_values import kpi_table
from dashboard.ui.navigation import PAGES
from data_loaders import apply_plan, plan_load, seed

QUARTER = "2019/20-Q1"
TWO_KPIS = ["cases_completed", "avg_days_to_complete"]
RAW = "SELECT district_id, referral_date, closed_date, outcome FROM cases"
ENTRY = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def _pages(url: str) -> dict[str, float]:
    """Every page through AppTest, cold and warm (local mode: the administrator sees them all)."""
    from streamlit.testing.v1 import AppTest

    os.environ["DATABASE_URL"] = url
    programme = {"programme": "Benchmark", "grain": "Quarter", "period_quarter": "2019/20 Q1"}
    # Council pages on the sample's council, in the year its CQC files fall in.
    council = {"council": "Leicestershire", "grain": "Year", "period_year": "2019/20"}
    has_council = "Leicestershire" in council_names.__wrapped__(get_engine(url))
    # A savings or care-at-home programme's pages on the sample's own, where it is loaded.
    others = {"savings": {"council": "Leicestershire", "programme": "Target Operating Model",
                          "grain": "Quarter", "period_quarter": "2019/20 Q2"},
              "care": {"council": "East Lothian", "programme": "East Lothian care at home",
                       "grain": "Month", "period_month": "Aug 2016"}}
    loaded = set(programme_names(get_engine(url)))

    def open_page(page: str, params: dict[str, str]) -> None:
        at = AppTest.from_file(ENTRY, default_timeout=120)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(f"dashboard/pages/{page}.py")
        at.run()
        if at.exception:
            raise RuntimeError(f"{page}: {at.exception[0].value}")

    results = {}
    for spec in PAGES:
        if spec.scope == "council" and not has_council:
            continue
        params = council if spec.scope == "council" else programme
        if spec.scope == "programme" and "housing" not in spec.families:
            params = others[spec.families[0]]
            if params["programme"] not in loaded:
                continue

        def cold(page: str = spec.file, params: dict[str, str] = params) -> None:
            cache.clear()
            open_page(page, params)
        results[f"page {spec.title}: cold"] = median_time(cold)
        results[f"page {spec.title}: warm"] = median_time(lambda page=spec.file, p=params: open_page(page, p))
    return results


def _kpi_layer(engine: Engine, url: str) -> dict[str, float]:
    quarter = parse_period(QUARTER)

    def layer() -> None:
        reset_engines()
        kpi_table(get_engine(url), "Benchmark", quarter, kpi_ids=TWO_KPIS, by_district=True)

    def naive() -> None:  # every raw row into pandas, then group
        with engine.connect() as conn:
            cases = pd.read_sql(text(RAW), conn)
        closed = pd.to_datetime(cases["closed_date"])
        in_quarter = closed.between(quarter.start.isoformat(), quarter.end.isoformat())
        done = cases[(cases["outcome"] == "Completed") & in_quarter]
        days = (pd.to_datetime(done["closed_date"]) - pd.to_datetime(done["referral_date"])).dt.days
        done.assign(days=days).groupby("district_id")["days"].agg(["count", "mean"])

    results = {"KPI layer: two KPIs by district, one quarter (cold)": median_time(layer, 5),
               "naive: raw rows into pandas, grouped": median_time(naive)}
    try:
        import duckdb
    except ImportError:
        return results
    with engine.connect() as conn:
        raw = pd.read_sql(text(RAW), conn)
    raw["referral_date"] = pd.to_datetime(raw["referral_date"])
    raw["closed_date"] = pd.to_datetime(raw["closed_date"])
    database = duckdb.connect()
    database.register("cases", raw)
    query = ("SELECT district_id, count(*), avg(date_diff('day', referral_date, closed_date)) "
             f"FROM cases WHERE outcome = 'Completed' AND closed_date BETWEEN '{quarter.start}' "
             f"AND '{quarter.end}' GROUP BY district_id")
    results["DuckDB floor: the same grouping of the raw rows in memory"] = median_time(
        lambda: database.execute(query).fetchall(), 5)
    return results


def _return(url: str, rows: int) -> dict[str, float]:
    """A cases return onto the sample Lightbulb programme, in a database of its own."""
    engine = get_engine(url)
    seed(engine)
    content = cases_return(rows)
    started = time.perf_counter()
    plan = plan_load(engine, "Lightbulb", "cases.csv", content)
    checked = time.perf_counter() - started
    started = time.perf_counter()
    apply_plan(engine, plan)
    return {f"return of {rows:,} cases rows: check": checked,
            f"return of {rows:,} cases rows: load": time.perf_counter() - started}


def _build(engine: Engine, cases: int, return_rows: int) -> dict[str, float]:
    """The programme loaded through the loader, each load's time printed as it ends."""
    started = time.perf_counter()
    loads = build(engine, cases, return_rows, print_load)
    results = {f"load {load.name}: {load.rows:,} rows onto {load.rows_before:,}": load.seconds
               for load in loads}
    results[f"programme of {cases:,} cases built through the loader"] = time.perf_counter() - started
    return results


def run(url: str, cases: int, return_rows: int, return_url: str | None) -> dict[str, float]:
    engine = empty_engine(url)
    print(f"{engine.dialect.name}: building {cases:,} cases through the loader", flush=True)
    results = _build(engine, cases, return_rows)
    results.update(_kpi_layer(engine, url))
    results.update(_pages(url))
    if return_url is not None:
        results.update(_return(return_url, return_rows))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--return-rows", type=int, default=100_000)
    parser.add_argument("--database-url", help="an EMPTY PostgreSQL database to run on as well")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    report: dict[str, dict[str, float]] = {
        "sqlite": run(f"sqlite:///{folder}/benchmark.sqlite", args.cases, args.return_rows,
                      f"sqlite:///{folder}/returns.sqlite")}
    if args.database_url:
        report["postgresql"] = run(args.database_url, args.cases, args.return_rows, None)
    names = list(dict.fromkeys(name for results in report.values() for name in results))
    width = max(map(len, names))
    print(f"{args.cases:,} cases (+ {args.cases // 10:,} grants, {args.cases // 5:,} survey answers, "
          f"{args.cases // 50:,} feedback); seconds, median of 3 (KPI layer of 5)")
    print(f"  {'':<{width}}  " + "  ".join(f"{db:>10}" for db in report))
    for name in names:
        cells = [f"{report[db][name]:>10.3f}" if name in report[db] else f"{'':>10}" for db in report]
        print(f"  {name:<{width}}  " + "  ".join(cells))
    for db, results in report.items():
        layer = results["KPI layer: two KPIs by district, one quarter (cold)"]
        naive = results["naive: raw rows into pandas, grouped"]
        floor = results.get("DuckDB floor: the same grouping of the raw rows in memory")
        print(f"  {db}: KPI layer ÷ naive pandas {layer / naive:.2f}"
              + (f"; ÷ DuckDB floor {layer / floor:.2f}" if floor else "; DuckDB not installed"))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"cases": args.cases, "results": report}, indent=2))


if __name__ == "__main__":
    main()
