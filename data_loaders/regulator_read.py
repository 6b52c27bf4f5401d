"""Reading a regulator's published file as it comes: .ods (as CQC publishes it), .xlsx or CSV
(as people save it), with any lines of notices above the header row.

The format is decided by content: an OpenDocument zip, an Excel zip, or text (UTF-8, or the
Windows-1252 the regulators' CSV files are often in). The header is the first of the top rows
holding the file's key column; everything above it is notices. Limits are a regulator file's own
(a national file is far larger than any partner's return): ``DASHBOARD_MAX_REGULATOR_MB`` (default
150) and ``DASHBOARD_MAX_REGULATOR_ROWS`` (default 600,000).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from data_loaders import ods, xlsx
from data_loaders.limits import BYTES_PER_MB, FileProblem, Limits, whole_number

HEADER_SEARCH_ROWS = 30  # notices above the header: CQC's files have five or six lines
CELLS_PER_ROW = 120  # a national file has about 50 columns of values per row
# Every kind of space, and the zero-width characters that copy-paste leaves in headings.
_SPACES = re.compile(r"[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]+")


@dataclass(frozen=True)
class RegulatorTable:
    headers: list[str]  # as in the file
    keys: list[str]  # the same, normalised for matching (see ``heading_key``)
    rows: Iterator[tuple[int, list[object]]]  # (row number in the file, values)

    def column(self, heading: str) -> int | None:
        key = heading_key(heading)
        return self.keys.index(key) if key in self.keys else None


def heading_key(text: object) -> str:
    """A heading as compared: NFKC, every space or zero-width character one space, any case."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", str(text or ""))).strip().casefold()


def regulator_limits() -> Limits:
    return Limits(upload_bytes=whole_number("DASHBOARD_MAX_REGULATOR_MB", 150) * BYTES_PER_MB,
                  rows=whole_number("DASHBOARD_MAX_REGULATOR_ROWS", 600_000), columns=400,
                  cells_per_row=20_000)


def _text_rows(content: bytes) -> Iterator[tuple[int, list[object]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise FileProblem("the file holds NUL bytes: it is not a CSV file; save it as .ods, .xlsx or CSV")
    return enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def _xlsx_rows(content: bytes, sheet: str | None, allowed: Limits) -> Iterator[tuple[int, list[object]]]:
    for number, cells in xlsx.rows(content, sheet, allowed):
        if not cells:
            continue
        width = max(cells)
        yield number, [cells.get(i) for i in range(1, width + 1)]


def raw_rows(content: bytes, sheet: str | None = None) -> Iterator[tuple[int, list[object]]]:
    """(row number, values) for every row of the file (or of ``sheet`` in a spreadsheet),
    notices and all; a spreadsheet's empty rows may be left out."""
    allowed = regulator_limits()
    if len(content) > allowed.upload_bytes:
        raise FileProblem(f"the file is {len(content) / BYTES_PER_MB:,.0f} MB, over the "
                          f"{allowed.upload_bytes / BYTES_PER_MB:,.0f} MB a regulator's file may be "
                          "(DASHBOARD_MAX_REGULATOR_MB)")
    if not content.strip():
        raise FileProblem("the file is empty")
    if ods.is_ods(content):
        return ods.sheet_rows(content, sheet, allowed, cell_limit=allowed.rows * CELLS_PER_ROW)
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content, sheet, allowed)
    if content.startswith(b"%PDF"):
        raise FileProblem("this is a PDF, not a spreadsheet; download the file as .ods, .xlsx or CSV")
    return bounded_rows(_text_rows(content), allowed)


def bounded_rows(rows: Iterable[tuple[int, list[object]]],
                 allowed: Limits) -> Iterator[tuple[int, list[object]]]:
    for count, row in rows:
        if count > allowed.rows + HEADER_SEARCH_ROWS:
            raise FileProblem(f"the file has more than {allowed.rows:,} rows, more than any file of "
                              "this kind (DASHBOARD_MAX_REGULATOR_ROWS)")
        if len(row) > allowed.columns:
            raise FileProblem(f"row {count} has {len(row):,} cells, more than the {allowed.columns} "
                              "any file of this kind has")
        yield count, row


def read_table(content: bytes, key_heading: str, sheet: str | None = None) -> RegulatorTable:
    """The file's header (the first of its top rows holding ``key_heading``) and the rows below it."""
    rows = raw_rows(content, sheet)
    key = heading_key(key_heading)
    for _number, row in itertools.islice(rows, HEADER_SEARCH_ROWS):
        keys = [heading_key(cell) for cell in row]
        if key in keys:
            while keys and not keys[-1]:
                keys.pop()
            headers = [str(cell if cell is not None else "").strip() for cell in row[:len(keys)]]
            return RegulatorTable(headers, keys, _numbered(rows))
    raise FileProblem(f"no header row with a '{key_heading}' column in the first {HEADER_SEARCH_ROWS} rows")


def _numbered(rows: Iterator[tuple[int, list[object]]]) -> Iterator[tuple[int, list[object]]]:
    """The rows holding anything."""
    for number, row in rows:
        if any(cell not in (None, "") for cell in row):
            yield number, row


def top_headings(content: bytes, sheet: str | None = None) -> set[str]:
    """Every heading-like text in the file's top rows, normalised: enough to tell its kind. The
    rows are streamed, so the file is read only as far as its first rows."""
    rows: list[tuple[int, list[object]]] = []
    try:
        for row in itertools.islice(raw_rows(content, sheet), HEADER_SEARCH_ROWS):
            rows.append(row)
    except FileProblem:
        pass  # what was read before the problem still says the kind; the load reports the problem
    return {heading_key(cell) for _number, row in rows for cell in row
            if isinstance(cell, str) and cell.strip()}
