"""About the figures: the definitions page names every KPI the dashboard computes."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboard.queries.registry import KPIS


def test_every_kpi_is_defined_on_the_page(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("about_figures", programme="Testshire")
    text = "\n".join(m.value for m in at.markdown)
    for kpi in KPIS:
        if kpi.theme is None or kpi.id == "satisfaction_overall":
            assert f"`{kpi.id}`" in text, kpi.id
    assert "Green" in text and "Amber" in text and "Grey" in text
