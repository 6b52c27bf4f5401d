"""The documentation names every KPI the registry defines, and the README's commands exist."""

from __future__ import annotations

from pathlib import Path

from dashboard.figures.vocabulary import SURVEY_THEMES
from dashboard.queries.registry import CARE_KPIS, KPIS, PROVIDER_KPIS, SAVINGS_KPIS

ROOT = Path(__file__).resolve().parents[1]


def test_every_kpi_is_documented() -> None:
    text = (ROOT / "docs" / "kpi-definitions.md").read_text()
    for kpi in (*KPIS, *PROVIDER_KPIS, *SAVINGS_KPIS, *CARE_KPIS):
        if kpi.theme is not None and kpi.id != "satisfaction_overall":
            suffix = kpi.id.removeprefix("satisfaction_theme")
            assert suffix in text, kpi.id
        else:
            assert f"`{kpi.id}`" in text, kpi.id
    for theme in SURVEY_THEMES:
        assert theme in text


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in readme
    assert "bash scripts/test.sh" in ci
