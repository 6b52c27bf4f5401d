"""The Excel workbook of tables (dashboard.packs.excel) and the CSV of a table, read back as a
spreadsheet reads them: numbers stay numbers, and no text cell can be run as a formula or a link."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from dashboard.figures.safe_text import csv_bytes
from dashboard.packs.excel import DEFINITIONS_SHEET, MAX_ROWS, ExportTable, workbook_bytes
from dashboard.queries.registry import KPIS

HOSTILE = ["=1+2", "+44 7700", "-x", "@SUM(A1)", "\tTab", "\rCR"]
LEFT_ALONE = ["-£62,757", "http://evil.example", "Alpha"]


def _book(tables: list[ExportTable], **options: object):  # noqa: ANN202 - an openpyxl Workbook
    return load_workbook(io.BytesIO(workbook_bytes(tables, **options)))


def _figures() -> ExportTable:
    frame = pd.DataFrame({
        "District": ["Alpha", "Beta", "Gamma"],
        "Cases": [1200, 35, None],
        "Spend": [-62757.0, 7698.0, float("nan")],
        "Days": [41.04, 12.5, 3.0],
        "Share": [68.3, 100.0, 0.0],
        "Rate": [1.234, 0.5, 2.0],
        "Due": [date(2019, 6, 12), None, date(2020, 1, 3)],
        "Mixed": [68.3, 41.0, 7698.0],
        "Note": [3, "-£62,757", "=1+2"],
    })
    return ExportTable("Figures", frame, {
        "Cases": "count", "Spend": "£", "Days": "days", "Share": "%", "Rate": "rate", "Due": "date",
        "Mixed": ["%", "days", "£"], "Note": "text"})


def test_numbers_are_numeric_cells_with_uk_formats() -> None:
    ws = _book([_figures()], definitions=False)["Figures"]
    assert [c.value for c in ws[1]] == ["District", "Cases", "Spend", "Days", "Share", "Rate", "Due",
                                        "Mixed", "Note"]
    assert all(c.font.bold for c in ws[1])
    expected = {"B": "#,##0", "C": "£#,##0;-£#,##0", "D": "#,##0.0", "E": '0.0"%"', "F": "#,##0.00"}
    for column, number_format in expected.items():
        cell = ws[f"{column}2"]
        assert cell.data_type == "n" and isinstance(cell.value, int | float), column
        assert cell.number_format == number_format, column
    assert ws["B2"].value == 1200 and ws["C2"].value == -62757 and ws["E2"].value == 68.3
    assert ws["G2"].is_date and ws["G2"].number_format == "dd/mm/yyyy"
    assert ws["G2"].value == datetime(2019, 6, 12)
    assert [ws[f"H{r}"].number_format for r in (2, 3, 4)] == ['0.0"%"', "#,##0.0", "£#,##0;-£#,##0"]
    assert ws["I2"].value == "3" and ws["I2"].data_type == "s"  # a text column stays text
    for empty in ("B4", "C4", "G3"):  # NaN and None: an empty cell, never "nan"
        assert ws[empty].value is None, empty


def test_figures_a_page_formatted_as_text_are_written_as_numbers() -> None:
    # The Finance page's outturn table held "£728,961" as text: no sheet may hold money as text.
    frame = pd.DataFrame({"Partner": ["Blaby", "County"], "Forecast": ["£728,961", "-£62,757"],
                          "Share": ["97.9%", "–"], "Time": ["41.0 days", "12.5 days"],
                          "Reference": ["1234", "C0001"]})
    ws = _book([ExportTable("Outturn", frame)], definitions=False)["Outturn"]
    assert (ws["B2"].value, ws["B3"].value) == (728961, -62757)
    assert ws["B2"].data_type == "n" and ws["B2"].number_format == "£#,##0;-£#,##0"
    assert ws["C2"].value == 97.9 and ws["C2"].number_format == '0.0"%"' and ws["C3"].value == "–"
    assert ws["D2"].value == 41.0 and ws["D2"].number_format == "#,##0.0"
    assert (ws["E2"].value, ws["E2"].data_type) == ("1234", "s")  # a plain number in text stays text
    assert ws["A2"].value == "Blaby"


def test_text_that_would_run_as_a_formula_is_prefixed() -> None:
    frame = pd.DataFrame({"Text": HOSTILE + LEFT_ALONE + [None],
                          "Number": [-5] * (len(HOSTILE) + len(LEFT_ALONE) + 1)})
    book = _book([ExportTable("=Hostile", frame, {"Number": "count"})])
    ws = book.worksheets[0]
    # XlsxWriter stores a carriage return as _x000D_, which Excel reads back as the character
    texts = [unescape(ws.cell(row=r, column=1).value) for r in range(2, len(HOSTILE) + 2)]
    assert texts == ["'" + t for t in HOSTILE]
    kept = [ws.cell(row=r, column=1).value for r in range(len(HOSTILE) + 2, len(HOSTILE) + 4)]
    assert kept == [-62757, LEFT_ALONE[1]]  # money written as the number it shows, never prefixed
    assert all(ws.cell(row=r, column=2).value == -5 for r in range(2, ws.max_row + 1))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert cell.hyperlink is None, (sheet.title, cell.coordinate)
        assert not sheet._hyperlinks


def test_column_names_are_neutralised_too() -> None:
    ws = _book([ExportTable("T", pd.DataFrame({"=SUM(A1)": [1], "@x": ["y"]}))]).worksheets[0]
    assert [c.value for c in ws[1]] == ["'=SUM(A1)", "'@x"]


def test_header_frozen_filtered_and_columns_sized() -> None:
    ws = _book([_figures()])["Figures"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:I4"
    widths = [ws.column_dimensions[letter].width for letter in "ABCDEFGHI"]
    assert all(6 <= w <= 62 for w in widths), widths


def test_definitions_sheet_lists_every_kpi() -> None:
    book = _book([_figures()])
    assert book.sheetnames[-1] == DEFINITIONS_SHEET
    ws = book[DEFINITIONS_SHEET]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["KPI", "Definition", "Better when", "Default target", "Unit"]
    names = [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)]
    assert names == [k.name for k in KPIS]
    targets = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=4).value
               for r in range(2, ws.max_row + 1)}
    assert all(targets[k.name] == k.default_target for k in KPIS)
    assert "Definitions" not in _book([_figures()], definitions=False).sheetnames


def test_sheet_names_valid_and_unique() -> None:
    titles = ["A very long title that goes on well beyond thirty-one characters",
              "A very long title that goes on well beyond thirty-one characters", "x", "X",
              "Bad [chars]: a*b?c/d\\e", "'quoted'", "", "   ", "Definitions", "History", "📊" * 20]
    book = _book([ExportTable(t, pd.DataFrame({"a": [1]})) for t in titles])
    names = book.sheetnames
    assert len(names) == len(titles) + 1
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name.encode("utf-16-le")) // 2 <= 31, name
        assert not set(name) & set("[]:*?/\\"), name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert name.lower() != "history"
    assert names[0] == titles[0][:31].rstrip()


def test_title_and_properties() -> None:
    book = _book([_figures()], title="Board summary: tables")
    assert book.properties.title == "Board summary: tables"


def test_too_many_rows_is_refused_with_the_reason() -> None:
    frame = pd.DataFrame({"a": range(MAX_ROWS + 1)})
    with pytest.raises(ValueError, match="1,048,575 rows"):
        workbook_bytes([ExportTable("Big", frame)])


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="unit"):
        workbook_bytes([ExportTable("T", pd.DataFrame({"a": [1]}), {"a": "furlongs"})])


def _csv_rows(frame: pd.DataFrame) -> list[list[str]]:
    return list(csv.reader(io.StringIO(csv_bytes(frame).decode("utf-8-sig"), newline="")))


def test_csv_of_a_table_neutralises_the_same_cells_and_keeps_numbers() -> None:
    frame = pd.DataFrame({"Text": HOSTILE + LEFT_ALONE, "Number": [-5] * 9, "Money": [-62757.5] * 9})
    rows = _csv_rows(frame)
    assert rows[0] == ["Text", "Number", "Money"]
    assert [r[0] for r in rows[1:7]] == ["'" + t for t in HOSTILE]
    assert [r[0] for r in rows[7:]] == LEFT_ALONE
    assert {r[1] for r in rows[1:]} == {"-5"} and {r[2] for r in rows[1:]} == {"-62757.5"}


def test_csv_keeps_a_carriage_return_inside_its_cell() -> None:
    """Written bare, a spreadsheet starts a new row at the carriage return: x\r=2+3 would put
    =2+3 in a cell of its own."""
    rows = _csv_rows(pd.DataFrame({"Text": ["\rCR", "x\r=2+3"], "Number": [-5, 1]}))
    assert rows[1:] == [["'\rCR", "-5"], ["x\r=2+3", "1"]]


def test_times_are_uk_clock_times_and_decimals_are_numbers() -> None:
    frame = pd.DataFrame({"At": [pd.Timestamp("2019-06-12 12:30", tz="UTC")],
                          "Amount": [Decimal("-1234.50")]}).astype({"Amount": object})
    ws = _book([ExportTable("T", frame, {"Amount": "£"})]).worksheets[0]
    assert ws["A2"].value == datetime(2019, 6, 12, 13, 30) and ws["A2"].number_format == "dd/mm/yyyy hh:mm"
    assert ws["B2"].value == -1234.5 and ws["B2"].number_format == "£#,##0;-£#,##0"
