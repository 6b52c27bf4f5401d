"""RAG status and which target applies (district and year beat programme-wide and defaults)."""

from __future__ import annotations

import pytest

from dashboard.figures.rag import Target, rag_status
from dashboard.queries.registry import get_kpi
from dashboard.queries.targets import TargetBook


@pytest.mark.parametrize(
    ("value", "good", "expected"),
    [
        (140.0, "lower", "green"),  # meeting the target exactly is on the good side
        (139.0, "lower", "green"),
        (147.0, "lower", "amber"),  # 7 over, tolerance 7
        (147.5, "lower", "red"),
        (140.0, "higher", "green"),
        (133.0, "higher", "amber"),
        (132.9, "higher", "red"),
        (None, "lower", "grey"),
    ],
)
def test_rag_against_a_target(value: float | None, good: str, expected: str) -> None:
    assert rag_status(value, Target(140, 7), good, base=10) == expected


def test_no_target_or_no_data_is_grey() -> None:
    assert rag_status(10.0, None, "lower", base=5) == "grey"
    assert rag_status(0.0, Target(5, 1), "higher", base=0) == "grey"


def test_most_specific_target_wins_then_default() -> None:
    book = TargetBook([
        ("avg_days_to_complete", 30.0, None, None, None),
        ("avg_days_to_complete", 29.0, 7, 2019, 2.0),
        ("avg_days_to_complete", 31.0, 7, None, None),
        ("avg_days_to_complete", 33.0, None, 2018, None),
    ])
    kpi = get_kpi("avg_days_to_complete")
    assert book.target(kpi, 7, 2019) == Target(29, 2)
    assert book.target(kpi, 7, 2020) == Target(31, 31 * 0.05)
    assert book.target(kpi, 8, 2018) == Target(33, 33 * 0.05)
    assert book.target(kpi, None, 2020) == Target(30, 1.5)
    assert book.target(get_kpi("dfg_average_cost"), None, 2020) == Target(7396, 7396 * 0.05)
    assert book.target(get_kpi("cases_completed"), None, 2020) is None


@pytest.mark.parametrize(("spend_pct", "expected"), [
    (100.0, "green"), (90.0, "green"), (110.0, "green"),  # within 10 points either side
    (89.9, "amber"), (120.0, "amber"), (80.0, "amber"),  # within 20
    (79.9, "red"), (126.9, "red"), (255.0, "red"), (267.0, "red"),  # the overspends seen in a pack
])
def test_spend_against_allocation_is_judged_by_distance_either_side(spend_pct: float,
                                                                     expected: str) -> None:
    kpi = get_kpi("dfg_spend_vs_allocation")
    target = TargetBook([]).target(kpi, None, 2019)
    assert target == Target(100, 20)  # the contract's default: ±20 amber, so ±10 green
    assert rag_status(spend_pct, target, kpi.good, base=37000) == expected


def test_a_target_row_can_set_the_allocation_tolerance() -> None:
    kpi = get_kpi("dfg_spend_vs_allocation")
    target = TargetBook([(kpi.id, 100.0, None, None, 10.0)]).target(kpi, None, 2019)
    # Tolerance 10: green within 5 points either side, amber within 10, red beyond.
    assert [rag_status(v, target, kpi.good, 1) for v in (95, 96, 104, 106, 111)] == \
        ["green", "green", "green", "amber", "red"]
