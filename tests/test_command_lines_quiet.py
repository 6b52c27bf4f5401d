"""The command lines print only their own messages: Streamlit's warnings about running without
its server ("No runtime found", "missing ScriptRunContext") would bury them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", [
    ["dashboard.packs", "scrutiny", "--programme", "Nowhere", "--period", "2019/20", "--out", "x.pdf"],
    ["dashboard.kpi_cli", "--programme", "Nowhere", "--period", "2019/20"],
    ["dashboard.meetings", "list", "--programme", "Nowhere"],
])
def test_only_the_commands_own_words(command: list[str], tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite'}", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", *command], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    output = done.stdout + done.stderr
    assert "No runtime found" not in output and "ScriptRunContext" not in output, output
    assert done.stderr.strip().splitlines() == ["error: No programme called 'Nowhere'. Programmes: none "
                                                "loaded yet."], output
