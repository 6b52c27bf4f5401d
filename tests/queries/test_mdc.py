"""The Making Data Count summary: labels in words and symbols, from the last twelve periods."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.figures import spc
from dashboard.figures.periods import parse_period, period_range
from dashboard.queries.kpi_values import compute_kpis
from dashboard.queries.mdc import ASSURANCE_LABELS, NOT_ENOUGH, mdc_summary, summarise


def _history(values: list[float | None], base: list[float], target: float | None) -> pd.DataFrame:
    periods = [p.label for p in period_range(parse_period("2019/20-Q1"), parse_period("2020/21-Q4"))]
    n = len(values)
    return pd.DataFrame({"kpi": "k", "name": "A KPI", "unit": "days", "good": "lower",
                         "period": periods[-n:], "value": values, "target": target,
                         "rag": "grey", "base": base})


def test_labels_worked_by_hand() -> None:
    # Values 10, 20, 10, 20: mean 15, moving ranges all 10, limits 15 ± 26.6 = -11.6 to 41.6;
    # lower is better, target 50 lies above the upper limit: consistently met; common cause.
    row = summarise(_history([10, 20, 10, 20], [1, 1, 1, 1], 50.0), "2020/21-Q4").iloc[0]
    assert row["variation"] == "● Common cause — no significant change"
    assert row["assurance"] == "✔ Target consistently met"
    assert row["value"] == 20 and row["target"] == 50


def test_zeros_before_the_service_began_are_left_out() -> None:
    # Without the leading zeros only 5 and 6 remain: still two points, common cause, target 5.5
    # inside the limits (5.5 ± 2.66): hit and miss.
    row = summarise(_history([0, 0, 5, 6], [0, 0, 1, 1], 5.5), "2020/21-Q4").iloc[0]
    assert row["assurance"] == ASSURANCE_LABELS["hit and miss"]
    single = summarise(_history([0, 0, 0, 6], [0, 0, 0, 1], None), "2020/21-Q4").iloc[0]
    assert single["variation"] == NOT_ENOUGH


@pytest.fixture
def configured(testshire: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return testshire


def test_summary_matches_the_spc_of_the_kpi_layer(configured: Engine) -> None:
    table = mdc_summary("Testshire", "2019/20-Q2").set_index("kpi")
    periods = [parse_period("2019/20-Q2").shift(-n) for n in range(11, -1, -1)]
    expected = compute_kpis(configured, "Testshire", periods, kpi_ids=["avg_days_to_complete"])
    started = expected[expected["base"].ne(0).cummax()]
    result = spc.xmr(started["value"].dropna().tolist(), good="lower", target=30.0)
    row = table.loc["avg_days_to_complete"]
    assert row["variation"] == spc.VARIATION_LABELS[result.variation]
    assert row["assurance"] == ASSURANCE_LABELS[result.assurance]
    assert row["target"] == 30.0
    assert len(table) == 10 and table["variation"].str.match("[▲▼◆●–]").all()
