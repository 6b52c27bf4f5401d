"""Reading a return's bytes into a header and rows, whatever a partner's software produced.

The type is decided by content, not the file name: an .xlsx is a zip archive, anything else must
be UTF-8 text. Problems here concern the whole file and are reported before any row is looked at.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass

from openpyxl import load_workbook

XLSX_SIGNATURE = b"PK\x03\x04"
DEFAULT_MAX_MB = 25


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]  # normalised: lower case, spaces and hyphens as underscores
    original_headers: list[str]
    rows: list[tuple[int, list[object]]]  # (spreadsheet row number, cells)


def max_bytes() -> int:
    """The upload limit: ``DASHBOARD_MAX_UPLOAD_MB`` megabytes (default 25)."""
    return int(float(os.environ.get("DASHBOARD_MAX_UPLOAD_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def normalise_header(name: object) -> str:
    """'  Case Ref ' -> 'case_ref'."""
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def read_sheet(content: bytes, kind_hint: str | None = None) -> Sheet:
    limit = max_bytes()
    if len(content) > limit:
        raise FileProblem(
            f"the file is {len(content) / 1048576:,.1f} MB, over the {limit / 1048576:,.0f} MB "
            "limit; split it into smaller returns (for example one per district or month)"
        )
    if not content.strip():
        raise FileProblem("the file is empty")
    if content.startswith(XLSX_SIGNATURE):
        return _read_xlsx(content, kind_hint)
    if content.startswith(b"%PDF") or b"\x00" in content[:4096]:
        raise FileProblem("this is not a CSV or Excel (.xlsx) file; save the return as CSV UTF-8 "
                          "or .xlsx")
    return _read_csv(content)


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


def _read_csv(content: bytes) -> Sheet:
    text = _decode(content)
    # The delimiter is read off the header line only: data cells hold ';'-separated lists.
    header_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as error:
        raise FileProblem(f"the CSV cannot be read: {error}") from None
    return _sheet(records, first_row=1)


def _read_xlsx(content: bytes, kind_hint: str | None) -> Sheet:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileProblem(f"this looks like an Excel file but cannot be opened ({error}); "
                          "save it again as .xlsx") from None
    try:
        names = {name.lower(): name for name in book.sheetnames}
        sheet = book[names.get((kind_hint or "").lower(), book.sheetnames[0])]
        records = [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    return _sheet(records, first_row=1)


def _sheet(records: list[list[object]], first_row: int) -> Sheet:
    while records and all(_blank(c) for c in records[0]):
        records.pop(0)
        first_row += 1
    if not records:
        raise FileProblem("the file is empty")
    original = [str(h).strip() if h is not None else "" for h in records[0]]
    while original and original[-1] == "":
        original.pop()
    headers = [normalise_header(h) for h in original]
    rows = [
        (first_row + offset, list(cells))
        for offset, cells in enumerate(records[1:], start=1)
        if not all(_blank(c) for c in cells)
    ]
    if not rows:
        raise FileProblem("the file has a header but no data rows")
    return Sheet(headers, original, rows)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
