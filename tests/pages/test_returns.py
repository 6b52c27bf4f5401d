"""Returns page: upload, preview, confirm — and a bad file that cannot be loaded."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from dashboard.access import PermissionDenied, Role, User
from dashboard.db import schema as s
from dashboard.db.programmes import programme_names
from dashboard.queries.programmes import districts_frame
from dashboard.ui.return_uploads import problems_file_name
from data_loaders import KINDS, confirm_upload, example_csv, kinds_of, plan_load, preview_upload
from tests.conftest import table_snapshot
from tests.pages.conftest import as_read, captions, open_tab

GOOD = (b"case_ref,district,referral_date,case_type,outcome,closed_date\n"
        b"N1,Alpha,01/08/2019,Housing MOT,Completed,15/08/2019\n"
        b"C1,Alpha,01/04/2019,Housing MOT,Completed,12/04/2019\n"  # C1 closed a day later: update
        b"C2,ALP,15/05/2019,Minor adaptation,Completed,30/06/2019\n")  # as stored: unchanged
BAD = (b"case_ref,district,referral_date,case_type,outcome,closed_date\n"
       b"X1,Gamma,06/13/2019,DFG,Completed,\n")


def cases(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(s.cases)).scalar()


def open_returns(app, tab: str | None = None):  # noqa: ANN001, ANN201
    at = app("returns", programme="Testshire", grain="Quarter", period_quarter="2019/20 Q1")
    return at if tab is None else open_tab(at, tab)


def test_only_the_open_tab_runs(app, testshire: Engine) -> None:  # noqa: ANN001
    """A tab's uploader is there only once the server has drawn that tab: a file cannot be dropped
    into a tab the server has not opened yet, and the hidden tabs cost nothing."""
    at = open_returns(app)
    assert [t.label for t in at.tabs] == ["Load a return", "Submission tracker", "Templates",
                                          "Council files", "Start a programme"]
    assert [u.key for u in at.get("file_uploader")] == ["return_file"]
    assert not at.dataframe and not at.get("download_button")  # no tracker, no templates
    open_tab(at, "Council files")
    assert [u.key for u in at.get("file_uploader")] == ["council_file"]
    open_tab(at, "Start a programme")
    assert [u.key for u in at.get("file_uploader")] == ["programme_file"]


def test_upload_preview_confirm(app, testshire: Engine) -> None:  # noqa: ANN001
    at = open_returns(app)
    at.file_uploader(key="return_file").set_value(("august.csv", GOOD, "text/csv")).run()
    metrics = {m.label: m.value for m in at.metric}
    # N1 is new; C1's closed date changes (11/04 -> 12/04); C2 matches the stored row.
    assert metrics == {"Rows to insert": "1", "Rows to update": "1", "Rows unchanged": "1"}
    assert cases(testshire) == 8  # previewing writes nothing
    assert any("record this load as Local administrator" in c.value for c in at.caption)
    changed = at.dataframe[0].value  # C1's changed field, stored and new, day first
    assert changed.to_dict("records") == [{"District": "Alpha", "Record": "C1", "Field": "closed_date",
                                           "Now stored": "11/04/2019", "After this load": "12/04/2019"}]
    at.button(key="return_file_confirm").click().run()
    assert any("Loaded: august.csv" in as_read(s.value) for s in at.success)
    assert cases(testshire) == 9
    # The load is done: the preview and its button go, the uploader is empty for the next file.
    assert not at.metric and not at.button and at.file_uploader[0].value is None
    at.run()
    assert not any("Loaded:" in s.value for s in at.success)  # said once, not on every click
    with testshire.connect() as conn:
        who = conn.execute(select(s.import_log.c.loaded_by).order_by(s.import_log.c.id.desc())).first()
    assert who[0].startswith("Local administrator")  # the signed-in identity, never free text


def test_a_bad_file_lists_problems_and_cannot_be_loaded(app, testshire: Engine) -> None:  # noqa: ANN001
    before = table_snapshot(testshire)
    at = open_returns(app)
    at.file_uploader(key="return_file").set_value(("bad.csv", BAD, "text/csv")).run()
    assert any("cannot be loaded: 3 problems" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert set(problems["column"]) == {"district", "referral_date", "closed_date"}
    assert not at.button  # no load button at all
    assert len(at.get("download_button")) >= 1
    assert table_snapshot(testshire) == before


def test_tracker_and_templates(app, testshire: Engine) -> None:  # noqa: ANN001
    at = open_returns(app, "Submission tracker")
    tracker = at.dataframe[0].value
    assert set(tracker["District"]) == {"Alpha", "Beta"}
    assert list(tracker.columns) == ["District", "Return", "Status", "Loads", "Rows", "Last loaded"]
    beta_finance = tracker[(tracker["District"] == "Beta") & (tracker["Return"] == "finance")]
    assert beta_finance["Status"].iloc[0] == "⚠ Overdue"  # due 10 July 2019, long past
    loaded = tracker[tracker["Loads"] > 0]["Last loaded"]
    assert len(loaded) and loaded.str.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}").all()  # day first
    text = captions(at)
    assert "due by 10 July 2019" in text and "environment variable" not in text and "(s)" not in text
    open_tab(at, "Templates")
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


def test_problems_file_is_named_after_the_return() -> None:
    assert problems_file_name("august.csv") == "august-problems.csv"
    assert problems_file_name("Blaby Q1.xlsx") == "Blaby Q1-problems.csv"
    assert problems_file_name("..\\..\\evil<>|.csv") == "evil-problems.csv"
    assert problems_file_name("") == "return-problems.csv"


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_example_loads_on_the_programme_it_was_made_for(kind: str, sample_engine: Engine,
                                                             testshire: Engine) -> None:
    """Lightbulb and HEART ship their own samples; Testshire has none and borrows rows moved onto
    its own districts. Each example passes every check on its programme as downloaded. A savings
    return's example is the sample savings programme's, named for the programme it is made for."""
    on = (((sample_engine, "Lightbulb"), (sample_engine, "HEART"), (testshire, "Testshire"))
          if kind in kinds_of("housing") else ((sample_engine, "Target Operating Model"),)
          if kind in kinds_of("savings") else ((sample_engine, "East Lothian care at home"),))
    for engine, programme in on:
        districts = districts_frame(engine, programme)
        content = example_csv(kind, programme, list(zip(
            districts["district"], districts["code"], districts["aliases"].fillna(""), strict=True)))
        plan = plan_load(engine, programme, f"{kind}-example.csv", content)
        assert plan.ok and plan.kind == kind, (programme, [p.reason for p in plan.problems])
        assert len(plan.records) >= 2, programme
        if any(column.endswith("_ref") for column in KINDS[kind].key):
            # New references: the preview shows what a load does, not the sample already loaded.
            assert (plan.to_insert, plan.to_update) == (len(plan.records), 0), programme


DISTRICTS = b"district,code,aliases\nNorthmoor,NMR,Northmoor District Council\nSouthvale,SVL,\n"


def test_an_administrator_starts_a_programme_on_the_page(app, testshire: Engine) -> None:  # noqa: ANN001
    at = open_returns(app, "Start a programme")
    at.text_input(key="new_programme_name").input("Moorland").run()
    at.file_uploader(key="programme_file").set_value(("districts.csv", DISTRICTS, "text/csv")).run()
    assert any("will be started with 2 districts" in as_read(s.value) for s in at.success)
    assert "Moorland" not in programme_names(testshire)  # nothing written before confirming
    at.button(key="programme_file_confirm").click().run()
    assert "Moorland" in programme_names(testshire)
    assert list(districts_frame(testshire, "Moorland")["district"]) == ["Northmoor", "Southvale"]
    assert at.file_uploader(key="programme_file_1").value is None


def test_only_an_administrator_may_start_a_programme(app, testshire: Engine) -> None:  # noqa: ANN001
    officer = User(name="Olive", email="olive@council.gov.uk", role=Role.OFFICER, signed_in=True)
    plan = preview_upload("Moorland", "districts.csv", DISTRICTS, "districts")
    assert plan.ok and plan.creates_programme
    before = table_snapshot(testshire)
    with pytest.raises(PermissionDenied, match="set up programme needs admin"):
        confirm_upload(plan, officer)  # the server's check, whatever a page showed
    assert table_snapshot(testshire) == before
