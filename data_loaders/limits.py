"""What one return may be: its size, rows, columns and cells, and the one error a file that
breaks them (or cannot be read at all) raises. Every reader of a spreadsheet format shares these,
so a workbook, an OpenDocument file and a CSV are refused for the same reasons in the same words."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MAX_MB = 25
DEFAULT_MAX_ROWS = 200_000
# Streamlit's server turns server.maxUploadSize into bytes as MB * 1024 * 1024 (1.67:
# streamlit/web/server/starlette/starlette_routes.py); the loader must count the same way.
BYTES_PER_MB = 1024 * 1024
MAX_COLUMNS = 200  # the widest return has 15 columns; this leaves room for a partner's own notes
MAX_CELLS_PER_ROW = 2_000  # cells a row may hold, empty or not, before it is refused unread


class FileProblem(ValueError):
    """The file as a whole cannot be read; the message says why and what to do. ``row``,
    ``column`` and ``value`` say where and what, when the problem is in one place."""

    def __init__(self, message: str, row: int | None = None, column: str = "",
                 value: str = "") -> None:
        super().__init__(message)
        self.row, self.column, self.value = row, column, value


@dataclass(frozen=True)
class Limits:
    """What one return may hold: beyond any of these the file is refused with a reason."""

    upload_bytes: int
    rows: int  # rows after the headings
    columns: int = MAX_COLUMNS
    cells_per_row: int = MAX_CELLS_PER_ROW

    @property
    def unpacked_bytes(self) -> int:
        """An .xlsx is a zip of XML: a 200,000-row cases return is 8 MB and unpacks to 100 MB."""
        return 10 * self.upload_bytes

    @property
    def shared_strings(self) -> int:
        """Distinct texts an .xlsx may hold: ten per row allowed."""
        return 10 * self.rows

    @property
    def shared_characters(self) -> int:
        return 320 * self.rows


def whole_number(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace(",", "").replace("_", ""))
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"{variable} must be a whole number of at least 1, not {raw!r}")
    return value


def max_upload_mb() -> int:
    """The upload limit in megabytes, ``DASHBOARD_MAX_UPLOAD_MB`` (default 25): the one number
    the Returns page gives ``st.file_uploader(max_upload_size=...)`` and the loader enforces.

    A whole number, because Streamlit's ``server.maxUploadSize`` is one. Set that (in
    .streamlit/config.toml) to the same number: the server refuses anything larger before the page
    sees it, with no message of ours (tests/test_security.py checks the default).
    """
    return whole_number("DASHBOARD_MAX_UPLOAD_MB", DEFAULT_MAX_MB)


def max_bytes() -> int:
    """The upload limit in bytes, counted as Streamlit's server counts it: MB * 1,048,576."""
    return max_upload_mb() * BYTES_PER_MB


def max_rows() -> int:
    """Rows a return may have after its headings, ``DASHBOARD_MAX_RETURN_ROWS`` (default
    200,000): what bounds the time and memory of checking one file."""
    return whole_number("DASHBOARD_MAX_RETURN_ROWS", DEFAULT_MAX_ROWS)


def limits() -> Limits:
    return Limits(upload_bytes=max_bytes(), rows=max_rows())
