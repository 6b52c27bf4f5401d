"""The rows of an .xlsx return, read with work bounded by what the file really holds.

A workbook can claim anything: a ``<dimension>`` of A1:XFD1048576, a cell on row 1,048,576, a zip
entry that unpacks to gigabytes. openpyxl believes such claims (read-only mode fills in every
missing row before a far cell, each as wide as the declared dimension: a 5 KB file took 3.8 GB and
ended in a MemoryError), so this reads the XML itself with expat, a chunk at a time, building no
tree: a row that is not in the file costs nothing, and each count has a limit — parts and bytes
unpacked, sheets, styles, shared texts, rows, cells in a row, characters in a cell — reported as a
FileProblem saying what is wrong.
openpyxl still supplies what Excel means: which number formats are dates, serial numbers as
dates, shared formulas. Nothing is evaluated: a formula cell reads as its formula text, as before.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from xml.parsers import expat

from openpyxl.formula.translate import Translator
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601

from data_loaders.limits import BYTES_PER_MB, FileProblem, Limits

MAIN = frozenset({"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                  "http://purl.oclc.org/ooxml/spreadsheetml/main"})
PACKAGE = frozenset({"http://schemas.openxmlformats.org/package/2006/relationships"})
CHUNK = 64 * 1024  # bytes of XML given to expat at a time
MAX_PARTS = 1_000  # files inside the zip; Excel writes a dozen or two
MAX_DIRECTORY_BYTES = 1024 * 1024  # the zip's list of its files, read before any check can run
MAX_SHEETS = 1_000
MAX_STYLES = 65_536  # Excel allows 64,000 cell formats
MAX_SHARED_FORMULAS = 10_000
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell
RAW_CELL_CHARACTERS = 7 * MAX_CELL_CHARACTERS  # as written: "_x000D_" is one character
MAX_ROW_NUMBER, MAX_COLUMN_NUMBER = 1_048_576, 16_384  # A1:XFD1048576, Excel's whole sheet
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CANNOT_OPEN = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def rows(content: bytes, kind_hint: str | None, allowed: Limits) -> Iterator[tuple[int, dict[int, object]]]:
    """(row number, {column number: value}) for each row holding a value, in file order.

    The sheet named like ``kind_hint`` is read, otherwise the first. Rows are parsed as they are
    asked for, so a caller that stops early (at its row limit, say) reads no further.
    """
    archive = open_archive(content, allowed)
    with archive:
        names = set(archive.namelist())
        root = _relationships(archive, "", names)
        workbook_path = next((target for kind, target in root.values()
                              if kind.endswith("/officeDocument")), "xl/workbook.xml")
        if workbook_path not in names:
            raise FileProblem("this is a zip archive but not an Excel workbook; save the return as "
                              ".xlsx or CSV UTF-8")
        workbook = _Workbook()
        parse_part(archive, workbook_path, workbook)
        if not workbook.sheets:
            raise FileProblem("the workbook has no sheets")
        parts = _relationships(archive, workbook_path, names)
        by_name: dict[str, tuple[str, str]] = {}
        for name, rid in workbook.sheets:
            by_name.setdefault(name.lower(), (name, rid))
        name, rid = by_name.get((kind_hint or "").lower(), workbook.sheets[0])
        path = parts.get(rid, ("", ""))[1]
        if path not in names:
            raise FileProblem(f"the sheet '{name}' is missing from the workbook; open it in Excel "
                              "and save it again as .xlsx")
        shared = _SharedStrings(allowed)
        styles = _Styles()
        for kind, target in parts.values():
            if kind.endswith("/sharedStrings") and target in names:
                parse_part(archive, target, shared)
            elif kind.endswith("/styles") and target in names:
                parse_part(archive, target, styles)
        sheet = _SheetRows(shared.strings, styles.dates, styles.durations, workbook.epoch, allowed)
        for _ in _parse(archive, path, sheet):
            yield from sheet.ready
            sheet.ready.clear()


def _directory_size(content: bytes) -> int:
    """The size the zip's end record gives its central directory (0 if there is no such record)."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 65_557))
    if end < 0 or end + 22 > len(content):
        return 0
    return int.from_bytes(content[end + 12:end + 16], "little")


def open_archive(content: bytes, allowed: Limits) -> zipfile.ZipFile:
    """The archive, once what it declares is within bounds: how many files, how they are
    compressed, and the total they unpack to (zipfile never unpacks more than is declared)."""
    if _directory_size(content) > MAX_DIRECTORY_BYTES:
        raise FileProblem("the workbook lists more files than any spreadsheet holds; it is damaged "
                          "or not a return: save the return again from Excel as .xlsx, or as CSV")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (*_CANNOT_OPEN, ValueError) as error:
        raise FileProblem(f"this looks like an Excel file but cannot be opened ({error}); "
                          "save it again as .xlsx") from None
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise FileProblem(f"the workbook holds {len(infos):,} files, more than any spreadsheet "
                          f"needs (at most {MAX_PARTS:,}); save the return again from Excel as .xlsx")
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileProblem(f"the workbook is compressed in a way Excel does not use "
                              f"({info.filename}); save it again from Excel as .xlsx")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > allowed.unpacked_bytes:
        raise FileProblem(
            f"the workbook unpacks to {unpacked / BYTES_PER_MB:,.0f} MB, more than the "
            f"{allowed.unpacked_bytes / BYTES_PER_MB:,.0f} MB a return may (ten times the upload "
            "limit): it is damaged, or holds far more than one return; send the return on its own, "
            "as CSV or .xlsx")
    return archive


class XmlHandler:
    """Receives one XML part's elements in ``namespaces``, by local name; sets ``done`` to stop."""

    namespaces: frozenset[str] = MAIN
    done = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        pass

    def end(self, name: str) -> None:
        pass

    def text(self, data: str) -> None:
        pass


def _refuse_dtd(*_: object) -> None:
    raise FileProblem("the spreadsheet contains an XML document type declaration, which Excel and "
                      "LibreOffice never write; save it again from the spreadsheet program")


def _parse(archive: zipfile.ZipFile, name: str, handler: XmlHandler) -> Iterator[None]:
    """Feed the part to expat a chunk at a time, pausing after each chunk."""
    namespaces = handler.namespaces
    known: dict[str, str] = {}  # "namespace name" -> name, or "" for another namespace's

    def local(qualified: str) -> str:
        name = known.get(qualified)
        if name is None:
            uri, _, name = qualified.rpartition(" ")
            name = name if uri in namespaces else ""
            if len(known) < 1_000:
                known[qualified] = name
        return name

    def start(qualified: str, attrs: dict[str, str]) -> None:
        if name := local(qualified):
            handler.start(name, attrs)

    def end(qualified: str) -> None:
        if name := local(qualified):
            handler.end(name)

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = handler.text
    yield from feed(archive, name, parser, lambda: handler.done)


def feed(archive: zipfile.ZipFile, name: str, parser: expat.XMLParserType,
         done: Callable[[], bool]) -> Iterator[None]:
    """Give expat the part a chunk at a time until ``done()``, pausing after each chunk; a DTD
    (and so any entity to expand) is refused."""
    parser.StartDoctypeDeclHandler = _refuse_dtd
    try:
        with archive.open(name) as stream:
            while not done() and (chunk := stream.read(CHUNK)):
                parser.Parse(chunk, False)
                yield
            if not done():
                parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FileProblem(f"the spreadsheet cannot be read: {name} is not valid XML "
                          f"({expat.ErrorString(error.code)}, line {error.lineno}); open it and "
                          "save it again") from None
    except _CANNOT_OPEN as error:
        raise FileProblem(f"this looks like a spreadsheet but cannot be opened ({error}); "
                          "save it again") from None


def parse_part(archive: zipfile.ZipFile, name: str, handler: XmlHandler) -> None:
    for _ in _parse(archive, name, handler):
        pass


class _Relationships(XmlHandler):
    namespaces = PACKAGE

    def __init__(self, base: str) -> None:
        self.base, self.found = base, {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name != "Relationship" or attrs.get("TargetMode") == "External":
            return
        if len(self.found) >= MAX_PARTS:
            raise FileProblem("the workbook refers to more parts than any spreadsheet holds; save "
                              "it again from Excel as .xlsx")
        target = attrs.get("Target", "")
        path = target[1:] if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(self.base), target))
        self.found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)


def _relationships(archive: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, path in the zip) for ``part`` ('' for the package itself)."""
    folder, file = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", file + ".rels")
    handler = _Relationships(part)
    if rels in names:
        parse_part(archive, rels, handler)
    return handler.found


class _Workbook(XmlHandler):
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []  # (name, relationship id)
        self.epoch = CALENDAR_WINDOWS_1900

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904
        elif name == "sheet":
            if len(self.sheets) >= MAX_SHEETS:
                raise FileProblem(f"the workbook has more than {MAX_SHEETS:,} sheets; send the "
                                  "return on its own")
            rid = next((value for key, value in attrs.items() if key.endswith(" id")), "")
            self.sheets.append((attrs.get("name", ""), rid))

    def end(self, name: str) -> None:
        self.done = self.done or name == "sheets"


class _Styles(XmlHandler):
    """Which cell styles show a number as a date (or a duration), as openpyxl decides it."""

    def __init__(self) -> None:
        self.formats: dict[int, str] = {}
        self.dates: set[int] = set()
        self.durations: set[int] = set()
        self.in_cell_formats, self.count = False, 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "numFmt":
            if len(self.formats) >= MAX_STYLES:
                raise FileProblem("the workbook has more number formats than Excel allows")
            self.formats[_whole(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_formats = True
        elif name == "xf" and self.in_cell_formats:
            if self.count >= MAX_STYLES:
                raise FileProblem("the workbook has more cell formats than Excel allows")
            number = _whole(attrs.get("numFmtId"))
            code = self.formats.get(number) or BUILTIN_FORMATS.get(number)
            if code and is_date_format(code):
                self.dates.add(self.count)
            if code and is_timedelta_format(code):
                self.durations.add(self.count)
            self.count += 1

    def end(self, name: str) -> None:
        if name == "cellXfs":
            self.done = True  # the number formats come before the cell formats


class _SharedStrings(XmlHandler):
    """The workbook's table of texts, within the limits on how many and how long."""

    def __init__(self, allowed: Limits) -> None:
        self.allowed = allowed
        self.strings: list[str] = []
        self.parts: list[str] | None = None
        self.target: list[str] | None = None
        self.phonetic = self.characters = self.total = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == "si":
            self.parts, self.characters = [], 0
        elif name == "rPh":
            self.phonetic += 1
        elif name == "t" and self.parts is not None and not self.phonetic:
            self.target = self.parts

    def text(self, data: str) -> None:
        if self.target is not None:
            self.characters += len(data)
            if self.characters > RAW_CELL_CHARACTERS:
                raise FileProblem(f"a text in the workbook is longer than the {MAX_CELL_CHARACTERS:,} "
                                  "characters Excel allows in a cell; save it again from Excel")
            self.target.append(data)

    def end(self, name: str) -> None:
        if name == "t":
            self.target = None
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "si" and self.parts is not None:
            text = "".join(self.parts)
            self.parts = None
            self.strings.append(text)
            self.total += len(text)
            if len(self.strings) > self.allowed.shared_strings or \
                    self.total > self.allowed.shared_characters:
                raise FileProblem(
                    f"the workbook holds more text than a return of {self.allowed.rows:,} rows "
                    f"could ({len(self.strings):,} different texts, {self.total:,} characters); "
                    "send the return on its own, or split it")


class _SheetRows(XmlHandler):
    """The worksheet's rows as they are parsed, put in ``ready``; no more cells are kept than
    the file holds, and none of a row beyond the cells-per-row limit."""

    def __init__(self, shared: list[str], dates: set[int], durations: set[int], epoch: object,
                 allowed: Limits) -> None:
        self.shared, self.dates, self.durations, self.epoch = shared, dates, durations, epoch
        self.cells_per_row = allowed.cells_per_row
        self.row_elements = 2 * allowed.rows + 1_000  # rows, empty or not, the sheet may hold
        self.ready: list[tuple[int, dict[int, object]]] = []
        self.in_data = False
        self.seen = self.number = self.count = self.column = 0
        self.cells: dict[int, object] | None = None
        self.cell: tuple[str, int, str, str] | None = None  # reference, column, type, style
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.formula_attrs: dict[str, str] = {}
        self.inline: list[str] | None = None
        self.target: list[str] | None = None
        self.phonetic = self.characters = 0
        self.shared_formulas: dict[str, Translator] = {}

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if not self.in_data:
            self.in_data = name == "sheetData"
        elif self.cell is not None:
            if name == "v":
                self.target = self.value = []
            elif name == "f":
                self.target = self.formula = []
                self.formula_attrs = attrs
            elif name == "is":
                self.inline = []
            elif name == "rPh":
                self.phonetic += 1
            elif name == "t" and self.inline is not None and not self.phonetic:
                self.target = self.inline
        elif name == "c" and self.cells is not None:
            self._start_cell(attrs)
        elif name == "row":
            self.seen += 1
            if self.seen > self.row_elements:
                raise FileProblem(f"the sheet has more than {self.row_elements:,} rows, counting "
                                  "empty ones; delete the rows below the data, or split the return")
            reference = attrs.get("r")
            self.number = _whole(reference, 0) if reference else self.number + 1
            if not 1 <= self.number <= MAX_ROW_NUMBER:
                raise FileProblem(f"the sheet has a row numbered {reference!r}, which no worksheet "
                                  "has; open it in Excel and save it again")
            self.cells, self.count, self.column = {}, 0, 0

    def _start_cell(self, attrs: dict[str, str]) -> None:
        self.count += 1
        if self.count > self.cells_per_row:
            raise FileProblem(f"row {self.number:,} has more than {self.cells_per_row:,} cells, "
                              "more than a row of a return may have; delete the columns to the "
                              "right of the data", row=self.number)
        reference = attrs.get("r", "")
        self.column = _column(reference) if reference else self.column + 1
        if not 1 <= self.column <= MAX_COLUMN_NUMBER:
            raise FileProblem(f"the sheet has a cell {reference!r} beyond column XFD, which no "
                              "worksheet has; open it in Excel and save it again", row=self.number)
        self.cell = (reference, self.column, attrs.get("t", "n"), attrs.get("s", "0"))
        self.value = self.formula = self.inline = self.target = None
        self.characters = self.phonetic = 0

    def text(self, data: str) -> None:
        if self.target is not None:
            self.characters += len(data)
            if self.characters > RAW_CELL_CHARACTERS:
                raise FileProblem(f"a cell in row {self.number:,} holds more than the "
                                  f"{MAX_CELL_CHARACTERS:,} characters Excel allows",
                                  row=self.number)
            self.target.append(data)

    def end(self, name: str) -> None:
        if name in ("v", "f", "t"):
            self.target = None
        elif name == "rPh":
            self.phonetic -= 1
        elif name == "c" and self.cell is not None:
            value = self._cell_value()
            if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                raise FileProblem(f"cell {self.cell[0] or self.number} holds {len(value):,} "
                                  f"characters, more than the {MAX_CELL_CHARACTERS:,} characters "
                                  "Excel allows in a cell", row=self.number)
            if value is not None and value != "" and self.cells is not None:
                self.cells[self.cell[1]] = value
            self.cell = None
        elif name == "row" and self.cells is not None:
            if self.cells:
                self.ready.append((self.number, self.cells))
            self.cells = None
        elif name == "sheetData":
            self.in_data, self.done = False, True  # nothing after the cells matters

    def _cell_value(self) -> object:
        """The cell as openpyxl reads it without evaluating anything (``data_only=False``)."""
        reference, _, kind, style = self.cell  # type: ignore[misc]
        if self.formula is not None:
            return self._formula(reference)
        if kind == "inlineStr":
            return _unescape("".join(self.inline)) if self.inline is not None else None
        value = "".join(self.value) if self.value is not None else ""
        if not value:
            return None
        if kind == "s":
            index = _whole(value, -1)
            if not 0 <= index < len(self.shared):
                raise FileProblem(f"cell {reference or self.number} refers to a text the workbook "
                                  "does not hold; open it in Excel and save it again",
                                  row=self.number)
            return _unescape(self.shared[index])
        if kind in ("str", "e"):
            return _unescape(value)
        if kind == "b":
            return {"0": False, "1": True}.get(value.strip(), value)
        if kind == "d":
            try:
                return from_ISO8601(value)
            except (ValueError, TypeError):
                return value
        try:
            number: int | float = float(value) if any(c in value for c in ".eE") else int(value)
        except ValueError:
            return value
        style_id = _whole(style, 0)
        if style_id in self.dates:
            try:
                return from_excel(number, self.epoch, timedelta=style_id in self.durations)
            except (OverflowError, ValueError):
                return number
        return number

    def _formula(self, reference: str) -> str:
        text = "=" + "".join(self.formula or ())
        if self.formula_attrs.get("t") != "shared":
            return text
        group = self.formula_attrs.get("si", "")
        if text != "=":  # the first cell of a shared formula holds its text
            if reference and len(self.shared_formulas) < MAX_SHARED_FORMULAS:
                self.shared_formulas[group] = Translator(text, reference)
            return text
        translator = self.shared_formulas.get(group)
        if translator is None or not reference:
            return text
        try:
            return translator.translate_formula(reference)
        except Exception:  # noqa: BLE001 - openpyxl's tokenizer on a hostile formula; keep its text
            return translator.formula


def _whole(text: str | None, default: int = 0) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _column(reference: str) -> int:
    """'XFD1' -> 16384; 0 if the reference starts with no letter."""
    number = 0
    for character in reference:
        if "A" <= character <= "Z":
            number = number * 26 + ord(character) - 64
        elif "a" <= character <= "z":
            number = number * 26 + ord(character) - 96
        else:
            break
        if number > MAX_COLUMN_NUMBER:
            break
    return number


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _xHHHH_ ('_x000D_' is a carriage return);
    read them back, so a control character sent this way is seen (and refused) like any other.
    Surrogate halves stay as written: they are not characters."""
    if "_x" not in text:
        return text
    return _ESCAPED.sub(lambda m: m[0] if 0xD800 <= int(m[1], 16) <= 0xDFFF else chr(int(m[1], 16)),
                        text)
