"""Every page that shows a table offers them all as one Excel workbook at its end: numbers as
numbers, only the tables this run showed, and in the public view nothing the page withheld."""

from __future__ import annotations

import io
from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.figures.periods import parse_period
from dashboard.packs.excel import DEFINITIONS_SHEET, UK_TIME
from dashboard.queries.kpi_values import kpi_table
from dashboard.ui.table_downloads import LABEL, TABLES, XLSX, file_name
from tests.pages.conftest import VISITOR, Runner

QUARTER = {"programme": "Testshire", "grain": "Quarter", "period_quarter": "2019/20 Q1"}
STATUSES = {"On target", "Close to target", "Off target", "No target or no data"}


@pytest.fixture
def deferred(monkeypatch: pytest.MonkeyPatch) -> dict[str, dict]:
    """What Streamlit keeps for each deferred download, by file id: the callable it runs when the
    button is pressed, the file name and the type (AppTest's runtime ends with each run)."""
    kept: dict[str, dict] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data, mimetype, coordinates, file_name=None, **options) -> str:  # noqa: ANN001, ANN003
        file_id = original(self, data, mimetype, coordinates, file_name, **options)
        kept[file_id] = {"data": data, "mime": mimetype, "file_name": file_name}
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return kept


def _labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def _titles(at: AppTest) -> list[str]:
    return [t.title for t in at.session_state[TABLES]]


def _served(at: AppTest, deferred: dict[str, dict], page_title: str):  # noqa: ANN202 - a Workbook
    """The workbook the page's Excel button serves when pressed, checked for name and type."""
    (button,) = [b for b in at.get("download_button") if b.proto.label == LABEL]
    served = deferred[button.proto.deferred_file_id]
    assert served["mime"] == XLSX
    assert served["file_name"] == file_name(page_title, datetime.now(UK_TIME).date())
    return load_workbook(io.BytesIO(served["data"]()))


def _sheet(book, title: str) -> list[dict]:  # noqa: ANN001 - an openpyxl Workbook
    """The sheet's rows as read, by header (an empty cell is None)."""
    rows = list(book[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_board_summary_offers_its_tables_as_numbers(app: Runner, testshire: Engine,
                                                    deferred: dict) -> None:
    at = app(**QUARTER)
    assert _labels(at) == [LABEL]
    book = _served(at, deferred, "Board summary")
    assert len(_titles(at)) == len(at.dataframe)  # one sheet per table shown, no more
    assert book.sheetnames == ["Board summary", "Making Data Count summary", DEFINITIONS_SHEET]
    assert book.properties.title == "Board summary: tables"
    summary = _sheet(book, "Board summary")
    expected = kpi_table(testshire, "Testshire", parse_period("2019/20-Q1")).set_index("name")
    assert [r["KPI"] for r in summary] == at.dataframe[0].value["KPI"].tolist()
    for row in summary:
        value = expected.loc[row["KPI"], "value"]
        assert row["This period"] is None if pd.isna(value) else row["This period"] == pytest.approx(value)
        assert row["Status"] in STATUSES
    cells = [c for column in ("B", "C", "D") for c in book["Board summary"][column][1:]]
    assert all(c.value is None or c.data_type == "n" for c in cells)
    assert any(c.number_format == '0.0"%"' for c in cells) and any(c.number_format == "#,##0" for c in cells)
    assert all(isinstance(r["Latest"], int | float | None) for r in _sheet(book, "Making Data Count summary"))


def test_tables_do_not_pile_up_across_reruns_or_pages(app: Runner, testshire: Engine) -> None:
    at = app(**QUARTER)
    first = _titles(at)
    at.run()
    assert _titles(at) == first
    at.switch_page("dashboard/pages/district_comparison.py").run()
    assert "Board summary" not in _titles(at) and "League table" in _titles(at)
    assert len(_titles(at)) == len(at.dataframe)


def test_a_page_without_tables_offers_no_workbook(app: Runner, testshire: Engine) -> None:
    at = app("case_studies", **QUARTER)
    assert not at.dataframe and LABEL not in _labels(at)


def test_visitor_export_withholds_what_the_page_withholds(app: Runner, testshire: Engine,
                                                          deferred: dict) -> None:
    at = app("district_comparison", user=VISITOR, **QUARTER)
    league = at.dataframe[0].value
    book = _served(at, deferred, "District comparison")
    export = {(r["Area"], r["KPI"]): r for r in _sheet(book, "League table")}
    # The page shows one group of KPIs at a time; the download has every KPI for the same areas,
    # all under the same public-figures rules.
    assert {area for area, _ in export} == set(league.index)
    assert all(row["Value"] is None for row in export.values() if row["Status"] == "Withheld")
    withheld = 0
    for area, cells in league.iterrows():
        for kpi, cell in cells.items():
            row = export[(area, kpi)]
            if cell.startswith("*"):
                withheld += 1
                assert row["Value"] is None and row["Status"] == "Withheld", (area, kpi)
            else:
                assert row["Status"] in STATUSES, (area, kpi)
    assert withheld, "the fixture should have a withheld district figure"


def test_file_name_from_the_page_title_and_date() -> None:
    assert file_name("Board summary", date(2026, 11, 23)) == "board-summary-2026-11-23.xlsx"
    assert file_name("Cases and customer journey", date(2026, 1, 2)) == (
        "cases-and-customer-journey-2026-01-02.xlsx")
