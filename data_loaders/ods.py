"""Reading an OpenDocument spreadsheet (.ods), the format CQC publishes its care directory in.

An .ods is a zip of XML. It gets the workbook's defences first (how many parts, how they are
compressed, what they unpack to), then its content is streamed a megabyte at a time and cut at
each row, so memory follows one row, never the sheet: a national ratings file of 300,000 rows is
read in about 150 MB where python-calamine, which builds the whole sheet, took 711 MB (measured).

A cell or a row may say it repeats (``table:number-columns-repeated``,
``table:number-rows-repeated``), and a few bytes can claim a billion cells. Repeats are counted
before they are expanded: the rows, and the cells holding a value, are counted as the repeats
would make them, and past the limits the file is refused. Empty cells and rows (every
spreadsheet pads its sheets with thousands) cost nothing. Anything that could hide a repeat or a
value from this reading (a document type declaration, a repeat written as a character reference,
a row of more than 16 MB) is refused. Names are matched with the prefixes every spreadsheet
program writes (``table:``, ``office:``, ``text:``); a file using others reads as no cells.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, datetime

from data_loaders.limits import FileProblem, Limits
from data_loaders.xlsx import open_archive

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ATTRIBUTES = rb"""(?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_ATTRIBUTE = re.compile(rb"""([^\s=>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# A row is cut at each cell; a cell's piece starts with its attributes, then "/>" or ">" and its
# content, which runs to its own end tag.
_CELL_START = re.compile(rb"<table:(?:covered-)?table-cell")
_CELL_HEAD = re.compile(rb"(" + _ATTRIBUTES + rb")\s*(/?)>")
_ROW_TAG = re.compile(rb"^(" + _ATTRIBUTES + rb")\s*(/?)>")
_TABLE_START = re.compile(rb"<table:table(" + _ATTRIBUTES + rb")\s*>")
_ROW_MARK = b"<table:table-row"
_CHUNK = 1 << 20
_LONGEST_ROW = 16 << 20  # bytes of XML one row may take: a national file's rows take a few KB
# Inside a cell: notes left out, paragraphs one per line, CQC's spaces and tabs as written.
_ANNOTATION = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.S)
_SPACES = re.compile(rb"""<text:s(?:\s+text:c\s*=\s*["'](\d+)["'])?\s*/>""")
_TAG = re.compile(rb"<[^>]*>")
_VALUE_TYPE = re.compile(rb"""office:value-type\s*=\s*["']([^"']*)["']""")


def is_ods(content: bytes) -> bool:
    """An .ods starts with its stored mimetype, by the OpenDocument rule."""
    return content[:4] == b"PK\x03\x04" and ODS_MIMETYPE in content[:200]


def _attributes(raw: bytes) -> dict[bytes, str]:
    return {m[1]: html.unescape((m[2] if m[2] is not None else m[3]).decode("utf-8", "replace"))
            for m in _ATTRIBUTE.finditer(raw)}


def _repeat(attributes: dict[bytes, str], name: bytes) -> int:
    raw = attributes.get(name)
    if raw is None:
        return 1
    if not raw.strip().isdigit():
        raise FileProblem(f"the spreadsheet says a cell or row repeats {raw[:20]!r} times, which is not "
                          "a plain number; it is damaged: save it again")
    return max(1, int(raw))


def _text(inner: bytes) -> str:
    if inner.startswith(b"<text:p>") and inner.endswith(b"</text:p>") and inner.count(b"<") == 2:
        plain = inner[8:-9].decode("utf-8", "replace")  # one plain paragraph: most cells
        return html.unescape(plain) if "&" in plain else plain
    inner = _ANNOTATION.sub(b"", inner)
    inner = _SPACES.sub(lambda m: b" " * min(int(m[1] or 1), 1000), inner)
    inner = inner.replace(b"<text:tab/>", b"\t").replace(b"<text:line-break/>", b"\n")
    paragraphs = [html.unescape(_TAG.sub(b"", p).decode("utf-8", "replace"))
                  for p in re.split(rb"</text:p>", inner) if p.strip()]
    return "\n".join(p for p in paragraphs if p)


def _value(raw: bytes, inner: bytes | None) -> object:
    """The cell's value (``raw``: its attributes): a number, a date, a truth value or text; None
    when empty. Text cells, most of a file, are read without building the attributes."""
    typed = _VALUE_TYPE.search(raw)
    if typed is None:
        text = _text(inner) if inner else ""
        return text or None
    if typed[1] == b"string":
        return _text(inner) if inner else ""
    attributes = _attributes(raw)
    kind = attributes.get(b"office:value-type")
    try:
        if kind in ("float", "percentage", "currency"):
            return float(attributes[b"office:value"])
        if kind == "date":
            raw = attributes[b"office:date-value"]
            return datetime.fromisoformat(raw).date() if len(raw) > 10 else date.fromisoformat(raw)
        if kind == "boolean":
            return attributes.get(b"office:boolean-value", "").lower() == "true"
    except (KeyError, ValueError):
        pass  # a value the attributes do not give: the text the cell shows stands
    return _text(inner) if inner else ""


class _Reader:
    """Turns row pieces (the XML after each ``<table:table-row``) into rows of values, counting
    rows and valued cells as their repeats would make them."""

    def __init__(self, allowed: Limits, cell_limit: int, sheet: str | None) -> None:
        self.allowed, self.cell_limit, self.wanted = allowed, cell_limit, sheet
        self.sheet: str | None = None  # the sheet the rows are in
        self.sheets: list[str] = []
        self.rows = self.cells = 0
        self.position = 0  # rows of the sheet being read so far, empty ones too

    def tables(self, text: bytes) -> None:
        """Note each sheet that starts in ``text`` (between rows)."""
        for found in _TABLE_START.finditer(text):
            name = _attributes(found[1]).get(b"table:name", f"Sheet{len(self.sheets) + 1}")
            self.sheets.append(name)
            self.sheet, self.position = name, 0

    def reading(self) -> bool:
        if self.wanted is None:
            return len(self.sheets) == 1
        return self.sheet is not None and self.sheet.strip().casefold() == self.wanted.casefold()

    def row(self, piece: bytes) -> Iterator[tuple[int, list[object]]]:
        tag = _ROW_TAG.match(piece)
        if tag is None:
            return  # <table:table-rows> or <table:table-row-group>: its rows follow
        repeat = _repeat(_attributes(tag[1]), b"table:number-rows-repeated")
        first = self.position + 1
        if self.reading():
            self.position += repeat
        end = piece.find(b"</table:table-row>")
        body = piece[tag.end():] if end < 0 else piece[tag.end():end]
        if end >= 0:
            self.tables(piece[end:])
        if tag[2]:  # an empty row, written <table:table-row/>
            self.tables(piece[tag.end():])
            return
        cells: list[tuple[int, object]] = []
        valued = 0
        for piece in _CELL_START.split(body)[1:]:
            head = _CELL_HEAD.match(piece)
            if head is None:
                raise FileProblem("a cell of the spreadsheet is not written as spreadsheets write "
                                  "them; it is damaged: save it again")
            raw = head[1]
            count = (_repeat(_attributes(raw), b"table:number-columns-repeated") if b"repeated" in raw
                     else 1)
            value = _value(raw, None if head[2] else piece[head.end():piece.rfind(b"</table:")])
            if value not in (None, ""):
                valued += count
            cells.append((count, value))
        if not valued:
            return
        self._count(repeat, valued)
        if not self.reading():
            return
        while cells and cells[-1][1] in (None, ""):
            cells.pop()  # trailing padding
        width = sum(count for count, _value in cells)
        if width > self.allowed.columns:
            raise FileProblem(f"a row has {width:,} cells, more than the {self.allowed.columns} any file "
                              "of this kind has")
        values = [value for count, value in cells for _ in range(count)]
        for number in range(first, first + repeat):
            yield number, list(values)

    def _count(self, repeat: int, valued: int) -> None:
        self.rows += repeat
        self.cells += repeat * valued
        if self.rows > self.allowed.rows + 100:  # notices above the header
            raise FileProblem(f"the spreadsheet has more than {self.allowed.rows:,} rows of data, more "
                              "than any file of this kind holds")
        if self.cells > self.cell_limit:
            raise FileProblem(f"the spreadsheet holds more than {self.cell_limit:,} cells with values, "
                              "more than any file of this kind; it is damaged or not the file it "
                              "claims to be")


def _pieces(content: bytes, allowed: Limits) -> Iterator[tuple[bool, bytes]]:
    """(is a row, text) for the content before the first row, then each row piece, streamed."""
    with open_archive(content, allowed) as archive:
        if "content.xml" not in archive.namelist():
            raise FileProblem("this OpenDocument file has no content; save it again as .ods")
        carry, in_row, first = b"", False, True
        with archive.open("content.xml") as stream:
            while chunk := stream.read(_CHUNK):
                if first and b"<!DOCTYPE" in chunk[:4096]:
                    raise FileProblem("the spreadsheet contains an XML document type declaration, which "
                                      "spreadsheet programs never write; save it again")
                first = False
                head, *rest = (carry + chunk).split(_ROW_MARK)
                if not rest:
                    if len(head) > _LONGEST_ROW:
                        raise FileProblem("a row of the spreadsheet holds more than 16 MB: no file of "
                                          "this kind has such a row; it is damaged")
                    carry = head
                    continue
                yield in_row, head
                for piece in rest[:-1]:
                    yield True, piece
                carry, in_row = rest[-1], True
        yield in_row, carry


def sheet_rows(content: bytes, sheet: str | None, allowed: Limits, cell_limit: int,
               limit_rows: int | None = None) -> Iterator[tuple[int, list[object]]]:
    """(row number, values) for each row holding a value in the sheet called ``sheet`` (any case),
    or the first: numbers as floats, dates as dates, text as text. ``limit_rows``: stop after
    that many."""
    reader = _Reader(allowed, cell_limit, sheet)
    given = 0
    for is_row, text in _pieces(content, allowed):
        if not is_row:
            reader.tables(text)
            continue
        for values in reader.row(text):
            yield values
            given += 1
            if limit_rows is not None and given >= limit_rows:
                return
    if sheet is not None and not any(n.strip().casefold() == sheet.casefold() for n in reader.sheets):
        raise FileProblem(f"the spreadsheet has no sheet called '{sheet}' (it has: "
                          f"{', '.join(reader.sheets[:10]) or 'none'})")
