"""Writes the savings sample: two savings programmes in the savings_plan and savings_delivery return
formats (docs/returns-format.md), calibrated to the papers they come from.

- Target Operating Model (Leicestershire, scrutiny of November 2019, item 8 paras 10-11 and 22):
  the seven workstreams with their bounds exactly as para 10, £1,250,000 already in the MTFS, and
  monthly delivery returns from April 2019 to March 2021.
- Prevention services review (Leicestershire, Cabinet of April 2014, paras 14-15 and 44-46): a
  £9.4m budget cut by £3.5m to £5.9m in three steps (£1.0m in 2014/15, £0.5m in 2015/16, £2.0m in
  2016/17). The paper calls £3.5m "41%" of £9.4m; it is 37.2%.

``python sample_data/generate_savings.py`` writes the same bytes every time.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "savings"
SEED = 20191107
PLAN_HEADER = [
    "programme",
    "workstream_code",
    "workstream",
    "cohort",
    "benefit_type",
    "lower_bound",
    "upper_bound",
    "already_in_mtfs",
    "first_year",
    "profile",
    "lead_kpi",
    "owner",
    "guarantee_threshold",
    "baseline_budget",
]
DELIVERY_HEADER = [
    "programme",
    "workstream_code",
    "financial_year",
    "month",
    "delivered_to_date",
    "forecast_year",
    "confidence",
    "note",
]
TOM = "Target Operating Model"
# para 10: code, name, cohort, type, lower, upper; the types of OA1-WAA3 (cashable or demand
# offset) are not split in the paper: reablement and settings of care bank cash, decisions offset
# demand.
TOM_WORKSTREAMS = (
    ("OA1", "Reablement", "Older Adults", "Cashable", 3_780_000, 4_920_000),
    ("OA2", "Consistent and enhanced decision making", "Older Adults", "Demand offset", 1_700_000, 2_200_000),
    ("OA3", "Quality improvements", "Older Adults", "Quality reinvested", 1_420_000, 1_780_000),
    ("WAA1", "Enablement", "Working Age Adults", "Cashable", 430_000, 770_000),
    ("WAA2", "Change to setting of care", "Working Age Adults", "Cashable", 740_000, 1_150_000),
    (
        "WAA3",
        "Consistent and enhanced decision making",
        "Working Age Adults",
        "Demand offset",
        1_140_000,
        1_390_000,
    ),
    ("WAA4", "Quality improvements", "Working Age Adults", "Quality reinvested", 1_240_000, 1_640_000),
)
TOM_PROFILE = "2019/20: 40%; 2020/21: 100%"
# para 22: the partner's fee falls unless the recurrent benefit is over 1.5 x its £4.5m fee
GUARANTEE = 6_750_000
# The operational evidence beside the money: a KPI of the council's housing support programme.
LEAD_KPI = {"OA1": "avg_days_to_complete", "OA2": "cases_completed", "WAA2": "dfg_within_20_weeks"}
IN_MTFS = {"OA1": 1_250_000}  # para 11: "Less savings already identified within MTFS 2019"
OWNERS = {
    "Older Adults": "Head of Service, Older Adults",
    "Working Age Adults": "Head of Service, Working Age Adults",
}
# How far along its lower-to-upper band each workstream delivers (0 lower, 1 upper): WAA1 falls
# behind, so the tracker has a workstream at risk.
PACE = {"OA1": 0.55, "OA2": 0.4, "OA3": 0.5, "WAA1": -0.25, "WAA2": 0.3, "WAA3": 0.45, "WAA4": 0.5}
CONFIDENCE = {"WAA1": "Low", "WAA2": "Medium"}
NOTES = {("WAA1", 2019, 6): "Enablement posts not yet filled; recovery plan to the October board."}
PREVENTION = "Prevention services review"
# paras 14-15: the reduction in three steps, one workstream each (lower = upper: a budget cut)
PREVENTION_STEPS = (
    ("P1", "Interim reduction", 2014, 1_000_000),
    ("P2", "Second step", 2015, 500_000),
    ("P3", "Final step to a £5.9m budget", 2016, 2_000_000),
)
PREVENTION_BUDGET = 9_400_000  # para 14: the prevention budget before the review
PREVENTION_YEARS = (2014, 2015, 2016)


def prevention_delivery() -> list[list[object]]:
    """Quarterly returns: each step delivered in full, pro rata through its years (a budget cut
    delivers as the money is no longer spent)."""
    rows = []
    for code, _name, first, amount in PREVENTION_STEPS:
        for fy in PREVENTION_YEARS:
            if fy < first:
                continue
            for month in (3, 6, 9, 12):
                delivered = amount * month // 12
                rows.append([PREVENTION, code, f"{fy}/{(fy + 1) % 100:02d}", month, delivered, amount,
                             "High", ""])
    return rows


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def tom_plan() -> list[list[object]]:
    return [
        [
            TOM,
            code,
            name,
            cohort,
            kind,
            lower,
            upper,
            IN_MTFS.get(code, ""),
            "2019/20",
            TOM_PROFILE,
            LEAD_KPI.get(code, ""),
            OWNERS[cohort],
            GUARANTEE,
            "",
        ]
        for code, name, cohort, kind, lower, upper in TOM_WORKSTREAMS
    ]


def tom_delivery(rng: random.Random) -> list[list[object]]:
    rows = []
    for code, _name, _cohort, _kind, lower, upper in TOM_WORKSTREAMS:
        annual = lower + PACE[code] * (upper - lower)
        for fy, share in ((2019, 0.4), (2020, 1.0)):
            year = annual * share
            for month in range(1, 13):
                drift = rng.uniform(0.92, 1.04)
                delivered = int(round(year * month / 12 * drift, -3))
                # an owner never forecasts less than is already delivered in the year
                forecast = max(int(round(year * rng.uniform(0.97, 1.02), -3)), delivered)
                rows.append(
                    [
                        TOM,
                        code,
                        f"{fy}/{(fy + 1) % 100:02d}",
                        month,
                        delivered,
                        forecast,
                        CONFIDENCE.get(code, "High"),
                        NOTES.get((code, fy, month), ""),
                    ]
                )
    return rows


def prevention_plan() -> list[list[object]]:
    return [
        [
            PREVENTION,
            code,
            name,
            "All adults",
            "Cashable",
            amount,
            amount,
            "",
            f"{fy}/{(fy + 1) % 100:02d}",
            "",
            "",
            "Head of Commissioning",
            "",
            PREVENTION_BUDGET,
        ]
        for code, name, fy, amount in PREVENTION_STEPS
    ]


def main() -> None:
    rng = random.Random(SEED)
    for programme, plan, delivery in (
        (TOM, tom_plan(), tom_delivery(rng)),
        (PREVENTION, prevention_plan(), prevention_delivery()),
    ):
        folder = FOLDER / programme
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "savings_plan.csv").write_text(_csv(PLAN_HEADER, plan), encoding="utf-8")
        if delivery:
            (folder / "savings_delivery.csv").write_text(_csv(DELIVERY_HEADER, delivery), encoding="utf-8")


if __name__ == "__main__":
    main()
