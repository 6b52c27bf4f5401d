"""Loading the built-in sample data: every programme folder under ``sample_data/``."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from data_loaders.apply import LoadResult, load_file
from data_loaders.kinds import KINDS

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
# Districts create the programme; targets and allocations come before the rows they judge.
SEED_ORDER = ("districts", "targets", "allocations", "cases", "dfg", "satisfaction", "feedback",
              "finance", "case_studies")


def is_empty(engine: Engine) -> bool:
    """True before any programme has been loaded."""
    with engine.connect() as conn:
        return not conn.execute(select(func.count()).select_from(s.programmes)).scalar()


def seed(engine: Engine, folder: Path = SAMPLE_DATA, user: str = "sample data") -> list[LoadResult]:
    """Load each ``<folder>/<Programme>/<kind>.csv``; the folder name is the programme name."""
    results = []
    for programme_dir in sorted(p for p in Path(folder).iterdir() if p.is_dir()):
        for kind in SEED_ORDER:
            path = programme_dir / f"{kind}.csv"
            if path.exists():
                results.append(load_file(engine, programme_dir.name, path, kind=kind, user=user,
                                         role="sample data"))
    if not results:
        raise FileNotFoundError(f"no programme folders with returns under {folder}")
    assert set(SEED_ORDER) == set(KINDS)
    return results
