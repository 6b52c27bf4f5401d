"""Returns page: upload, preview, confirm — and a bad file that cannot be loaded."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from dashboard.db import schema as s
from tests.conftest import table_snapshot
from tests.pages.conftest import as_read

GOOD = (b"case_ref,district,referral_date,case_type,outcome,closed_date\n"
        b"N1,Alpha,01/08/2019,Housing MOT,Completed,15/08/2019\n"
        b"C1,Alpha,01/04/2019,Housing MOT,Completed,12/04/2019\n"  # C1 closed a day later: update
        b"C2,ALP,15/05/2019,Minor adaptation,Completed,30/06/2019\n")  # as stored: unchanged
BAD = (b"case_ref,district,referral_date,case_type,outcome,closed_date\n"
       b"X1,Gamma,06/13/2019,DFG,Completed,\n")


def cases(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.cases)).scalar()


def open_returns(app):  # noqa: ANN001, ANN201
    return app("returns", programme="Testshire", grain="Quarter", period_quarter="2019/20 Q1")


def test_upload_preview_confirm(app, testshire: Engine) -> None:  # noqa: ANN001
    at = open_returns(app)
    at.file_uploader(key="return_file").set_value(("august.csv", GOOD, "text/csv")).run()
    metrics = {m.label: m.value for m in at.metric}
    # N1 is new; C1's closed date changes (11/04 -> 12/04); C2 matches the stored row.
    assert metrics == {"Rows to insert": "1", "Rows to update": "1", "Rows unchanged": "1"}
    assert cases(testshire) == 8  # previewing writes nothing
    assert any("record this load as Local administrator" in c.value for c in at.caption)
    at.button[0].click().run()
    assert any("Loaded: august.csv" in as_read(s.value) for s in at.success)
    assert cases(testshire) == 9
    with testshire.connect() as conn:
        who = conn.execute(select(s.import_log.c.loaded_by).order_by(s.import_log.c.id.desc())).first()
    assert who[0].startswith("Local administrator")  # the signed-in identity, never free text


def test_a_bad_file_lists_problems_and_cannot_be_loaded(app, testshire: Engine) -> None:  # noqa: ANN001
    before = table_snapshot(testshire)
    at = open_returns(app)
    at.file_uploader(key="return_file").set_value(("bad.csv", BAD, "text/csv")).run()
    assert any("cannot be loaded: 3 problem(s)" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert set(problems["column"]) == {"district", "referral_date", "closed_date"}
    assert not at.button  # no load button at all
    assert len(at.get("download_button")) >= 1
    assert table_snapshot(testshire) == before


def test_tracker_and_templates(app, testshire: Engine) -> None:  # noqa: ANN001
    at = open_returns(app)
    tracker = at.dataframe[0].value
    assert set(tracker["district"]) == {"Alpha", "Beta"}
    beta_finance = tracker[(tracker["district"] == "Beta") & (tracker["kind"] == "finance")]
    assert beta_finance["status"].iloc[0] == "⚠ Overdue"  # due 10 July 2019, long past
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("Empty template") == 9 and labels.count("Filled example") == 9


STUDY = (b"title,district,date_submitted,main_issues,consent_to_publish\n"
         b"Safer stairs,Alpha,01/05/2019,Mrs Joan Smith at LE1 6ZG kept falling,Yes\n")


def test_personal_data_rejected_or_removed_on_request(app, testshire: Engine) -> None:  # noqa: ANN001
    at = open_returns(app)
    at.file_uploader(key="return_file").set_value(("study.csv", STUDY, "text/csv")).run()
    problems = at.dataframe[0].value
    assert problems["column"].tolist() == ["main_issues"]
    assert "LE1 6ZG" not in problems.to_csv() and "Joan Smith" not in problems.to_csv()
    at.checkbox(key="return_redact").check().run()
    assert any("removed" in w.value for w in at.warning)
    at.button[0].click().run()
    with testshire.connect() as conn:
        stored = conn.execute(select(s.case_studies.c.main_issues)).scalar()
    assert "LE1 6ZG" not in stored and "Joan Smith" not in stored and "kept falling" in stored
