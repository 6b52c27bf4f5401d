"""The one-way flow of the code, checked on every module's imports: pages → ui → queries → db and
loaders → db, with the pure figure rules (``dashboard/figures``) as the floor everything may stand
on, and no two modules importing each other, however far round."""

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


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _project_imports(path: Path, modules: set[str]) -> set[str]:
    """The project modules a file imports; ``from package import module`` counts as the module
    alone, since it does not need the rest of the package's own imports to finish first."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found.update(named)
            if len(named) < len(node.names):
                found.add(node.module)
    return (found & modules) - {_module_name(path)}


def import_circles(folders: tuple[str, ...] = ("dashboard", "data_loaders")) -> list[list[str]]:
    """Groups of modules that reach each other through imports (Tarjan's strongly connected
    components), at the top of a file or inside a function: each is a circle to break."""
    paths = {_module_name(p): p for folder in folders for p in _files(folder)}
    graph = {name: sorted(_project_imports(path, set(paths))) for name, path in paths.items()}
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(name: str) -> None:
        order[name] = low[name] = len(order)
        stack.append(name)
        for other in graph[name]:
            if other not in order:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], order[other])
        if low[name] == order[name]:
            group = []
            while (member := stack.pop()) != name:
                group.append(member)
            if group:
                circles.append(sorted([*group, name]))

    for name in graph:
        if name not in order:
            visit(name)
    return circles


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
    ("dashboard/queries", ("dashboard.pages", "dashboard.ui", "dashboard.cli", "data_loaders")),
    ("dashboard/pages", ("sqlalchemy", "dashboard.db")),
    ("dashboard/access", ("dashboard.queries", "dashboard.pages", "dashboard.ui", "dashboard.meetings",
                          "dashboard.packs")),
    ("dashboard/figures", ("dashboard.db", "dashboard.queries", "dashboard.access", "dashboard.pages",
                           "dashboard.ui", "dashboard.meetings", "dashboard.packs", "dashboard.cli",
                           "data_loaders", "streamlit", "sqlalchemy")),
    ("dashboard/meetings", ("dashboard.pages", "dashboard.ui", "dashboard.packs")),
    ("dashboard/packs", ("dashboard.pages", "dashboard.ui")),
    ("dashboard/cli", ("dashboard.pages", "dashboard.ui")),
])
def test_no_import_runs_the_wrong_way(folder: str, forbidden: tuple[str, ...]) -> None:
    assert _breaking(folder, forbidden) == []


def test_pages_reach_the_loader_only_through_its_entry_points() -> None:
    """``data_loaders/__init__.py`` lists what the app may call; its modules are the loader's own."""
    assert [f"{path.name} imports {module}" for path in _files("dashboard/pages")
            for module in sorted(_imports(path)) if module.startswith("data_loaders.")] == []


def test_the_figure_rules_are_the_floor() -> None:
    """The figure room's modules stand on each other and on nothing else of ours."""
    assert [f"{path.name} imports {module}" for path in _files("dashboard/figures")
            for module in sorted(_imports(path))
            if module.startswith("dashboard") and not module.startswith("dashboard.figures")] == []


def test_no_import_circle() -> None:
    assert import_circles() == []


def test_the_dashboard_root_holds_rooms() -> None:
    """Code lives in a room that says what it holds; at the root only the package itself and the
    entry points scripts already call (each a few lines handing over to ``dashboard/cli``)."""
    entry_points = {"kpi_cli.py", "audit.py", "spc.py", "providers.py", "savings.py"}
    loose = sorted(p.name for p in (ROOT / "dashboard").glob("*.py") if p.name != "__init__.py")
    assert sorted(entry_points) == loose
    for name in entry_points:
        code = (ROOT / "dashboard" / name).read_text(encoding="utf-8")
        assert "from dashboard.cli." in code and len(code.splitlines()) <= 10, name
