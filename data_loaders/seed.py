"""Loading the built-in sample data: every programme folder under ``sample_data/``, each
savings programme under ``sample_data/savings/`` and care-at-home programme under
``sample_data/care_at_home/``, then the council-level files in
``sample_data/council_files/`` (CQC's directory and ratings, the councils and their comparators,
contracts and population)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from data_loaders.apply import LoadResult, load_file
from data_loaders.care_inspectorate import GradesResult, load_grades_file
from data_loaders.council_files import CouncilFileResult, load_council_file
from data_loaders.cqc import CqcResult, load_cqc_file
from data_loaders.kinds import KINDS

SAMPLE_DATA = Path(__file__).resolve().parents[1] / "sample_data"
# Districts create the programme; targets and allocations come before the rows they judge.
COUNCIL_FILES = "council_files"
Loaded = CqcResult | CouncilFileResult | GradesResult
SEED_ORDER = ("districts", "targets", "allocations", "cases", "dfg", "satisfaction", "feedback",
              "finance", "case_studies")
# Savings programmes, one folder each under savings/: the plan creates the programme.
SAVINGS = "savings"
SAVINGS_ORDER = ("savings_plan", "savings_delivery")
# Care-at-home programmes, one folder each under care_at_home/: the providers file creates it.
CARE = "care_at_home"
CARE_ORDER = ("care_providers", "care_hours", "care_requests")


def is_empty(engine: Engine) -> bool:
    """True before any programme has been loaded."""
    with engine.connect() as conn:
        return not conn.execute(select(func.count()).select_from(s.programmes)).scalar()


def seed(engine: Engine, folder: Path = SAMPLE_DATA, user: str = "sample data",
         council_files: bool = True) -> list[LoadResult | Loaded]:
    """Load each ``<folder>/<Programme>/<kind>.csv``; the folder name is the programme name. Then
    the council-level files, if the folder has them (``council_files``: tests of one programme's
    figures leave them out, as they take a few seconds)."""
    results: list[LoadResult | Loaded] = list(_seed_family(engine, Path(folder), SEED_ORDER, user))
    if not results:
        raise FileNotFoundError(f"no programme folders with returns under {folder}")
    assert set(SEED_ORDER) | set(SAVINGS_ORDER) | set(CARE_ORDER) == set(KINDS)
    for family, order in ((SAVINGS, SAVINGS_ORDER), (CARE, CARE_ORDER)):
        results += _seed_family(engine, Path(folder) / family, order, user)
    council_dir = Path(folder) / COUNCIL_FILES
    if council_files and council_dir.is_dir():
        results += seed_council_files(engine, council_dir, user)
    return results


def _seed_family(engine: Engine, folder: Path, order: tuple[str, ...], user: str) -> list[LoadResult]:
    """Each ``<folder>/<Programme>/<kind>.csv`` in ``order``; the folder name is the programme's."""
    results = []
    for programme_dir in sorted(folder.iterdir() if folder.is_dir() else []):
        for kind in order:
            if (path := programme_dir / f"{kind}.csv").exists():
                results.append(load_file(engine, programme_dir.name, path, kind=kind, user=user,
                                         role="sample data"))
    return results


def seed_council_files(engine: Engine, folder: Path, user: str) -> list[Loaded]:
    """CQC's files first, then councils (placing the programmes just loaded), population and
    each ``<Council>_contracts.csv``."""
    results: list[Loaded] = []
    for path in sorted(folder.glob("*.ods")):
        results.append(load_cqc_file(engine, path.name, path.read_bytes(), user, role="sample data"))
    for path in sorted(folder.glob("MDSF_data_*.csv")):  # the Care Inspectorate's datastore
        results.append(load_grades_file(engine, path.name, path.read_bytes(), user, role="sample data"))
    for path in sorted(folder.glob("*.csv"), key=lambda p: (p.name != "councils.csv", p.name)):
        if path.name.startswith("MDSF_data_"):
            continue
        council = path.name.removesuffix("_contracts.csv") if path.name.endswith("_contracts.csv") else None
        results.append(load_council_file(engine, path.name, path.read_bytes(), user, council,
                                         role="sample data"))
    return results
