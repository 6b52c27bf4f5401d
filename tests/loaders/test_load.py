"""Loading returns: every rejection leaves the database as it was; reloads change nothing."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from dashboard.db.summaries import SAME_REFERENCE, refresh_all
from data_loaders import LoadRejected, apply_plan, plan_load
from tests.conftest import FIXTURES, table_snapshot
from tests.loaders.conftest import load_text, plan_text, summary_rows_match_the_raw_rows

CASES_HEADER = "case_ref,district,referral_date,case_type,outcome,closed_date\n"


def rejected(engine: Engine, text: str | bytes, *, kind: str | None = None,
             name: str = "return.csv") -> list:
    """Plan and try to apply; assert it is rejected and nothing at all changed."""
    before = table_snapshot(engine)
    content = text if isinstance(text, bytes) else text.encode("utf-8")
    plan = plan_load(engine, "Testshire", name, content, kind)
    with pytest.raises(LoadRejected):
        apply_plan(engine, plan, user="test")
    assert table_snapshot(engine) == before
    return plan.problems


def reasons(problems: list) -> str:
    return " | ".join(f"{p.row}:{p.column}:{p.value}:{p.reason}" for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("case_ref,district,referral_date,outcome\nC1,Alpha,01/04/2019,Open\n",
         "1:case_type::required column is missing"),
        (CASES_HEADER + "C1,Gamma,01/04/2019,DFG,Open,\n", "2:district:Gamma:unknown district"),
        (CASES_HEADER + "C1,Alpha,04/13/2019,DFG,Open,\n",
         "2:referral_date:04/13/2019:04/13/2019 is not a real date: there is no month 13"),
        (CASES_HEADER + "C1,Alpha,43556,DFG,Open,\n", "2:referral_date:43556:looks like an Excel"),
        (CASES_HEADER + "C1,Alpha,01/04/2019,DFG,Completed,\n",
         "2:closed_date::outcome is Completed but closed_date is blank"),
        (CASES_HEADER + "C1,Alpha,01/04/2019,DFG,Completed,01/03/2019\n",
         "2:closed_date:01/03/2019:closed before referral"),
        (CASES_HEADER + "C1,Alpha,01/04/2019,Loft,Open,\n", "2:case_type:Loft:must be one of"),
        (CASES_HEADER + "C1,Alpha,01/04/2019,DFG,Open,\nC1,ALP,02/04/2019,DFG,Open,\n",
         "3:case_ref:C1:duplicate of row 2"),
        (CASES_HEADER + "C1,Alpha,,DFG,Open,\n", "2:referral_date::required, but blank"),
    ],
)
def test_cases_rejections(programme: Engine, text: str, expected: str) -> None:
    assert expected in reasons(rejected(programme, text))


DFG_HEADER = ("dfg_ref,district,enquiry_date,valid_application_date,completion_date,grant_amount,"
              "status,withdrawn_date\n")


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("D1,Alpha,01/01/2019,01/02/2019,,,Completed,", "completion_date::status is Completed"),
        ("D1,Alpha,01/01/2019,,,,Withdrawn,", "withdrawn_date::status is Withdrawn"),
        ("D1,Alpha,01/01/2019,01/02/2019,01/03/2019,-500,Completed,", "grant_amount:-500:negative"),
        ("D1,Alpha,01/01/2019,01/02/2019,01/03/2019,\"£6,000,000\",Completed,", "implausible"),
        ("D1,Alpha,01/01/2019,01/02/2019,01/03/2019,six grand,Completed,", "not an amount"),
        ("D1,Alpha,01/01/2019,01/03/2019,01/02/2019,5000,Completed,",
         "completion before valid application"),
    ],
)
def test_dfg_rejections(programme: Engine, row: str, expected: str) -> None:
    assert expected in reasons(rejected(programme, DFG_HEADER + row + "\n"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (CASES_HEADER.encode(), "header but no data rows"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not a CSV or Excel"),
        ("feedback_ref,district,received_date,kind,summary\nF1,Alpha,01/04/2019,Complaint,£50 "
         "refund\n".encode("cp1252"), "not UTF-8 text: byte 0xA3 on line 2"),
        (b"colour,shape\nred,round\n", "cannot tell which return this is"),
        (b"PK\x03\x04 not really a workbook", "cannot be opened"),
    ],
)
def test_whole_file_rejections(programme: Engine, content: bytes, expected: str) -> None:
    assert expected in reasons(rejected(programme, content))


def test_file_over_the_size_limit(programme: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "1")
    big = CASES_HEADER + "C1,Alpha,01/04/2019,DFG,Open,\n" * 40_000  # about 1.2 MB
    assert "over the 1 MB limit" in reasons(rejected(programme, big))


def test_other_kinds_rejections(programme: Engine) -> None:
    assert "theme:Joy:must be one of" in reasons(rejected(
        programme, "response_ref,district,response_date,theme,score\nS1,Alpha,01/04/2019,Joy,5\n"))
    assert "score:6:must be a whole number from 1 to 5" in reasons(rejected(
        programme, "response_ref,district,response_date,theme,score\nS1,Alpha,01/04/2019,"
                   "Communication,6\n"))
    assert "kpi:happiness:unknown KPI" in reasons(rejected(
        programme, "kpi,target\nhappiness,100\n"))
    assert "financial_year:2019/21" in reasons(rejected(
        programme, "district,financial_year,dfg_capital_grant\nAlpha,2019/21,1000\n"))
    assert "month:13:must be a whole number from 1 to 12" in reasons(rejected(
        programme, "partner,financial_year,month,cost_line,budget,actual\nAlpha,2019/20,13,"
                   "Staffing,1,1\n"))


def test_every_problem_is_reported_not_just_the_first(programme: Engine) -> None:
    problems = rejected(programme, CASES_HEADER + "C1,Gamma,31/02/2019,Loft,Open,\n"
                        "C2,Alpha,01/04/2019,DFG,Completed,\n")
    assert {(p.row, p.column) for p in problems} == {
        (2, "district"), (2, "referral_date"), (2, "case_type"), (3, "closed_date")}


def test_unknown_programme_needs_its_districts_first(engine: Engine) -> None:
    plan = plan_text(engine, CASES_HEADER + "C1,Alpha,01/04/2019,DFG,Open,\n", programme="Nowhere")
    assert "no programme called 'Nowhere'" in reasons(plan.problems)
    assert "load its districts file first" in reasons(plan.problems)


def test_districts_file_creates_the_programme(engine: Engine) -> None:
    result = load_text(engine, "district,code,aliases\nRiverside,RIV,River side; RS\n",
                       programme="New Programme")
    assert result.inserted == 1
    with engine.connect() as conn:
        assert conn.execute(select(s.programmes.c.name)).scalars().all() == ["New Programme"]


def test_normalised_values_are_stored(programme: Engine) -> None:
    load_text(programme, "DFG Ref , District,Enquiry Date,valid_application_date,completion_date,"
              "Grant Amount,status,notes\n"
              "D1,b&t,12-Jun-2019,1 July 2019,2019-08-01,\"£6,102.50\",completed,private\n")
    with programme.connect() as conn:
        row = conn.execute(select(s.dfg)).mappings().one()
        beta = conn.execute(select(s.districts.c.id).where(s.districts.c.code == "BET")).scalar()
    assert (row["district_id"], row["enquiry_date"], row["valid_application_date"]) == (
        beta, date(2019, 6, 12), date(2019, 7, 1))
    assert (row["completion_date"], row["grant_amount"], row["status"]) == (
        date(2019, 8, 1), 6102.5, "Completed")


def test_extra_columns_and_unknown_optional_values_are_warnings(programme: Engine) -> None:
    plan = plan_text(programme, "case_ref,district,referral_date,case_type,outcome,referral_source,"
                     "referrals_out,colour\nC1,Alpha,01/04/2019,dfg,open,Pharmacy,ot; Dentist,red\n")
    assert plan.ok
    assert any("colour" in w for w in plan.warnings)
    assert any("'Pharmacy' is not a recognised value" in w for w in plan.warnings)
    apply_plan(programme, plan, user="test")
    with programme.connect() as conn:
        row = conn.execute(select(s.cases)).mappings().one()
    assert (row["case_type"], row["outcome"], row["referral_source"], row["referrals_out"]) == (
        "DFG", "Open", "Pharmacy", "OT; Dentist")


def test_formula_like_cells_are_stored_as_text(programme: Engine) -> None:
    load_text(programme, "feedback_ref,district,received_date,kind,summary\n"
              "F1,Alpha,01/04/2019,Complaint,=HYPERLINK(\"http://x\")\n"
              "F2,Alpha,01/04/2019,Compliment,+44 thanks\n"
              "F3,Alpha,01/04/2019,Compliment,-great\n"
              "F4,Alpha,01/04/2019,Compliment,@home\n")
    with programme.connect() as conn:
        summaries = conn.execute(select(s.feedback.c.summary).order_by(s.feedback.c.feedback_ref))
        assert summaries.scalars().all() == ['=HYPERLINK("http://x")', "+44 thanks", "-great", "@home"]


def test_xlsx_with_real_date_cells(programme: Engine) -> None:
    book = Workbook()
    book.active.title = "notes"
    sheet = book.create_sheet("cases")
    sheet.append(["case_ref", "district", "referral_date", "case_type", "outcome", "closed_date"])
    sheet.append(["C1", "Alpha", datetime(2019, 4, 1), "DFG", "Completed", datetime(2019, 4, 11)])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = plan_load(programme, "Testshire", "cases.xlsx", buffer.getvalue(), kind="cases")
    assert plan.ok, reasons(plan.problems)
    apply_plan(programme, plan, user="test")
    with programme.connect() as conn:
        row = conn.execute(select(s.cases)).mappings().one()
    assert (row["referral_date"], row["closed_date"]) == (date(2019, 4, 1), date(2019, 4, 11))


def _data_tables(engine: Engine) -> dict:
    """Everything but the import log and its per-partner lines, which record each attempt."""
    snapshot = table_snapshot(engine)
    snapshot.pop("import_log")
    snapshot.pop("import_districts")
    return snapshot


def test_reloading_a_file_changes_nothing_and_a_changed_row_updates(programme: Engine) -> None:
    cases = (FIXTURES / "kpis" / "cases.csv").read_text()
    first = load_text(programme, cases)
    before = _data_tables(programme)
    again = load_text(programme, cases)
    assert (first.inserted, again.inserted, again.updated, again.unchanged) == (8, 0, 0, 8)
    assert _data_tables(programme) == before
    changed = cases.replace("C4,Beta,10/03/2019,GP,Access,Housing MOT,HSC,,09/04/2019",
                            "C4,Beta,10/03/2019,GP,Access,Housing MOT,HSC,,19/04/2019")
    update = load_text(programme, changed)
    assert (update.inserted, update.updated, update.unchanged) == (0, 1, 7)
    with programme.connect() as conn:
        log = conn.execute(select(s.import_log.c.rows_unchanged, s.import_log.c.sha256)
                           .order_by(s.import_log.c.id)).all()
    assert [row[0] for row in log] == [0, 0, 8, 7]  # districts, first load, reload, update
    assert len(log[1][1]) == 64


def test_summaries_equal_a_direct_aggregation_of_the_rows(programme: Engine) -> None:
    for kind in ("cases", "dfg", "satisfaction", "feedback"):
        load_text(programme, (FIXTURES / "kpis" / f"{kind}.csv").read_text())
    counts = summary_rows_match_the_raw_rows(programme)
    assert all(counts.values()), counts


def test_cases_summary_matches_an_independent_count_after_an_incremental_update(
    programme: Engine,
) -> None:
    import pandas as pd

    cases = (FIXTURES / "kpis" / "cases.csv").read_text()
    load_text(programme, cases)
    load_text(programme, cases.replace("09/04/2019,Completed", "19/05/2019,Completed"))  # Beta only
    with programme.connect() as conn:
        raw = pd.DataFrame(conn.execute(select(s.cases)).mappings().all())
        stored = pd.DataFrame(conn.execute(select(s.summary_cases)).mappings().all())
    raw["referral_ym"] = [d.year * 100 + d.month for d in raw["referral_date"]]
    raw["closed_ym"] = [None if pd.isna(d) else d.year * 100 + d.month for d in raw["closed_date"]]
    expected: dict[tuple[int, int], list[int]] = {}
    for row in raw.itertuples():
        expected.setdefault((row.district_id, row.referral_ym), [0, 0, 0, 0])[0] += 1
        if row.closed_ym is not None and not pd.isna(row.closed_ym):
            totals = expected.setdefault((row.district_id, int(row.closed_ym)), [0, 0, 0, 0])
            totals[1] += 1
            if row.outcome == "Completed":
                totals[2] += 1
                totals[3] += (row.closed_date - row.referral_date).days
    got = stored.groupby(["district_id", "ym"])[["referred", "closed", "completed",
                                                 "completed_days_sum"]].sum()
    assert {k: list(map(int, v)) for k, v in got.iterrows()} == expected


def test_a_50_mb_file_is_over_the_default_limit(programme: Engine) -> None:
    row = "C1,Alpha,01/04/2019,DFG,Open,\n"
    big = (CASES_HEADER + row * (50 * 1024 * 1024 // len(row) + 1)).encode()
    assert len(big) > 50 * 1024 * 1024
    assert "over the 25 MB limit" in reasons(rejected(programme, big))


def _kept(engine: Engine) -> dict[str, list]:
    """The quality counts and records to check as stored, in a comparable order."""
    with engine.connect() as conn:
        return {table.name: sorted(tuple(map(str, row[1:] if table is s.summary_checks else row))
                                   for row in conn.execute(select(table)))
                for table in (s.summary_quality, s.summary_checks)}


def test_each_load_changes_the_summaries_as_a_full_rebuild_would(programme: Engine) -> None:
    """A load adds its rows and takes out the stored rows it changes, never rebuilding a district:
    after every kind of change the summaries, completeness counts and records to check equal a
    rebuild from every row. The hard cases: a month whose newest date leaves with a corrected
    row, a case moving month, a list emptied, a record that stops failing a check, a reference
    shared by two districts and no longer, money changed by pennies."""
    header = "case_ref,district,referral_date,referral_source,case_type,closed_date,outcome,referrals_out\n"
    grants = ("dfg_ref,district,enquiry_date,valid_application_date,completion_date,grant_amount,"
              "status\n")
    loads = [
        header + "A1,Alpha,01/04/2019,GP,Housing MOT,,Open,OT; Adaptations\n"
                 "A2,Alpha,28/04/2019,,Housing MOT,,Open,\n"
                 "B1,Beta,03/04/2019,Self,Housing MOT,20/04/2019,Completed,OT\n",
        # A2's referral corrected back from the 28th (April's newest date) to the 2nd; A1 closed in
        # May with its list emptied; B1 moves to May; A1 sent by Beta as well.
        header + "A1,Alpha,01/04/2019,GP,Housing MOT,02/05/2019,Completed,\n"
                 "A2,Alpha,02/04/2019,,Housing MOT,,Open,\n"
                 "B1,Beta,03/05/2019,Self,Housing MOT,20/05/2019,Completed,OT\n"
                 "A1,Beta,05/04/2019,GP,Housing MOT,,Open,\n",
        grants + "G1,Alpha,01/01/2019,01/02/2019,01/06/2019,31000.10,Completed\n"
                 "G2,Beta,01/01/2019,01/02/2019,01/06/2019,1000.05,Completed\n",
        grants + "G1,Alpha,01/01/2019,01/02/2019,01/06/2019,12000.20,Completed\n"
                 "G2,Beta,01/01/2019,01/02/2019,01/06/2019,1000.06,Completed\n",
        # The only case of a month corrected into another: the month's rows go.
        header + "B1,Beta,03/06/2019,Self,Housing MOT,20/06/2019,Completed,OT\n",
    ]
    for text in loads:
        load_text(programme, text)
        summary_rows_match_the_raw_rows(programme)
        kept = _kept(programme)
        with programme.begin() as conn:
            pid = conn.execute(select(s.programmes.c.id)).scalar()
            refresh_all(conn, pid)
        assert _kept(programme) == kept, text
    with programme.connect() as conn:
        shared = conn.execute(select(s.summary_checks.c.reference).where(
            s.summary_checks.c.check == SAME_REFERENCE)).scalars().all()
        months = conn.execute(select(s.summary_cases.c.ym).distinct()).scalars().all()
    assert sorted(shared) == ["A1", "A1"]
    assert {201904, 201905, 201906} <= set(months)


def test_text_reaches_the_database_exactly_as_sent_through_the_bulk_write(programme: Engine) -> None:
    """PostgreSQL writes through COPY's text format: a backslash, a tab, a line break inside a
    quoted cell or the letters of its NULL marker must arrive as typed, and a blank stay blank."""
    sent = ["back\\slash", "a\ttab", "two\nlines", "\\N", "", "=1+1", "plain"]
    rows = "".join(f'F{n},Alpha,01/05/2019,Compliment,"{text}"\n' for n, text in enumerate(sent))
    load_text(programme, "feedback_ref,district,received_date,kind,summary\n" + rows)
    with programme.connect() as conn:
        stored = dict(conn.execute(select(s.feedback.c.feedback_ref, s.feedback.c.summary)).all())
    assert [stored[f"F{n}"] for n in range(len(sent))] == [t or None for t in sent]
