"""Tables as an Excel workbook: one sheet per table, numbers kept as numbers in UK formats, and a
sheet of KPI definitions so a figure read away from the dashboard still says what it measures.

Written with XlsxWriter (write-only, fast, sets number formats and frozen panes), with its
conversions of text to formulas, links and numbers switched off: a text cell is always text.
Text still goes through ``csv_cell`` as every CSV does, so a cell beginning ``=``, ``+``, ``-`` or
``@`` stays inert when someone re-saves the sheet as CSV and opens that.
"""

from __future__ import annotations

import io
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pandas as pd
import xlsxwriter

from dashboard.figures.safe_text import csv_cell
from dashboard.queries.registry import KPIS

MAX_ROWS = 1_048_575  # Excel's 1,048,576 rows, less the header
MAX_COLUMNS = 16_384
DEFINITIONS_SHEET = "Definitions"
NUMBER_FORMATS = {"count": "#,##0", "£": "£#,##0;-£#,##0", "£p": "£#,##0.00;-£#,##0.00",
                  "days": "#,##0.0", "%": '0.0"%"', "rate": "#,##0.00"}
UNITS = (*NUMBER_FORMATS, "text", "date")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
UK_TIME = ZoneInfo("Europe/London")
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
           "in_memory": True, "default_date_format": DATE_FORMAT}
UNIT_WORDS = {"count": "count", "days": "days", "%": "per cent", "£": "pounds (£)",
              "£p": "pounds and pence (£)", "rate": "rate"}
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
_RESERVED = {"history"}  # Excel keeps "History" for its change tracking
_WIDTH_SAMPLE = 500  # rows read to size a column: enough to see its longest values, still quick
_MIN_WIDTH, _MAX_WIDTH = 6, 60


@dataclass(frozen=True)
class ExportTable:
    """One sheet. ``units`` maps a column to count, days, %, £, rate, text or date, or to one of
    those per row (a sequence as long as the frame) for a column mixing KPIs. Other columns are
    written as they hold: numbers as plain numbers, dates as dates, anything else as text. The
    index is not written: reset it first if it is a column."""

    title: str
    frame: pd.DataFrame
    units: Mapping[str, str | Sequence[str]] = field(default_factory=dict)


def workbook_bytes(tables: Sequence[ExportTable], definitions: bool = True,
                   title: str | None = None) -> bytes:
    """The tables as an .xlsx file, one sheet each (named from their titles), followed by the
    KPI definitions when ``definitions``. Raises ValueError for a table Excel cannot hold or a unit
    it does not know, before anything is written."""
    for table in tables:
        _check(table)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, OPTIONS)
    book.set_properties({"title": title or "Housing support programme dashboard: tables",
                         "comments": "Numbers are numbers; text that begins =, +, - or @ starts "
                                     "with ' so that no cell can run as a formula."})
    formats = _Formats(book)
    names = _sheet_names([t.title for t in tables], reserved=(DEFINITIONS_SHEET,) if definitions else ())
    for table, name in zip(tables, names, strict=True):
        _write_sheet(book, formats, name, table)
    if definitions:
        _write_sheet(book, formats, DEFINITIONS_SHEET, _definitions(), wrap=("Definition",))
    book.close()
    return buffer.getvalue()


def _definitions() -> ExportTable:
    frame = pd.DataFrame({
        "KPI": [k.name for k in KPIS],
        "Definition": [k.definition for k in KPIS],
        "Better when": [k.better_when for k in KPIS],
        "Default target": [k.default_target for k in KPIS],
        "Unit": [UNIT_WORDS[k.unit] for k in KPIS],
        "KPI id": [k.id for k in KPIS],
    })
    return ExportTable("KPI definitions", frame, {"Default target": [k.unit for k in KPIS]})


def _check(table: ExportTable) -> None:
    rows, columns = table.frame.shape
    if rows > MAX_ROWS:
        raise ValueError(f"The table {table.title!r} has {rows:,} rows; an Excel sheet holds at most "
                         f"{MAX_ROWS:,} rows below its header. Narrow the filters and try again.")
    if columns > MAX_COLUMNS:
        raise ValueError(f"The table {table.title!r} has {columns:,} columns; an Excel sheet holds at "
                         f"most {MAX_COLUMNS:,}.")
    for column, unit in table.units.items():
        given = [unit] if isinstance(unit, str) else list(unit)
        if not isinstance(unit, str) and len(given) != rows:
            raise ValueError(f"The units of column {column!r} in {table.title!r} give {len(given)} "
                             f"rows' units for {rows} rows.")
        unknown = {u for u in given if u not in UNITS and not _missing(u)}
        if unknown:
            raise ValueError(f"Column {column!r} in {table.title!r} has unit {sorted(unknown)[0]!r}; "
                             f"a unit is one of {', '.join(UNITS)}.")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units (Excel's measure), never inside a character."""
    while _utf16(text) > limit:
        text = text[:-1]
    return text


def _sheet_names(titles: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """A valid sheet name per title: no ``[]:*?/\\``, not starting or ending with ``'``, at most 31
    characters, and unique ignoring case (Excel's rules), numbered " (2)" on a repeat."""
    used = {r.lower() for r in reserved}
    names = []
    for title in titles:
        base = _NOT_IN_SHEET_NAMES.sub(" ", str(title))
        base = re.sub(r"\s+", " ", base).strip().strip("'").strip() or "Table"
        if base.lower() in _RESERVED:
            base += " table"
        name, number = _clip(base, 31).rstrip(), 1
        while name.lower() in used:
            number += 1
            suffix = f" ({number})"
            name = _clip(base, 31 - len(suffix)).rstrip() + suffix
        used.add(name.lower())
        names.append(name)
    return names


class _Formats:
    """XlsxWriter formats, made once per workbook and shared by its sheets."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "text_wrap": True, "valign": "top",
                                       "bottom": 1})
        self.units = {u: book.add_format({"num_format": f}) for u, f in NUMBER_FORMATS.items()}
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _header(label: object) -> str:
    if isinstance(label, tuple):  # a MultiIndex column
        label = " ".join(str(part) for part in label if not _missing(part) and str(part))
    return str(csv_cell("" if _missing(label) else str(label)))


def _local(value: datetime) -> datetime:
    """A time as the clock in the UK read it (Excel has no time zones)."""
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(UK_TIME).tz_localize(None)
    return stamp.to_pydatetime()


# A figure a page formatted into text ("£728,961", "-£62,757", "97.9%", "41.0 days"): written back
# as the number it shows, so every sheet's money and rates add up in Excel.
_FORMATTED = re.compile(r"^(?P<minus>-?)(?P<pound>£?)(?P<number>\d{1,3}(?:,\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)"
                        r"(?P<unit>%| days)?$")


def _figure(text: str) -> tuple[float, str] | None:
    found = _FORMATTED.match(text.strip())
    if found is None or (not found["pound"] and not found["unit"]):
        return None  # a plain number in text may be a reference or a code: left as written
    if found["pound"] and found["unit"]:
        return None
    unit = "£" if found["pound"] else ("%" if found["unit"] == "%" else "days")
    number = float(found["number"].replace(",", ""))
    return (-number if found["minus"] else number), unit


def _write_cell(ws, formats: _Formats, row: int, col: int, value: object, unit: object) -> int:  # noqa: ANN001
    """Write one cell; returns the characters it shows, to size its column."""
    if _missing(value):
        return 0
    if isinstance(value, str) and unit != "text" and (figure := _figure(value)) is not None:
        value, unit = figure
    if unit == "text" or isinstance(value, str):
        text = str(csv_cell(str(value)))
        ws.write_string(row, col, text, formats.wrap if "\n" in text else None)
        return max((len(line) for line in text.splitlines()), default=0)
    if isinstance(value, bool):
        ws.write_boolean(row, col, value)
        return 5
    if isinstance(value, numbers.Real | Decimal):
        number = float(value)
        if not math.isfinite(number):
            return 0
        ws.write_number(row, col, number, formats.units.get(unit))  # type: ignore[arg-type]
        decimals = {"days": 1, "%": 1, "rate": 2, "£p": 2}.get(unit, 0)  # type: ignore[arg-type]
        return len(f"{number:,.{decimals}f}") + (1 if unit in ("£", "%") else 0)
    if isinstance(value, datetime):
        moment = _local(value)
        timed = moment.time() != datetime.min.time()
        ws.write_datetime(row, col, moment, formats.datetime if timed else formats.date)
        return 16 if timed else 10
    if isinstance(value, date):
        ws.write_datetime(row, col, value, formats.date)
        return 10
    text = str(csv_cell(str(value)))
    ws.write_string(row, col, text)
    return len(text)


def _write_sheet(book: xlsxwriter.Workbook, formats: _Formats, name: str, table: ExportTable,
                 wrap: Sequence[str] = ()) -> None:
    frame = table.frame
    ws = book.add_worksheet(name)
    headers = [_header(c) for c in frame.columns]
    row_units = []
    for column in frame.columns:
        unit = table.units.get(column)
        row_units.append(unit if unit is None or isinstance(unit, str) else list(unit))
    widths = [_utf16(h) for h in headers]
    for col, text in enumerate(headers):
        ws.write_string(0, col, text, formats.header)
    for row, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        for col, value in enumerate(values):
            unit = row_units[col][row - 1] if isinstance(row_units[col], list) else row_units[col]
            shown = _write_cell(ws, formats, row, col, value, unit)
            if row <= _WIDTH_SAMPLE and shown > widths[col]:
                widths[col] = shown
    for col, width in enumerate(widths):
        wrapped = headers[col] in wrap
        ws.set_column(col, col, 80 if wrapped else min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH),
                      formats.wrap if wrapped else None)
    ws.freeze_panes(1, 0)
    if headers:
        ws.autofilter(0, 0, len(frame), len(headers) - 1)
    ws.repeat_rows(0)  # printed: the header on every page, the title in the page header
    if str(table.title).strip():
        ws.set_header("&L" + _clip(str(table.title), 200).replace("&", "&&"))
    ws.fit_to_pages(1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
