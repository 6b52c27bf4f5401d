"""The screening's first-name list (MIT sources only) knows at least 90% of 105 first names usual in
the UK, in the shape names are written in, and the file says where it came from."""

from __future__ import annotations

from pathlib import Path

from dashboard.access.screening import FIRST_NAMES, NAME, _name_tables, find_personal_data

TEST_SET = Path(__file__).resolve().parents[1] / "fixtures" / "names" / "uk_first_names.txt"


def _test_names() -> list[str]:
    return [line.strip() for line in TEST_SET.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


def test_the_test_set_is_105_names() -> None:
    assert len(set(_test_names())) == 105


def test_recall_in_context_is_at_least_90_percent() -> None:
    names = _test_names()
    found = [n for n in names if any(f.kind == NAME for f in find_personal_data(
        f"The case was referred by {n} Hollingworth last week."))]
    assert len(found) / len(names) >= 0.90, sorted(set(names) - set(found))


def test_the_list_is_from_mit_sources_and_flags_words() -> None:
    header = FIRST_NAMES.read_text(encoding="utf-8").splitlines()[:3]
    assert "Faker" in header[0] and "MIT" in " ".join(header)
    in_context, alone = _name_tables()
    assert "harpreet" in alone and "margaret" in alone
    assert "grant" not in alone and "may" not in alone  # words are never names on their own
    assert alone <= in_context
