"""Public-figures rules on small frames worked out by hand, and the ``--public`` command line.

Default rules: below programme level, counts 1-7 become *, other counts go to the nearest 5 (halves
up; 0 stays 0); a rate or mean on a base of 1-7 becomes *; one suppressed district beside a shown
total takes the unsuppressed district with the smallest non-zero base with it, or else the total.
"""

from __future__ import annotations

import itertools
import json
import math

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.access.public_figures import (
    MIN_COUNT_VARIABLE,
    ROUND_TO_VARIABLE,
    Basis,
    PublicFiguresConfigError,
    Rules,
    footnote,
    protect,
    rules_from_environment,
    select,
)
from dashboard.cli import kpi as kpi_cli
from dashboard.queries.board import kpi_history
from dashboard.queries.kpi_values import KPI_COLUMNS
from tests.queries.conftest import testshire  # noqa: F401 - fixture used below

DEFAULT = Rules(min_count=8, round_to=5)


def frame(cells: dict[str | None, tuple[float, float]], kpi: str = "cases_completed",
          unit: str = "count", target: float | None = None, tolerance: float | None = None,
          period: str = "2019/20-Q1") -> pd.DataFrame:
    """A KPI frame for one (KPI, period): ``cells`` maps district (None: the total row) to
    (value, base); district ids follow the order given."""
    rows = [{
        "kpi": kpi, "name": kpi, "unit": unit, "good": "higher", "period": period,
        "district_id": None if district is None else number, "district": district,
        "code": district, "value": value, "target": target, "amber_tolerance": tolerance,
        "rag": "grey" if target is None or math.isnan(value) or not base else "green",
        "base": base,
    } for number, (district, (value, base)) in enumerate(cells.items(), start=1)]
    return pd.DataFrame(rows, columns=KPI_COLUMNS).astype(
        {"value": float, "target": float, "amber_tolerance": float, "base": float})


def counts(cells: dict[str | None, float]) -> pd.DataFrame:
    return frame({area: (float(n), float(n)) for area, n in cells.items()})


def shown(table: pd.DataFrame, column: str = "value") -> dict[str | None, float | str]:
    """Area (None: the total row) -> the figure as the public sees it: a number, "*" (suppressed)
    or "–" (no data)."""
    return {row["district"] if isinstance(row["district"], str) else None:
            "*" if row["suppressed"] else "–" if math.isnan(row[column]) else row[column]
            for row in table.to_dict("records")}


# --- rounding and primary suppression -------------------------------------------------------------

def test_district_counts_are_suppressed_or_rounded_and_the_programme_row_is_exact() -> None:
    table = counts({"A": 0, "B": 1, "C": 7, "D": 8, "E": 12, "F": 13, None: 41})
    out = protect(table, rules=DEFAULT)
    # 0 -> 0, 1 -> *, 7 -> *, 8 -> 10, 12 -> 10, 13 -> 15; two districts hidden, so none more.
    expected = {"A": 0.0, "B": "*", "C": "*", "D": 10.0, "E": 10.0, "F": 15.0, None: 41.0}
    assert shown(out) == expected
    assert shown(out, "base") == expected  # the base of a count is the count
    assert out.loc[out["suppressed"], "rag"].eq("grey").all()
    assert list(out.columns) == [*KPI_COLUMNS, "suppressed"]
    assert list(table["value"]) == [0, 1, 7, 8, 12, 13, 41]  # the input is left alone


def test_small_counts_at_programme_level_are_exact() -> None:
    out = protect(counts({None: 3}), rules=DEFAULT)
    assert shown(out) == {None: 3.0}


def test_a_view_is_the_programme_one_district_or_every_district() -> None:
    protected = protect(counts({"A": 12, "B": 13, "C": 20, None: 45}), rules=DEFAULT)
    assert shown(select(protected, None, None, by_district=False)) == {None: 45.0}
    # One district chosen: its own (rounded) row stands as the view's figure.
    assert shown(select(protected, None, [1], by_district=False)) == {None: 10.0}
    # Several: a combined row would be the programme less the others, so it is withheld.
    assert shown(select(protected, None, [1, 2], by_district=False)) == {None: "*"}
    assert shown(select(protected, None, [1, 2], by_district=True)) == {None: "*", "A": 10.0, "B": 15.0}
    # A hidden district stays hidden as the view's figure.
    protected = protect(counts({"A": 3, "B": 30, None: 33}), rules=DEFAULT)
    assert shown(select(protected, None, [1], by_district=False)) == {None: "*"}


def test_a_mean_on_a_base_of_7_is_suppressed_and_on_8_shown() -> None:
    # Average days: A 7 cases averaging 30, B 8 averaging 40, C 3 averaging 20; all 18 cases:
    # (210 + 320 + 60) / 18 = 32.78 days.
    table = frame({"A": (30.0, 7.0), "B": (40.0, 8.0), "C": (20.0, 3.0), None: (590 / 18, 18.0)},
                  kpi="avg_days_to_complete", unit="days")
    out = protect(table, rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": 40.0, "C": "*", None: 32.8}  # 1 decimal place, as printed
    assert shown(out, "base") == {"A": "*", "B": 10.0, "C": "*", None: 18.0}
    # The same mean on 7 cases for the whole programme is shown exactly.
    whole = protect(frame({None: (30.0, 7.0)}, kpi="avg_days_to_complete", unit="days"),
                    rules=DEFAULT)
    assert shown(whole) == {None: 30.0}


def test_a_mean_with_no_data_is_not_suppressed() -> None:
    # Beta had no responses: "no data" (NaN, base 0) is not a small number and stays "no data".
    table = frame({"A": (80.0, 12.0), "B": (math.nan, 0.0), None: (80.0, 12.0)}, kpi="sat", unit="%")
    out = protect(table, rules=DEFAULT)
    assert shown(out) == {"A": 80.0, "B": "–", None: 80.0}


def test_spend_against_allocation_is_withheld_below_programme_level() -> None:
    # Beta's one grant of £4,000 against its published £12,000 allocation: 33.3% would give the
    # grant away, and the base (the allocation in pounds) cannot show that it is one grant.
    table = frame({"A": (56.0, 25000.0), "B": (100 / 3, 12000.0), None: (48.65, 37000.0)},
                  kpi="dfg_spend_vs_allocation", unit="%")
    out = protect(table, rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": "*", None: 48.7}
    # Nothing spent is no grant to give away: C's 0% is shown, and A and B still hide each other.
    table = frame({"A": (56.0, 25000.0), "B": (100 / 3, 12000.0), "C": (0.0, 8000.0),
                   None: (18000.5 / 450, 45000.0)}, kpi="dfg_spend_vs_allocation", unit="%")
    out = protect(table, rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": "*", "C": 0.0, None: 40.0}  # 40.001


def test_a_rounded_count_takes_its_status_from_the_rounded_figure() -> None:
    # 12 against a target of 11 (tolerance 0.5) is green, but the public sees 10: 1 short, red.
    table = frame({"A": (12.0, 12.0), "B": (20.0, 20.0), None: (32.0, 32.0)}, target=11.0,
                  tolerance=0.5)
    out = protect(table, rules=DEFAULT).set_index("district", drop=False)
    assert out.loc["A", "rag"] == "red"
    assert out.loc["B", "rag"] == "green"


# --- complementary suppression --------------------------------------------------------------------

def test_one_hidden_district_takes_the_smallest_base_with_it() -> None:
    # A (3) is hidden. Unhidden: B 20, C 9, D 0, E 12: D's 0 is the complement, the least lost.
    out = protect(counts({"A": 3, "B": 20, "C": 9, "D": 0, "E": 12, None: 44}), rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": 20.0, "C": 10.0, "D": "*", "E": 10.0, None: 44.0}
    out = protect(counts({"A": 3, "B": 20, "C": 9, "E": 12, None: 44}), rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": 20.0, "C": "*", "E": 10.0, None: 44.0}


def test_ties_for_the_complement_go_to_the_first_district() -> None:
    out = protect(counts({"A": 3, "B": 9, "C": 9, None: 21}), rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": "*", "C": 10.0, None: 21.0}


def test_the_same_rule_covers_means_and_their_bases() -> None:
    table = frame({"A": (30.0, 3.0), "B": (25.0, 20.0), "C": (40.0, 9.0), None: (30.0, 32.0)},
                  kpi="avg_days_to_complete", unit="days")
    out = protect(table, rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": 25.0, "C": "*", None: 30.0}
    assert shown(out, "base") == {"A": "*", "B": 20.0, "C": "*", None: 32.0}


def _would_show(n: int, rules: Rules) -> float | None:
    """What a lone district cell of true count ``n`` shows (None: *); prunes the search only."""
    if 0 < n < rules.min_count:
        return None
    return math.floor(n / rules.round_to + 0.5) * rules.round_to


def feasible_values(public: pd.DataFrame, truth: pd.DataFrame, rules: Rules,
                    knows_rules: bool = True) -> dict[str, set[int]]:
    """Every base each hidden district could have, given only what ``public`` shows.

    Brute force over every filling of the district bases that adds up to the shown total, with each
    shown cell anything that would be shown as it is and each hidden cell anything from 0 to the
    total: that is every subtraction of shown figures from the total. With ``knows_rules`` a filling
    counts only if ``protect`` turns it into exactly ``public`` (a reader who knows the rules). For
    a count the base is the value, so this is the value too."""
    total = int(public.loc[public["district_id"].isna(), "base"].iloc[0])
    districts = public[public["district_id"].notna()]
    choices = []
    for row in districts.to_dict("records"):
        if row["suppressed"]:
            choices.append(range(total + 1))
        else:
            choices.append([n for n in range(total + 1) if _would_show(n, rules) == row["base"]])
    found: dict[str, set[int]] = {d: set() for d in districts.loc[districts["suppressed"], "district"]}
    for filling in itertools.product(*choices[:-1]):
        last = total - sum(filling)
        if last not in choices[-1]:
            continue
        if knows_rules:
            candidate = truth.copy()
            candidate.loc[districts.index, "base"] = [float(n) for n in (*filling, last)]
            if (truth["unit"] == "count").all():
                candidate["value"] = candidate["base"]
            again = protect(candidate, rules=rules)
            if shown(again, "base") != shown(public, "base"):
                continue
        for district, n in zip(districts["district"], (*filling, last), strict=True):
            if district in found:
                found[district].add(n)
    return found


@pytest.mark.parametrize("rules", [DEFAULT, Rules(min_count=8, round_to=1)], ids=["round5", "exact"])
@pytest.mark.parametrize("unit", ["count", "days"])
def test_no_hidden_figure_can_be_worked_out_from_the_shown_ones(unit: str, rules: Rules) -> None:
    # Districts A 3, B 20, C 9; total 32. Shown: B and the total; A and C hidden.
    bases = {"A": 3.0, "B": 20.0, "C": 9.0, None: 32.0}
    values = bases if unit == "count" else {"A": 30.0, "B": 25.0, "C": 40.0, None: 30.0}
    truth = frame({area: (values[area], base) for area, base in bases.items()},
                  kpi="cases_completed" if unit == "count" else "avg_days_to_complete", unit=unit)
    public = protect(truth, rules=rules)
    assert list(public["suppressed"]) == [True, False, True, False]
    # Subtraction leaves A + C = 32 - 20 = 12 (10 to 14 with B rounded): A could be 0 to 12 ...
    assert set(range(13)) <= feasible_values(public, truth, rules, knows_rules=False)["A"]
    # ... and even knowing the rules (one of A, C is 1-7; the other 1-7 too, or the complement),
    # A could be anything from 1 to 11.
    found = feasible_values(public, truth, rules)
    assert set(range(1, 12)) <= found["A"] and 3 in found["A"]
    assert set(range(1, 12)) <= found["C"]
    # The search has teeth: with C shown, exact figures give A away by subtraction.
    if rules.round_to == 1:
        leaky = public.copy()
        leaky.loc[2, ["suppressed", "base"]] = [False, 9.0]
        assert feasible_values(leaky, truth, rules, knows_rules=False) == {"A": {3}}


def test_the_total_stays_when_its_only_other_district_had_nothing() -> None:
    # Alpha's 3 responses are the programme's only ones: Beta (none) is hidden beside Alpha, so
    # the programme's exact figure cannot say whose answers they were.
    table = frame({"A": (280 / 3, 3.0), "B": (math.nan, 0.0), None: (280 / 3, 3.0)}, kpi="sat", unit="%")
    out = protect(table, rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": "*", None: 93.3}
    out = protect(counts({"A": 3, "B": 0, None: 3}), rules=DEFAULT)
    assert shown(out) == {"A": "*", "B": "*", None: 3.0}


def test_a_programme_of_one_district_loses_its_total_everywhere() -> None:
    protected = protect(counts({"A": 5, None: 5}), rules=DEFAULT)
    assert shown(protected) == {"A": "*", None: "*"}
    assert shown(select(protected, None, None, by_district=False)) == {None: "*"}


def test_each_kpi_and_period_is_its_own_group() -> None:
    table = pd.concat([counts({"A": 3, "B": 20, None: 23}),
                       frame({"A": (12.0, 12.0), "B": (20.0, 20.0), None: (32.0, 32.0)},
                             period="2019/20-Q2")], ignore_index=True)
    out = protect(table, rules=DEFAULT)
    assert list(out["suppressed"]) == [True, True, False, False, False, False]


# --- configuration and footnote -------------------------------------------------------------------

def test_thresholds_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MIN_COUNT_VARIABLE, raising=False)
    monkeypatch.delenv(ROUND_TO_VARIABLE, raising=False)
    assert rules_from_environment() == Rules(8, 5)
    monkeypatch.setenv(MIN_COUNT_VARIABLE, "10")
    monkeypatch.setenv(ROUND_TO_VARIABLE, " 10 ")
    assert rules_from_environment() == Rules(10, 10)
    # 9 is now hidden; 12 -> 10, 15 -> 20 (halves up); two hidden, so no complement.
    out = protect(counts({"A": 9, "B": 12, "C": 15, "D": 1, None: 37}))
    assert shown(out) == {"A": "*", "B": 10.0, "C": 20.0, "D": "*", None: 37.0}
    assert "1 to 9" in footnote() and "nearest 10" in footnote()


@pytest.mark.parametrize("variable", [MIN_COUNT_VARIABLE, ROUND_TO_VARIABLE])
@pytest.mark.parametrize("bad", ["0", "-3", "five", "2.5"])
def test_a_bad_threshold_is_named(monkeypatch: pytest.MonkeyPatch, variable: str, bad: str) -> None:
    monkeypatch.setenv(variable, bad)
    with pytest.raises(PublicFiguresConfigError, match=f"{variable} must be a positive whole number"):
        rules_from_environment()


def test_the_footnote_is_one_plain_sentence() -> None:
    text = footnote(DEFAULT)
    assert text.endswith(".") and text.count(".") == 1
    for words in ("1 to 7", "fewer than 8", "nearest 5", "*", "whole-programme figures are exact"):
        assert words in text
    assert "nearest" not in footnote(Rules(8, 1))


# --- the query pages use, and the command line, on the Testshire fixture ---------------------------

def test_kpi_history_protects_inside_the_query(testshire: Engine, db_url: str,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    alpha = ("Alpha",)
    internal = kpi_history("Testshire", "2019/20-Q1", 0, ("cases_completed",), alpha)
    public = kpi_history("Testshire", "2019/20-Q1", 0, ("cases_completed",), alpha, public=True)
    assert internal["value"].tolist() == [2]  # C1 and C2
    assert public["suppressed"].tolist() == [True] and public["value"].isna().all()
    whole = kpi_history("Testshire", "2019/20-Q1", 0, ("cases_completed",), None, public=True)
    assert whole["value"].tolist() == [3] and not whole["suppressed"].any()
    # Programme Communication is Alpha's alone (Beta had no answers): the programme figure is
    # shown to one decimal place, and both districts are hidden, so it names neither.
    communication = ("satisfaction_theme_communication",)
    assert kpi_history("Testshire", "2019/20-Q1", 0, communication)["value"].iloc[0] == \
        pytest.approx(280 / 3)
    public = kpi_history("Testshire", "2019/20-Q1", 0, communication, public=True, by_district=True)
    assert public["value"].tolist()[0] == 93.3
    assert public["suppressed"].tolist() == [False, True, True]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert kpi_cli.main(["--programme", "Testshire", "--period", "2019/20-Q1", "--public", *args]) == 0
    return capsys.readouterr().out


def test_cli_public_json(testshire: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    records = json.loads(_cli(capsys, "--by", "district", "--json"))
    found = {(r["kpi"], r["district"]): r for r in records}
    count_kpis = {"cases_completed", "open_cases"}
    for record in records:
        assert isinstance(record["suppressed"], bool)
        if record["suppressed"]:
            assert record["value"] is None and record["rag"] == "grey"
        if record["district"] is not None and record["kpi"] in count_kpis:
            assert record["value"] is None or not 1 <= record["value"] <= 7, record
    # Worked by hand (see tests/queries/test_kpi_values.py): every district base in Q1 is 1-3.
    expected = {
        ("cases_completed", None): (3, False),  # exact at programme level
        ("cases_completed", "Alpha"): (None, True), ("cases_completed", "Beta"): (None, True),
        ("open_cases", None): (3, False), ("open_cases", "Alpha"): (None, True),
        ("avg_days_to_complete", None): (28.7, False),  # 86 / 3 to one decimal place
        ("avg_days_to_complete", "Beta"): (None, True),
        ("dfg_spend_vs_allocation", None): (194.6, False),  # 18,000.50 of 37,000 x 3/12
        ("dfg_spend_vs_allocation", "Beta"): (None, True),
        # Communication: Alpha's 3 answers are the only ones; Beta (none) is hidden beside Alpha.
        ("satisfaction_theme_communication", "Alpha"): (None, True),
        ("satisfaction_theme_communication", "Beta"): (None, True),
        ("satisfaction_theme_communication", None): (93.3, False),
        # Budget: Alpha has 3 finance lines, Beta none; Beta is hidden with Alpha.
        ("budget_variance", "Alpha"): (None, True), ("budget_variance", "Beta"): (None, True),
        ("satisfaction_theme_reliability", None): (None, False),  # no answers anywhere
    }
    for key, (value, suppressed) in expected.items():
        record = found[key]
        assert record["suppressed"] is suppressed, key
        assert record["value"] == (value if value is None else pytest.approx(value)), key


def test_cli_public_table_and_narrowed_view(testshire: Engine, db_url: str,  # noqa: F811
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    text = _cli(capsys, "--kpi", "cases_completed", "--by", "district")
    lines = {line.split()[2]: line.split()[3] for line in text.splitlines()
             if line.startswith("Cases completed")}
    assert lines == {"Programme": "3", "Alpha": "*", "Beta": "*"}
    assert text.rstrip().endswith(footnote())
    # Two districts chosen: no combined row (the programme less one district would be the other).
    two = json.loads(_cli(capsys, "--kpi", "cases_completed", "--district", "Alpha", "--district",
                          "Beta", "--json"))
    assert [(r["district"], r["value"], r["suppressed"]) for r in two] == [(None, None, True)]
    # Only Alpha chosen: the combined row is Alpha's 2 cases, so it is hidden too.
    narrowed = json.loads(_cli(capsys, "--kpi", "cases_completed", "--district", "Alpha", "--json"))
    assert narrowed == [{"kpi": "cases_completed", "period": "2019/20-Q1", "district": None,
                         "value": None, "target": None, "rag": "grey", "suppressed": True}]


def test_cli_names_a_bad_threshold(testshire: Engine, db_url: str,  # noqa: F811
                                   monkeypatch: pytest.MonkeyPatch,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv(ROUND_TO_VARIABLE, "ten")
    assert kpi_cli.main(["--programme", "Testshire", "--period", "2019/20-Q1", "--public"]) == 2
    assert ROUND_TO_VARIABLE in capsys.readouterr().err


# --- rule 7: the audit of sums across districts and periods ---------------------------------------

def test_rounded_quarters_that_all_round_down_beside_a_year_that_rounds_up_are_hidden() -> None:
    # A completed 12 cases each quarter (shown 10) and 48 in the year (shown 50): the year is 48 to
    # 52 and the quarters add up to at most 4 x 12 = 48, so every one of A's figures is pinned.
    basis = Basis(counts={"cases_completed": "completed"}, scales={},
                  over_time=frozenset({"completed"}))
    periods = ["2019/20", *(f"2019/20-Q{q}" for q in range(1, 5))]
    per_quarter = {"A": 12, "B": 20, None: 32}
    table = pd.concat([counts({area: n * (4 if period == "2019/20" else 1)
                               for area, n in per_quarter.items()}).assign(period=period)
                       for period in periods], ignore_index=True)
    without = protect(table, rules=DEFAULT)
    assert not without["suppressed"].any()  # rules 2-6 see nothing wrong with any one figure
    out = protect(table, rules=DEFAULT, basis=basis)
    hidden = {(d, p) for d, p, h in zip(out["district"], out["period"], out["suppressed"], strict=True) if h}
    # A's year goes: it is then 128 less B's 78-82 and at most the quarters' 48, so 46 to 48, and
    # each quarter 10 to 12. Nothing else needs to go.
    assert hidden == {("A", "2019/20")}
