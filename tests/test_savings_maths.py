"""The savings arithmetic on worked examples: the Target Operating Model's summary (Leicestershire
scrutiny, November 2019, paras 10-11) from its seven workstreams, profiles, targets to date,
status and the confidence-weighted forecast."""

from __future__ import annotations

import pytest

from dashboard.figures.savings import (
    AT_RISK,
    OFF_TRACK,
    ON_TRACK,
    Workstream,
    guarantee_words,
    parse_profile,
    profiled_target,
    share_in,
    status,
    summarise,
    weighted_forecast,
)

# para 10: (code, lower, upper, type); the £1,250,000 already in the MTFS carried by OA1
TOM = [("OA1", 3_780_000, 4_920_000, "Cashable"), ("OA2", 1_700_000, 2_200_000, "Demand offset"),
       ("OA3", 1_420_000, 1_780_000, "Quality reinvested"), ("WAA1", 430_000, 770_000, "Cashable"),
       ("WAA2", 740_000, 1_150_000, "Cashable"), ("WAA3", 1_140_000, 1_390_000, "Demand offset"),
       ("WAA4", 1_240_000, 1_640_000, "Quality reinvested")]


def _tom() -> list[Workstream]:
    return [Workstream(code, lower, upper, kind, 2019, in_mtfs=1_250_000 if code == "OA1" else 0)
            for code, lower, upper, kind in TOM]


def test_the_report_s_summary() -> None:
    found = summarise(_tom())
    assert (found.lower, found.upper) == (10_450_000, 13_850_000)  # para 10's totals
    # para 11, line by line
    assert (found.cashable_lower, found.cashable_upper) == (7_790_000, 10_430_000)
    assert found.in_mtfs == 1_250_000
    assert (found.net_cashable_lower, found.net_cashable_upper) == (6_540_000, 9_180_000)
    assert (found.quality_lower, found.quality_upper) == (2_660_000, 3_420_000)
    assert (found.overall_lower, found.overall_upper) == (9_200_000, 12_600_000)


def test_profiles() -> None:
    assert parse_profile(" 2019/20: 40%; 2020/21: 100% ", 2019) == ((2019, 0.4), (2020, 1.0))
    assert parse_profile("", 2019) == ()
    for text, problem in (("2019/20: 60%; 2020/21: 50%; 2021/22: 100%", "the share falls from 60%"),
                          ("2019/20: 40%; 2020/21: 90%", "never reaches 100%"),
                          ("2018/19: 40%; 2019/20: 100%", "2018/19 is before the workstream's first year"),
                          ("2019/21: 100%", "is not a year and a share"),
                          ("2019/20: 140%", "more than the full annual benefit")):
        with pytest.raises(ValueError, match=problem):
            parse_profile(text, 2019)


def test_shares_and_targets_to_date() -> None:
    profile = parse_profile("2019/20: 50%; 2020/21: 100%", 2019)
    stream = Workstream("X", 1_200_000, 2_400_000, "Cashable", 2019, profile)
    assert [share_in(stream, fy) for fy in (2018, 2019, 2020, 2021)] == [0.0, 0.5, 1.0, 1.0]
    # six months into 2019/20: half the year's 50% share: 1.2m x 0.5 x 6/12 = 300,000
    assert profiled_target(stream, 2019, 6) == (300_000, 600_000)
    assert profiled_target(Workstream("Y", 100, 200, "Cashable", 2020), 2019) == (0, 0)  # not started


def test_status_rule() -> None:
    stream = Workstream("X", 1_200_000, 2_400_000, "Cashable", 2019)
    # year target 1.2m; after 6 months 600,000 to date, so at least 540,000 delivered is on track
    assert status(stream, 2019, 6, 540_000, 1_200_000, "High") == ON_TRACK
    assert status(stream, 2019, 6, 539_999, 1_200_000, "High") == AT_RISK  # behind to date
    assert status(stream, 2019, 6, 600_000, 1_200_000, "Low") == AT_RISK  # the owner doubts it
    assert status(stream, 2019, 6, 600_000, 960_000, "High") == AT_RISK  # forecast 80% of target
    assert status(stream, 2019, 6, 600_000, 959_999, "High") == OFF_TRACK


def test_confidence_weighted_forecast() -> None:
    # 400,000 delivered of a 1,000,000 forecast: the 600,000 still to come weighted 90/60/30%
    assert weighted_forecast(400_000, 1_000_000, "High") == pytest.approx(940_000)
    assert weighted_forecast(400_000, 1_000_000, "Medium") == pytest.approx(760_000)
    assert weighted_forecast(400_000, 1_000_000, None) == pytest.approx(580_000)
    assert weighted_forecast(400_000, 300_000, "High") == 400_000  # delivered already beyond it


def test_the_guarantee_in_words() -> None:
    # para 22: the fee falls if recurrent benefit is not above 1.5 x £4.5m = £6.75m
    assert guarantee_words(10_450_000, 1.5 * 4_500_000, "Lower estimate") == (
        "Lower estimate: £10,450,000 a year, above the guarantee threshold of £6,750,000.")


def test_the_sample_plan_reproduces_the_report() -> None:
    """sample_data/savings holds the Target Operating Model in the savings_plan return format: read
    back into workstreams, it gives para 11's summary."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "sample_data" / "savings" / "Target Operating Model"
    with (path / "savings_plan.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    streams = [Workstream(r["workstream_code"], float(r["lower_bound"]), float(r["upper_bound"]),
                          r["benefit_type"], int(r["first_year"][:4]),
                          parse_profile(r["profile"], int(r["first_year"][:4])),
                          float(r["already_in_mtfs"] or 0)) for r in rows]
    found = summarise(streams)
    assert (found.lower, found.upper) == (10_450_000, 13_850_000)
    assert (found.overall_lower, found.overall_upper) == (9_200_000, 12_600_000)
