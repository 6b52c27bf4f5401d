"""The one-way flow of the code, checked on every module's imports: pages → queries → db and
loaders → db, with the vocabulary as the floor everything may stand on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _breaking(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(ROOT)} imports {module}"
            for path in _files(folder) for module in sorted(_imports(path))
            if any(module == f or module.startswith(f + ".") for f in forbidden)]


@pytest.mark.parametrize(("folder", "forbidden"), [
    ("data_loaders", ("dashboard.queries", "dashboard.pages", "dashboard.packs", "streamlit")),
    ("dashboard/db", ("dashboard.queries", "dashboard.pages", "dashboard.meetings", "data_loaders",
                      "streamlit")),
    ("dashboard/queries", ("dashboard.pages", "data_loaders")),
    ("dashboard/pages", ("sqlalchemy", "dashboard.db")),
])
def test_no_import_runs_the_wrong_way(folder: str, forbidden: tuple[str, ...]) -> None:
    assert _breaking(folder, forbidden) == []


def test_pages_reach_the_loader_only_through_its_entry_points() -> None:
    """``data_loaders/__init__.py`` lists what the app may call; its modules are the loader's own."""
    assert [f"{path.name} imports {module}" for path in _files("dashboard/pages")
            for module in sorted(_imports(path)) if module.startswith("data_loaders.")] == []


def test_the_vocabulary_is_the_floor() -> None:
    assert {m for m in _imports(ROOT / "dashboard" / "vocabulary.py") if m.startswith("dashboard")} == set()
