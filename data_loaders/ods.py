"""Reading an OpenDocument spreadsheet (.ods), the format CQC publishes its care directory in.

An .ods is a zip of XML, so it gets the workbook's defences first (how many parts, how they are
compressed, what they unpack to) and then one more of its own: a cell or a row may say it repeats
(``table:number-columns-repeated``, ``table:number-rows-repeated``), and a few bytes can claim a
billion cells. The content is streamed through expat once, counting the cells that hold something
as the repeats expand them, before any cell is read; only then does python-calamine (Rust, about
fifty times faster than odfpy on a national file) read the sheet. Calamine leaves out the empty
repeated cells and rows every spreadsheet pads its sheets with, so they cost nothing.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from xml.parsers import expat

from python_calamine import CalamineError, CalamineWorkbook

from data_loaders.limits import FileProblem, Limits
from data_loaders.xlsx import feed, open_archive

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def is_ods(content: bytes) -> bool:
    """An .ods starts with its stored mimetype, by the OpenDocument rule."""
    return content[:4] == b"PK\x03\x04" and ODS_MIMETYPE in content[:200]


_ROW, _CELL, _COVERED, _TABLE = (f"{TABLE} table-row", f"{TABLE} table-cell",
                                  f"{TABLE} covered-table-cell", f"{TABLE} table")
_ROWS_REPEATED, _COLUMNS_REPEATED = f"{TABLE} number-rows-repeated", f"{TABLE} number-columns-repeated"
_VALUE_TYPE, _PARAGRAPH = f"{OFFICE} value-type", f"{TEXT} p"


def _count(attrs: dict[str, str], name: str) -> int:
    raw = attrs.get(name)
    if raw is None:
        return 1
    try:
        return max(1, int(raw))
    except ValueError:
        raise FileProblem(f"the spreadsheet says a cell or row repeats {raw[:20]!r} times, which is "
                          "not a number; it is damaged: save it again") from None


_ATTRIBUTES = rb"""(?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_CELL_TAG = re.compile(rb"<table:(?:covered-)?table-cell" + _ATTRIBUTES + rb"\s*/?>")
_ROW_TAG = re.compile(rb"^" + _ATTRIBUTES + rb"\s*/?>")
_REPEATED = re.compile(rb"""table:number-(rows|columns)-repeated\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ROW_MARK = b"<table:table-row"
_SCAN_CHUNK = 1 << 20
_LONGEST_ROW = 16 << 20  # bytes of XML one row may take: a national file's rows take a few KB


def _repeat(tag: bytes, what: bytes) -> int:
    for found in _REPEATED.finditer(tag):
        if found[1] == what:
            raw = found[2] if found[2] is not None else found[3]
            if not raw.strip().isdigit():
                shown = raw[:20].decode(errors="replace")
                raise FileProblem(f"the spreadsheet says a cell or row repeats {shown!r} times, which is "
                                  "not a plain number; it is damaged: save it again")
            return max(1, int(raw))
    return 1


def _row_cells(piece: bytes) -> tuple[int, int]:
    """(times the row repeats, cells with a value in it) for the text after ``<table:table-row``."""
    if b"repeated" not in piece:  # the usual row: one of each, counted in C
        return 1, piece.count(b"office:value-type")
    tag = _ROW_TAG.match(piece)
    repeat = _repeat(tag[0], b"rows") if tag else 1
    cells = sum(_repeat(cell[0], b"columns") for cell in _CELL_TAG.finditer(piece)
                if b"office:value-type" in cell[0])
    return repeat, cells


def check_cells(content: bytes, allowed: Limits, cell_limit: int) -> None:
    """Refuse a file whose repeats expand to more rows or cells with values than ``allowed``,
    before anything reads a cell. The content is streamed once and cut at each row: a row with no
    repeat in it is counted in C, a row with one has each cell's repeat read. The names are
    matched with CQC's (and every spreadsheet's) prefixes, ``table:`` and ``office:``, as calamine
    matches them: a file using others has no cells calamine would read. Anything that could hide
    a repeat (a document type declaration, a repeat written as an entity) is refused."""
    rows = cells = 0

    def count(piece: bytes) -> None:
        nonlocal rows, cells
        repeat, valued = _row_cells(piece)
        if valued:
            rows += repeat
            cells += repeat * valued
        if rows > allowed.rows + 100:  # notices above the header
            raise FileProblem(f"the spreadsheet has more than {allowed.rows:,} rows of data, more than "
                              "any file of this kind holds")
        if cells > cell_limit:
            raise FileProblem(f"the spreadsheet holds more than {cell_limit:,} cells with values, more "
                              "than any file of this kind; it is damaged or not the file it claims to be")

    with open_archive(content, allowed) as archive:
        if "content.xml" not in archive.namelist():
            raise FileProblem("this OpenDocument file has no content; save it again as .ods")
        carry, in_row, first = b"", False, True
        with archive.open("content.xml") as stream:
            while chunk := stream.read(_SCAN_CHUNK):
                if first and b"<!DOCTYPE" in chunk[:4096]:
                    raise FileProblem("the spreadsheet contains an XML document type declaration, which "
                                      "spreadsheet programs never write; save it again")
                first = False
                head, *rest = (carry + chunk).split(_ROW_MARK)
                if not rest:
                    if in_row and len(head) > _LONGEST_ROW:
                        raise FileProblem("a row of the spreadsheet holds more than 16 MB: no file of "
                                          "this kind has such a row; it is damaged")
                    carry = head if in_row else head[-len(_ROW_MARK):]  # a mark cut in two
                    continue
                if in_row:
                    count(head)
                for piece in rest[:-1]:
                    count(piece)
                carry, in_row = rest[-1], True
        if in_row:
            count(carry)


def top_rows(content: bytes, allowed: Limits, rows_per_sheet: int = 30,
             sheets: int = 5) -> dict[str, list[list[str]]]:
    """The text of the first sheet's first rows (and of any sheet met before they are read),
    without reading the rest: enough to tell what kind of file it is."""
    found: dict[str, list[list[str]]] = {}
    state: dict[str, object] = {"sheet": None, "row": None, "text": None, "done": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == _TABLE:
            if len(found) >= sheets:
                state["done"] = True
                return
            state["sheet"] = attrs.get(f"{TABLE} name", f"Sheet{len(found) + 1}")
            found[str(state["sheet"])] = []
        elif name == _ROW and state["sheet"] is not None:
            rows = found[str(state["sheet"])]
            state["row"] = [] if len(rows) < rows_per_sheet else None
            if state["row"] is not None:
                rows.append(state["row"])  # type: ignore[arg-type]
        elif name == _CELL and state["row"] is not None:
            if len(state["row"]) < 200:  # type: ignore[arg-type]
                state["row"].append("")  # type: ignore[union-attr]
        elif name == _PARAGRAPH and state["row"]:
            state["text"] = True

    def end(name: str) -> None:
        if name == _PARAGRAPH:
            state["text"] = None

    def text(data: str) -> None:
        row = state["row"]
        if state["text"] and row and len(row[-1]) < 500:  # type: ignore[arg-type,index]
            row[-1] += data  # type: ignore[index]

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = text
    with open_archive(content, allowed) as archive:
        if "content.xml" in archive.namelist():
            for _ in feed(archive, "content.xml", parser, lambda: bool(state["done"])):
                if found and len(found[next(iter(found))]) >= rows_per_sheet and state["row"] is None:
                    break  # the first sheet's top rows are enough: the rest is never read
    return found


def sheet_rows(content: bytes, sheet: str | None, allowed: Limits,
               cell_limit: int) -> tuple[str, Iterator[list[object]]]:
    """(sheet name, its rows as lists of values) for the sheet called ``sheet`` (any case), or
    the first; dates arrive as dates and numbers as floats."""
    check_cells(content, allowed, cell_limit)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = list(workbook.sheet_names)
        if not names:
            raise FileProblem("the spreadsheet has no sheets")
        chosen = names[0]
        if sheet is not None:
            matching = [n for n in names if n.strip().casefold() == sheet.casefold()]
            if not matching:
                raise FileProblem(f"the spreadsheet has no sheet called '{sheet}' (it has: "
                                  f"{', '.join(names[:10])})")
            chosen = matching[0]
        return chosen, workbook.get_sheet_by_name(chosen).iter_rows()
    except (CalamineError, zipfile.BadZipFile, ValueError) as error:
        if isinstance(error, FileProblem):
            raise
        raise FileProblem(f"the spreadsheet cannot be read ({str(error)[:200]}); save it again "
                          "as .ods, .xlsx or CSV") from None
