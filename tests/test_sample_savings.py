"""The savings sample reproduces the papers through ``python -m dashboard.savings summary --json``:
Leicestershire's Target Operating Model (Scrutiny Commission, 7 November 2019, item 8, paras 10-11)
and the 2014 prevention services review (a £9.4m budget, £3.5m saved in three steps)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from data_loaders.apply import load_file
from data_loaders.seed import SAMPLE_DATA, SAVINGS, SAVINGS_ORDER

ROOT = Path(__file__).resolve().parents[1]
PARA_10 = {"OA1": (3_780_000, 4_920_000), "OA2": (1_700_000, 2_200_000), "OA3": (1_420_000, 1_780_000),
           "WAA1": (430_000, 770_000), "WAA2": (740_000, 1_150_000), "WAA3": (1_140_000, 1_390_000),
           "WAA4": (1_240_000, 1_640_000)}
PARA_11 = {"lower": 10_450_000, "upper": 13_850_000, "cashable_lower": 7_790_000,
           "cashable_upper": 10_430_000, "in_mtfs": 1_250_000, "net_cashable_lower": 6_540_000,
           "net_cashable_upper": 9_180_000, "quality_lower": 2_660_000, "quality_upper": 3_420_000,
           "overall_lower": 9_200_000, "overall_upper": 12_600_000}


@pytest.fixture
def savings_sample(engine: Engine) -> Engine:
    for folder in sorted((SAMPLE_DATA / SAVINGS).iterdir()):
        for kind in SAVINGS_ORDER:
            load_file(engine, folder.name, folder / f"{kind}.csv", kind=kind, user="test")
    return engine


def summary(db_url: str, programme: str, period: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "dashboard.savings", "summary", "--programme", programme,
                           "--period", period, "--json"], cwd=ROOT,
                          env={**os.environ, "DATABASE_URL": db_url}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_target_operating_model_reproduces_paras_10_and_11(db_url: str, savings_sample: Engine) -> None:
    found = summary(db_url, "Target Operating Model", "2019/20-Q2")
    assert {k: found[k] for k in PARA_11} == PARA_11
    assert {w["code"]: (w["lower"], w["upper"]) for w in found["workstreams"]} == PARA_10
    assert found["guarantee_threshold"] == 6_750_000  # 1.5 x the £4.5m fee (para 22)
    statuses = {w["code"]: w["status"] for w in found["workstreams"]}
    assert statuses["WAA1"] == "Off track" and list(statuses.values()).count("On track") == 6


def test_the_prevention_review_leaves_5_9m(db_url: str, savings_sample: Engine) -> None:
    found = summary(db_url, "Prevention services review", "2016/17")
    assert (found["baseline_budget"], found["lower"], found["delivered_to_date"]) == (
        9_400_000, 3_500_000, 3_500_000)
    assert found["baseline_budget"] - found["lower"] == 5_900_000
    assert round(found["lower"] / found["baseline_budget"] * 100, 1) == 37.2  # the paper's "41%"
    steps = {w["code"]: w["delivered_to_date"] for w in found["workstreams"]}
    assert steps == {"P1": 1_000_000, "P2": 500_000, "P3": 2_000_000}
