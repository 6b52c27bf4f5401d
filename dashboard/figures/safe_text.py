"""Text that came from a return or a person, made safe to show and to export.

Streamlit renders Markdown (links, images, ``:red[...]`` colours, emoji and icon shortcodes, maths,
and GFM autolinks for ``http://``, ``www.`` and e-mail addresses) in ``st.markdown``, captions,
headings, alerts and widget labels; Plotly renders a subset of HTML (``<a href>``, ``<b>``,
``<br>``) in titles, tick labels, legends, hover and point text; and a spreadsheet runs a cell
beginning with ``=``, ``+``, ``-`` or ``@`` as a formula. A district name, a case study or a file
name is none of these: each function here turns it into what it literally says.
"""

from __future__ import annotations

import csv
import io
import math
import re
import string

import pandas as pd

# Any ASCII punctuation may be backslash-escaped in CommonMark, so escaping all of it leaves no
# character whose meaning in Markdown has to be judged.
_MARKDOWN = re.compile("([" + re.escape(string.punctuation) + "])")
# remark-gfm finds autolinks (http://, www., a@b.c) and remark-emoji finds :shortcodes: in the text
# left *after* escapes are resolved, so a backslash cannot stop them: an invisible word joiner after
# every ':' and '@', and between 'www' and '.', breaks each pattern without changing what is read.
WORD_JOINER = "\u2060"
_LINK_PATTERNS = re.compile(r"(\\:|\\@|(?i:www)(?=\\\.))")
_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# OWASP CSV injection: a cell starting with one of these is a formula to Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text that is only a number as this dashboard writes one (-12, £1,234, -3.5%, +2.0 pts) stays as
# it is: no formula can be spelt with these characters, and "'-£120" would read as text in Excel.
_NUMBER = re.compile(r"[-+]?£?\d[\d,]*(\.\d+)?%?( pts| days)?")


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def md_text(value: object) -> str:
    """``value`` as literal text inside Streamlit Markdown: no link, image, heading, list, table,
    HTML, colour, icon, emoji or maths. White space (line breaks too) becomes single spaces, so
    no line can start a block of its own."""
    text = _WHITESPACE.sub(" ", _CONTROL.sub("", _text(value))).strip()
    return _LINK_PATTERNS.sub(lambda m: m.group(0) + WORD_JOINER, _MARKDOWN.sub(r"\\\1", text))


def plotly_text(value: object) -> str:
    """``value`` as literal text in a Plotly string: ``<``, ``>`` and ``&`` as HTML entities, which
    Plotly draws as the characters instead of reading tags such as ``<a href>`` or ``<br>``."""
    return _text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plotly_labels(values: object) -> list:
    """Category values for a Plotly axis, legend or point text: strings escaped, numbers and dates
    left as they are so axes still sort and format them."""
    return [plotly_text(v) if isinstance(v, str) else v for v in values]


def csv_cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, prefixed with ``'`` so it is shown as
    text; anything else (numbers, dates, ordinary text) unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _holds_text(dtype: object) -> bool:
    return (pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)
            or isinstance(dtype, pd.CategoricalDtype))


def _labels(index: pd.Index) -> pd.Index:
    if isinstance(index, pd.MultiIndex):
        return index.set_levels([_labels(level) for level in index.levels])
    return index.map(csv_cell) if _holds_text(index.dtype) else index


def csv_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` safe to open in a spreadsheet: every text cell, column name and index
    label through :func:`csv_cell`. For downloads, and for every ``st.dataframe``, whose own
    "Download as CSV" (and copy to clipboard) exports the cells exactly as given."""
    safe = frame.copy()
    for position, dtype in enumerate(frame.dtypes):  # by position: column names may repeat
        if _holds_text(dtype):
            safe.isetitem(position, frame.iloc[:, position].astype(object).map(csv_cell))
    safe.columns = _labels(safe.columns)
    safe.index = _labels(safe.index)
    return safe


def csv_bytes(frame: pd.DataFrame, index: bool = False) -> bytes:
    """``frame`` as a download: neutralised, UTF-8 with a byte-order mark so Excel reads £, and
    Windows line endings, so a carriage return inside a cell is quoted and cannot start a row."""
    return csv_safe_frame(frame).to_csv(index=index, lineterminator="\r\n").encode("utf-8-sig")


def safe_csv_bytes(data: bytes) -> bytes:
    """A CSV file built elsewhere (a template, an example), every cell through :func:`csv_cell`;
    UTF-8 with a byte-order mark and Windows line endings, as Excel expects."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([csv_cell(c) for c in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")
