"""Personal data in a return's free text: the file rejected, or, at the officer's choice, redacted.

Never the raw personal data in a problem, a warning, the problems CSV or the database.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, String, Text, select

from dashboard.db import schema as s
from data_loaders import (
    LoadPlan,
    LoadRejected,
    apply_plan,
    plan_load,
    preview_upload,
    problems_frame,
)
from tests.conftest import table_snapshot
from tests.loaders.conftest import plan_text
from tests.loaders.test_cli import run

HEADER = ("title,district,date_submitted,main_issues,actions_taken,referrals_made,quote,"
          "consent_to_publish\n")
CLEAN = ("Stairlift after a stroke,Alpha,08/11/2019,Sleeping downstairs.,DFG for a stairlift.,"
         "Adaptations,I have my home back.,Yes\n")
PERSONAL = ("Ramp for a wheelchair user,Beta,02/10/2019,\"Mrs Margaret Hughes of 14 Church Lane, "
            "LE1 6ZG; NHS 943 476 5919.\",Ramp fitted.,Adaptations; OT,Ring me on 07911 123456.,Yes\n")
CASE_STUDIES = HEADER + CLEAN + PERSONAL
# The personal data in the return, as whole values (spaced as written, and run together): matched
# as whole words, so a hex digest or a timestamp that happens to hold "476" is never a finding.
RAW = ("Margaret", "Hughes", "Church Lane", "LE1 6ZG", "LE16ZG", "943 476 5919", "9434765919",
       "07911 123456", "07911123456")
_RAW = re.compile(r"\b(?:" + "|".join(re.escape(r) for r in RAW) + r")\b")


def leaks(text: str) -> list[str]:
    """Every whole personal value found in ``text``."""
    return _RAW.findall(text)


def plan_text_redacted(engine: Engine, text: str) -> LoadPlan:
    return plan_load(engine, "Testshire", "return.csv", text.encode("utf-8"), redact=True)


def test_the_search_finds_whole_values_only() -> None:
    assert set(leaks(CASE_STUDIES)) >= {"Margaret", "Hughes", "Church Lane", "LE1 6ZG",
                                        "943 476 5919", "07911 123456"}
    assert leaks("sha256 9f4763a5919e0123456b, at 20:45:21.476123") == []  # digits by chance


def all_stored_text(engine: Engine) -> str:
    """Every text value in every table, one a line (dates, times and numbers are not where free
    text goes, and their digits would only match by chance)."""
    found = []
    with engine.connect() as conn:
        for table in s.metadata.sorted_tables:
            columns = [c for c in table.c if isinstance(c.type, String | Text)]
            if columns:
                found += [str(v) for row in conn.execute(select(*columns)) for v in row if v is not None]
    return "\n".join(found)


def test_a_case_study_with_personal_data_is_rejected_naming_what_was_found(programme: Engine) -> None:
    before = table_snapshot(programme)
    plan = plan_text(programme, CASE_STUDIES)
    with pytest.raises(LoadRejected):
        apply_plan(programme, plan, user="test")
    assert table_snapshot(programme) == before
    assert [(p.row, p.column, p.value, p.reason) for p in plan.problems] == [
        (3, "main_issues", "Mrs M… H…; … C… Lane; LE1 …; 943 …",
         "contains personal data: a personal name (Mrs M… H…), a street address (… C… Lane), "
         "a postcode (LE1 …), an NHS number (943 …)"),
        (3, "quote", "07911 …", "contains personal data: a UK phone number (07911 …)"),
    ]
    report = problems_frame(plan).to_csv(index=False)
    assert not leaks(report)


@pytest.mark.parametrize(("text", "column"), [
    ("feedback_ref,district,received_date,kind,summary\n"
     "F1,Alpha,01/04/2019,Complaint,Mr Patel says the fitter was late\n", "summary"),
    ("dfg_ref,district,enquiry_date,status,withdrawn_date,withdrawn_reason\n"
     "D1,Alpha,01/04/2019,Withdrawn,01/05/2019,Moved to 7 Acacia Avenue\n", "withdrawn_reason"),
    (HEADER + "Help for Dylan Jones,Alpha,08/11/2019,,,,,Yes\n", "title"),
    (HEADER + "Help at night,Alpha,08/11/2019,,,Adaptations; Dr Patel,,Yes\n", "referrals_made"),
])
def test_every_free_text_column_is_screened(programme: Engine, text: str, column: str) -> None:
    before = table_snapshot(programme)
    plan = plan_text(programme, text)
    assert [(p.row, p.column) for p in plan.problems] == [(2, column)]
    assert plan.problems[0].reason.startswith("contains personal data: a ")
    with pytest.raises(LoadRejected):
        apply_plan(programme, plan, user="test")
    assert table_snapshot(programme) == before


def test_with_redact_the_records_are_stored_with_labels(programme: Engine) -> None:
    plan = plan_text_redacted(programme, CASE_STUDIES)
    assert plan.ok and plan.to_insert == 2
    assert plan.warnings == [
        "row 3, main_issues: personal data removed (a personal name, a street address, a postcode, "
        "an NHS number)",
        "row 3, quote: personal data removed (a UK phone number)",
    ]
    apply_plan(programme, plan, user="test")
    with programme.connect() as conn:
        rows = {r.title: r for r in conn.execute(select(s.case_studies))}
    assert rows["Ramp for a wheelchair user"].main_issues == (
        "[personal name removed] of [street address removed], [postcode removed]; "
        "NHS [NHS number removed].")
    assert rows["Ramp for a wheelchair user"].quote == "Ring me on [UK phone number removed]."
    assert rows["Stairlift after a stroke"].main_issues == "Sleeping downstairs."
    assert not leaks(all_stored_text(programme))  # import log included


def test_redacting_a_clean_file_changes_nothing(programme: Engine) -> None:
    plan = plan_text_redacted(programme, HEADER + CLEAN)
    assert plan.ok and plan.warnings == []
    assert plan.records[0]["main_issues"] == "Sleeping downstairs."


def test_redaction_warnings_stop_at_200_cells_then_count(programme: Engine) -> None:
    rows = "".join(f"F{i},Alpha,01/04/2019,Compliment,Thanks to Mrs Hughes\n" for i in range(205))
    plan = plan_text_redacted(programme, "feedback_ref,district,received_date,kind,summary\n" + rows)
    assert plan.ok
    assert plan.warnings[0] == "row 2, summary: personal data removed (a personal name)"
    assert len(plan.warnings) == 201
    assert plan.warnings[-1] == "… and personal data removed from 5 more cells"
    assert {r["summary"] for r in plan.records} == {"Thanks to [personal name removed]"}


def test_district_names_are_not_taken_for_people(engine: Engine) -> None:
    """A district that looks like a name ("Rhys Mowbray") is a place for its own programme."""
    districts = "district,code\nRhys Mowbray,RM\n"
    apply_plan(engine, plan_text(engine, districts, programme="Shire"), user="test")
    text = HEADER + "Help in Rhys Mowbray,Rhys Mowbray,08/11/2019,,,,,Yes\n"
    assert plan_text(engine, text, programme="Shire").ok


def test_the_returns_page_preview_passes_the_choice_through(
    programme: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    content = CASE_STUDIES.encode("utf-8")
    assert not preview_upload("Testshire", "return.csv", content).ok
    plan = preview_upload("Testshire", "return.csv", content, redact=True)
    assert plan.ok and len(plan.warnings) == 2


# --- command line --------------------------------------------------------------------------------

@pytest.fixture
def return_file(db_url: str, engine: Engine, tmp_path: Path) -> Path:
    districts = Path(__file__).parents[1] / "fixtures" / "kpis" / "districts.csv"
    assert run(db_url, "load", "--programme", "Testshire", str(districts)).returncode == 0
    path = tmp_path / "case_studies.csv"
    path.write_text(CASE_STUDIES, encoding="utf-8")
    return path


def test_cli_rejects_personal_data_and_exits_one(db_url: str, engine: Engine, return_file: Path,
                                                  tmp_path: Path) -> None:
    before = table_snapshot(engine)
    report = tmp_path / "problems.csv"
    for command in ("load", "check"):
        done = run(db_url, command, "--programme", "Testshire", str(return_file), "--report",
                   str(report))
        assert done.returncode == 1, done.stdout + done.stderr
        assert "contains personal data" in done.stdout and "LE1 …" in done.stdout
        assert not leaks(done.stdout + done.stderr)
        rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
        assert [(r["row"], r["column"]) for r in rows] == [("3", "main_issues"), ("3", "quote")]
        assert not leaks(report.read_text(encoding="utf-8"))
    assert table_snapshot(engine) == before


def test_cli_redact_flag_loads_redacted_text_and_exits_zero(db_url: str, engine: Engine,
                                                            return_file: Path) -> None:
    before = table_snapshot(engine)
    checked = run(db_url, "check", "--programme", "Testshire", str(return_file),
                  "--redact-personal-data")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "2 to insert" in checked.stdout and "personal data removed" in checked.stdout
    assert table_snapshot(engine) == before  # check writes nothing
    done = run(db_url, "load", "--programme", "Testshire", str(return_file), "--redact-personal-data")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 inserted" in done.stdout
    assert not leaks(done.stdout)
    stored = all_stored_text(engine)
    assert "[postcode removed]" in stored and not leaks(stored)


def test_text_longer_than_its_column_is_a_problem_not_a_database_error(engine: Engine) -> None:
    from tests.loaders.conftest import load_text

    load_text(engine, "district,code\nAlpha,ALP\n", programme="Longshire")
    title = "A" * 150 + " Mrs Margaret Hughes " + "B" * 29  # 200 characters before redaction
    assert len(title) == 200
    content = ("title,district,date_submitted,consent_to_publish\n"
               f"{title},Alpha,01/05/2019,Yes\n").encode()
    plan = plan_load(engine, "Longshire", "long.csv", content, redact=True)
    assert [(p.row, p.column) for p in plan.problems] == [(2, "title")]
    assert plan.problems[0].reason.startswith("too long: ")
    assert plan.problems[0].value.endswith("…") and len(plan.problems[0].value) == 201
