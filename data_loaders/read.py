"""Reading a return's bytes into a header and rows, whatever a partner's software produced.

The type is decided by content, not the file name: an .xlsx is a zip archive, anything else must
be UTF-8 text. Problems here concern the whole file and are reported before any row is looked at,
except those found only by reading on (too many rows, a value far below the data), which the rows
raise as they are read.

Every file is read with work bounded by what it really holds, never by what it claims: the rows
are streamed to the validator one at a time, and the size of the upload, the rows after the
headings, the columns and the cells in a row all have limits (``Limits``), each reported as a
problem that says what to change.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter

from data_loaders import xlsx
from data_loaders.limits import BYTES_PER_MB, FileProblem, Limits, limits

XLSX_SIGNATURE = b"PK\x03\x04"
# C0 control characters other than tab, line feed and carriage return: never text a person typed,
# and PostgreSQL refuses NUL outright ("A string literal cannot contain NUL").
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Sheet:
    headers: list[str]  # normalised: lower case, spaces and hyphens as underscores
    original_headers: list[str]
    # (spreadsheet row number, cells), read as they are used: iterating can raise FileProblem
    # (too many rows, say), and the rows can be iterated once.
    rows: Iterable[tuple[int, list[object]]]


def normalise_header(name: object) -> str:
    """'  Case Ref ' -> 'case_ref'."""
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def control_character(text: str) -> str | None:
    """The first C0 control character in ``text`` other than tab, CR and LF, named; or None."""
    if text.isprintable():  # the usual case, in C: no search needed
        return None
    found = CONTROL.search(text)
    if found is None:
        return None
    code = ord(found[0])
    return "NUL (0x00)" if code == 0 else f"0x{code:02X}"


def visible(text: str) -> str:
    """``text`` with each control character written out, so a report can show it."""
    return CONTROL.sub(lambda m: f"\\x{ord(m[0]):02X}", text)


def read_sheet(content: bytes, kind_hint: str | None = None) -> Sheet:
    allowed = limits()
    if len(content) > allowed.upload_bytes:
        raise FileProblem(
            f"the file is {len(content) / BYTES_PER_MB:,.1f} MB, over the "
            f"{allowed.upload_bytes / BYTES_PER_MB:,.0f} MB limit; split it into smaller returns "
            "(for example one per district or month)"
        )
    if not content.strip():
        raise FileProblem("the file is empty")
    if content.startswith(XLSX_SIGNATURE):
        return _sheet(xlsx.rows(content, kind_hint, allowed), allowed, spreadsheet=True)
    if content.startswith(b"%PDF") or b"\x00" in content[:4096]:
        raise FileProblem("this is not a CSV or Excel (.xlsx) file; save the return as CSV UTF-8 "
                          "or .xlsx")
    _decode(content)  # every byte checked before any row is read, so the message names the line
    if content.count(b"\n") > allowed.rows:  # perhaps too long: find out before checking a row
        for _ in _sheet(_csv_records(content), allowed, spreadsheet=False).rows:
            pass
    return _sheet(_csv_records(content), allowed, spreadsheet=False)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        byte = content[error.start: error.start + 1].hex().upper()
        hint = " (0xA3 is a £ sign saved as Windows-1252)" if byte == "A3" else ""
        raise FileProblem(
            f"the file is not UTF-8 text: byte 0x{byte} on line {line}{hint}. In Excel use "
            "'Save as' > 'CSV UTF-8 (comma delimited)'"
        ) from None


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells), decoded as they are read: the text is never held whole."""
    # The delimiter is read off the header line only: data cells hold ';'-separated lists.
    header_line = content.split(b"\n", 1)[0].decode("utf-8-sig", "replace")
    delimiter = max((",", ";", "\t"), key=header_line.count)
    stream = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as error:
        raise FileProblem(f"the CSV cannot be read: {error}") from None


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell_name(row: int, column: int, spreadsheet: bool) -> str:
    """'cell A1048576' in a workbook; 'row 5, column 7' in a CSV."""
    if spreadsheet:
        return f"cell {get_column_letter(column)}{row}"
    return f"row {row:,}, column {column:,}"


def _cells(cells: Sequence[object] | dict[int, object], width: int, limit: int,
           row: int) -> list[object]:
    """A row's cells as a list cut to ``width`` (the headings'). A CSV row's count of cells is
    checked here; an .xlsx row's as it is read, before its cells are kept."""
    if isinstance(cells, dict):
        dense: list[object] = [None] * width
        for column, value in cells.items():
            if column <= width:
                dense[column - 1] = value
        return dense
    if len(cells) > limit:
        raise FileProblem(f"row {row:,} has {len(cells):,} cells, more than the {limit:,} a row of a "
                          "return may have; delete the columns to the right of the data", row=row)
    return cells if len(cells) <= width else cells[:width]  # type: ignore[return-value]


def _too_wide(row: int, column: int, value: object, allowed: Limits, spreadsheet: bool) -> FileProblem:
    return FileProblem(
        f"{_cell_name(row, column, spreadsheet)} holds '{visible(str(value))[:50]}', far to the right "
        f"of the data (a return has at most {allowed.columns} columns); delete the columns to the "
        "right of the data and save the file again", row=row)


def _sheet(records: Iterator[tuple[int, Sequence[object] | dict[int, object]]], allowed: Limits,
           spreadsheet: bool) -> Sheet:
    """The first row holding anything is the headings; the rows after it are read lazily."""
    for number, raw in records:
        if isinstance(raw, dict):
            filled = [column for column, value in raw.items() if not _blank(value)]
            width = max(filled, default=0)
            if width > allowed.columns:
                raise _too_wide(number, width, raw[width], allowed, spreadsheet)
        else:
            width = len(raw)
        cells = _cells(raw, width, allowed.cells_per_row, number)
        if not all(_blank(c) for c in cells):
            break
    else:
        raise FileProblem("the file is empty")
    header_row = number
    original = [str(h).strip() if h is not None else "" for h in cells]
    while original and original[-1] == "":
        original.pop()
    if len(original) > allowed.columns:
        raise _too_wide(header_row, len(original), original[-1], allowed, spreadsheet)
    for position, heading in enumerate(original, start=1):
        if (found := control_character(heading)) is not None:
            raise FileProblem(f"the heading contains a control character, {found}, which a return "
                              "cannot hold; delete it and save the file again",
                              row=header_row, column=f"column {position}",
                              value=visible(heading)[:200])
    rows = _data_rows(records, header_row, len(original), allowed, spreadsheet)
    first = next(rows, None)
    if first is None:
        raise FileProblem("the file has a header but no data rows")
    return Sheet([normalise_header(h) for h in original], original, itertools.chain([first], rows))


def _data_rows(records: Iterator[tuple[int, Sequence[object] | dict[int, object]]], header_row: int,
               width: int, allowed: Limits, spreadsheet: bool) -> Iterator[tuple[int, list[object]]]:
    """Rows with anything in them, stopping at the first beyond the row limit."""
    last = header_row
    for number, raw in records:
        cells = _cells(raw, width, allowed.cells_per_row, number)
        if all(_blank(c) for c in cells):
            continue
        if number - header_row > allowed.rows:
            if number > last + 1:  # a lone cell far below the data: the usual way a sheet grows
                column = next(i for i, c in enumerate(cells, start=1) if not _blank(c))
                raise FileProblem(
                    f"{_cell_name(number, column, spreadsheet)} is far below the data, which ends "
                    f"at row {last:,} (a return has at most {allowed.rows:,} rows); delete the rows "
                    "below the data and save the file again", row=number)
            raise FileProblem(
                f"the {'sheet' if spreadsheet else 'file'} has more than {allowed.rows:,} rows of "
                "data, the most one return may have; split it into smaller returns (for example "
                "one per district or month)", row=number)
        last = number
        yield number, cells
