"""Hostile files: each is refused quickly, in bounded memory, with a reason a person can act on.

The files are built here, not stored: a small valid workbook whose XML is edited to claim a whole
sheet (A1:XFD1048576), to hold one cell on the last row or in the last column, to unpack to more
than it may; CSVs with NUL and other control characters after the first 4 KB.
"""

from __future__ import annotations

import inspect
import io
import json
import os
import re
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from data_loaders import LoadRejected, apply_plan, plan_load
from data_loaders.limits import FileProblem, max_bytes, max_rows
from data_loaders.read import read_sheet
from tests.conftest import FIXTURES, table_snapshot
from tests.loaders.test_cli import ROOT, run

HEADER = ["case_ref", "district", "referral_date", "case_type", "outcome", "closed_date"]
CSV_HEADER = ",".join(HEADER) + "\n"
SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook(rows: int = 1) -> bytes:
    """A valid cases return as openpyxl writes it: headings on row 1, then ``rows`` rows."""
    book = Workbook()
    sheet = book.active
    sheet.title = "cases"
    sheet.append(HEADER)
    for number in range(1, rows + 1):
        sheet.append([f"C{number}", "Alpha", "01/04/2019", "DFG", "Open", None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def edited(content: bytes, parts: dict[str, Callable[[str], str] | str]) -> bytes:
    """The workbook with parts rewritten (a function of the old XML) or added (new text)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info).decode()
            change = parts.get(info.filename, data)
            target.writestr(info.filename, change(data) if callable(change) else change)
        for name, text in parts.items():
            if name not in source.namelist():
                target.writestr(name, text)  # type: ignore[arg-type]
    return buffer.getvalue()


def dimension(ref: str) -> Callable[[str], str]:
    return lambda xml: re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml)


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def appended(rows_xml: str, ref: str = "") -> Callable[[str], str]:
    """More rows at the end of the sheet (and its dimension set to ``ref``, as Excel would)."""
    def change(xml: str) -> str:
        xml = xml.replace("</sheetData>", rows_xml + "</sheetData>")
        return dimension(ref)(xml) if ref else xml
    return change


def in_first_row(cells_xml: str, ref: str) -> Callable[[str], str]:
    return lambda xml: dimension(ref)(xml).replace("</row>", cells_xml + "</row>", 1)


LAST_ROW = '<row r="1048576">' + inline("A1048576", "x") + "</row>"
HOSTILE = {  # name: (file, what the problem must say)
    "declares the whole sheet and has a cell on its last row": (
        edited(workbook(), {SHEET: appended(LAST_ROW, "A1:XFD1048576")}),
        "cell A1048576 is far below the data, which ends at row 2"),
    "has a cell on the last row": (
        edited(workbook(), {SHEET: appended(LAST_ROW, "A1:F1048576")}),
        "cell A1048576 is far below the data, which ends at row 2"),
    "has a heading in the last column": (
        edited(workbook(), {SHEET: in_first_row(inline("XFD1", "x"), "A1:XFD2")}),
        "cell XFD1 holds 'x', far to the right of the data"),
}


def reasons(problems: list) -> str:
    return " | ".join(f"{p.row}:{p.column}:{p.value}:{p.reason}" for p in problems)


@contextmanager
def memory_cap(extra_mb: int = 1024) -> Iterator[None]:
    """At most ``extra_mb`` more address space while a hostile file is read, so a regression fails
    with a MemoryError here instead of taking the machine's memory (the first file took 3.8 GB)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    status = Path("/proc/self/status").read_text()
    size = int(re.search(r"VmSize:\s+(\d+) kB", status)[1]) * 1024  # type: ignore[index]
    cap = size + extra_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard),
                                            hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def refused(engine: Engine, content: bytes, name: str = "return.xlsx") -> str:
    """Plan and try to load; it must be rejected with nothing written. The problems, joined."""
    before = table_snapshot(engine)
    with memory_cap():
        plan = plan_load(engine, "Testshire", name, content)
    with pytest.raises(LoadRejected):
        apply_plan(engine, plan, user="test")
    assert table_snapshot(engine) == before
    return reasons(plan.problems)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_workbook_is_refused_with_the_reason(programme: Engine, name: str) -> None:
    content, expected = HOSTILE[name]
    assert len(content) < 6_000
    assert expected in refused(programme, content)


MEASURE = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # the reviewer's 4 GB: fail, not swap
from dashboard.db.engine import get_engine
from data_loaders import apply_plan, plan_load
engine = get_engine(sys.argv[1])
apply_plan(engine, plan_load(engine, "Testshire", "districts.csv", open(sys.argv[2], "rb").read()))
content = open(sys.argv[3], "rb").read()
started = time.perf_counter()
plan = plan_load(engine, "Testshire", "hostile.xlsx", content)
print(json.dumps({"seconds": time.perf_counter() - started,
                  # VmHWM: this program's own peak. ru_maxrss survives exec, so after a fork it
                  # can report the parent's (a large test run's) size instead.
                  "peak_mb": int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024,
                  "problems": [p.reason for p in plan.problems]}))
"""


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_workbook_is_refused_in_seconds_and_bounded_memory(tmp_path: Path, name: str) -> None:
    """In a process of its own, so its peak memory is this file's (imports included): before the
    fix the first file took 3.8 GB and ended in a MemoryError after 10 s."""
    content, expected = HOSTILE[name]
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, f"sqlite:///{tmp_path / 'test.sqlite'}",
         str(FIXTURES / "kpis" / "districts.csv"), str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DATABASE_URL": ""})
    assert done.returncode == 0, done.stderr[-2000:]
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert any(expected in reason for reason in measured["problems"]), measured
    assert measured["seconds"] < 5, measured
    assert measured["peak_mb"] < 300, measured


def test_a_sheet_declared_whole_but_holding_one_row_loads_that_row(programme: Engine) -> None:
    """A sheet that claims A1:XFD1048576 but holds one row, and a value right of the headings:
    read as what is there (the value is not in any column, so it is not used)."""
    content = edited(workbook(), {SHEET: lambda xml: dimension("A1:XFD1048576")(xml).replace(
        '<c r="E2"', inline("XFD2", "stray") + '<c r="E2"')})
    plan = plan_load(programme, "Testshire", "cases.xlsx", content)
    assert plan.ok, reasons(plan.problems)
    assert plan.to_insert == 1


def _row(number: int, cells: str) -> str:
    return f'<row r="{number}">{cells}</row>'


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({SHEET: appended(_row(3, '<c r="A3"><v>1</v></c>' * 2_001))},
         "row 3 has more than 2,000 cells"),
        ({SHEET: appended(_row(3, inline("A3", "x" * 40_000)))},
         "more than the 32,767 characters Excel allows"),
        ({SHEET: appended(_row(3, '<c r="A3" t="s"><v>7</v></c>'))},
         "cell A3 refers to a text the workbook does not hold"),
        ({SHEET: appended(_row(2_000_000, inline("A2000000", "x")))}, "a row numbered '2000000'"),
        ({SHEET: appended(_row(3, inline("XFE3", "x")))}, "cell 'XFE3' beyond column XFD"),
        ({SHEET: lambda xml: '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + xml},
         "XML document type declaration"),
        ({SHEET: lambda xml: xml.replace("<sheetData>", "<sheetData><row>")},
         "is not valid XML"),
        ({f"xl/extra/{n}.xml": "<x/>" for n in range(1_001)}, "holds 1,010 files"),
    ],
    ids=["cells per row", "long cell", "missing shared text", "row number", "column", "DTD",
         "broken XML", "parts"],
)
def test_workbook_limits(programme: Engine, parts: dict, expected: str) -> None:
    assert expected in refused(programme, edited(workbook(), parts))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(programme: Engine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The sizes the zip declares are compared with the limit (ten times the upload limit) first;
    zipfile never unpacks more than is declared, so nothing larger can arrive later."""
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "1")
    padded = edited(workbook(), {SHEET: lambda xml: xml.replace("<sheetData>", "<sheetData>"
                                                                + " " * 11 * 1024 * 1024)})
    assert len(padded) < 50_000
    assert "the workbook unpacks to 11 MB, more than the 10 MB a return may" in refused(
        programme, padded)


def test_shared_texts_are_bounded_by_the_row_limit(programme: Engine,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_MAX_RETURN_ROWS", "5")  # so at most 50 different texts
    strings = "".join(f"<si><t>text {n}</t></si>" for n in range(51))
    content = edited(workbook(), {
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{strings}</sst>',
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace("</Relationships>", (
            '<Relationship Id="rId9" Target="sharedStrings.xml" Type="http://schemas.openxml'
            'formats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>'))})
    assert "more text than a return of 5 rows could (51 different texts" in refused(
        programme, content)


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_cells_are_read_as_openpyxl_reads_them(tmp_path: Path) -> None:
    """Shared and inline texts, numbers, built-in and custom date formats, booleans, errors, ISO
    dates and formulas (shared ones translated): what openpyxl, which the loader used before,
    makes of them."""
    styles = (f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
              'formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
              '<xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>')
    strings = (f'<sst xmlns="{MAIN}"><si><t>shared</t></si>'
               '<si><r><t>rich </t></r><r><t>text</t></r><rPh sb="0" eb="1"><t>phonetic</t></rPh></si></sst>')
    headings = "".join(inline(f"{column}1", f"h{column}") for column in "ABCDEFGHIJK")
    cells = ('<c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c><c r="C2"><v>42</v></c>'
             '<c r="D2"><v>6102.5</v></c><c r="E2" s="1"><v>43556</v></c>'
             '<c r="F2" s="2"><v>43567</v></c><c r="G2" t="b"><v>1</v></c>'
             '<c r="H2" t="e"><v>#N/A</v></c><c r="I2" t="d"><v>2019-06-12T00:00:00</v></c>'
             '<c r="J2" t="str"><f t="shared" ref="J2:J3" si="0">C2*2</f><v>84</v></c>'
             + inline("K2", "inline"))
    content = edited(workbook(), {
        "xl/styles.xml": styles, "xl/sharedStrings.xml": strings,
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace("</Relationships>", (
            '<Relationship Id="rId9" Target="sharedStrings.xml" Type="http://schemas.openxml'
            'formats.org/officeDocument/2006/relationships/sharedStrings"/></Relationships>')),
        "[Content_Types].xml": lambda xml: xml.replace("</Types>", (  # where openpyxl looks
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')),
        SHEET: lambda xml: re.sub(r"<sheetData>.*</sheetData>", (
            f'<sheetData><row r="1">{headings}</row><row r="2">{cells}</row>'
            '<row r="3"><c r="J3" t="str"><f t="shared" si="0"/><v>0</v></c></row></sheetData>'),
            dimension("A1:K3")(xml))})
    path = tmp_path / "cells.xlsx"
    path.write_bytes(content)
    book = load_workbook(path, read_only=True)  # as the loader read it before
    theirs = [list(row) for row in book.active.iter_rows(min_row=2, values_only=True)]
    book.close()
    assert theirs[0][:6] == ["shared", "rich text", 42, 6102.5, datetime(2019, 4, 1),
                             datetime(2019, 4, 12)]
    assert theirs[1][9] == "=C3*2"
    assert [cells for _, cells in read_sheet(content, "cases").rows] == theirs


def test_rows_beyond_the_limit_are_refused(programme: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_MAX_RETURN_ROWS", "20")
    assert max_rows() == 20
    lines = [f"C{n},Alpha,01/04/2019,DFG,Open," for n in range(1, 22)]
    at_limit = CSV_HEADER + "\n".join(lines[:20]) + "\n\n,,,,,\n\n"  # blank rows do not count
    assert plan_load(programme, "Testshire", "cases.csv", at_limit.encode()).ok
    over = (CSV_HEADER + "\n".join(lines) + "\n").encode()
    assert "22:::the file has more than 20 rows of data, the most one return may have; split it" \
        in refused(programme, over)
    assert "22:::the sheet has more than 20 rows of data" in refused(programme, workbook(21))
    assert plan_load(programme, "Testshire", "cases.xlsx", workbook(20)).ok


def test_a_long_csv_is_refused_before_any_row_is_checked(programme: Engine,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the limit by its line count, the file is counted first: no row problems, one reason."""
    monkeypatch.setenv("DASHBOARD_MAX_RETURN_ROWS", "20")
    bad_rows = "".join(f"C{n},Gamma,01/04/2019,DFG,Open,\n" for n in range(30))
    problems = plan_load(programme, "Testshire", "cases.csv", (CSV_HEADER + bad_rows).encode()).problems
    assert len(problems) == 1 and problems[0].row == 22, reasons(problems)
    assert "the file has more than 20 rows of data" in problems[0].reason


NUL_ROW = 150


def nul_return(character: str = "\x00", column: str = "case_ref") -> bytes:
    """A cases return whose row 150 (well past the first 4 KB) holds ``character``."""
    lines = [CSV_HEADER.rstrip("\n") + ",notes"]
    for number in range(2, 301):
        ref = f"C{number}{character}x" if number == NUL_ROW and column == "case_ref" else f"C{number}"
        notes = f"fine{character}" if number == NUL_ROW and column == "notes" else "fine"
        lines.append(f"{ref},Alpha,01/04/2019,DFG,Open,,{notes}")
    content = ("\n".join(lines) + "\n").encode()
    assert content.index(character.encode()) > 4096
    return content


@pytest.mark.parametrize(("character", "column", "expected"), [
    ("\x00", "case_ref", f"{NUL_ROW}:case_ref:C{NUL_ROW}\\x00x:contains a control character, NUL (0x00)"),
    ("\x1b", "notes", f"{NUL_ROW}:notes:fine\\x1B:contains a control character, 0x1B"),
])
def test_control_characters_are_refused_naming_row_and_column(
    programme: Engine, character: str, column: str, expected: str
) -> None:
    """On PostgreSQL a NUL used to reach the database and fail there with a traceback; a column
    the return does not use is refused too (on SQLite it was stored)."""
    found = refused(programme, nul_return(character, column), name="cases.csv")
    assert expected in found
    assert found.count("control character") == 1


def test_tabs_and_line_breaks_in_a_cell_are_text(programme: Engine) -> None:
    text = ('feedback_ref,district,received_date,kind,summary\n'
            'F1,Alpha,01/04/2019,Compliment,"First line\r\nsecond\tline"\n')
    plan = plan_load(programme, "Testshire", "feedback.csv", text.encode())
    assert plan.ok, reasons(plan.problems)
    apply_plan(programme, plan, user="test")
    with programme.connect() as conn:
        assert conn.execute(select(s.feedback.c.summary)).scalar() == "First line\r\nsecond\tline"


def test_a_control_character_in_a_heading_is_refused(programme: Engine) -> None:
    content = (b"case_ref,district\x01,referral_date,case_type,outcome\n"
               b"C1,Alpha,01/04/2019,DFG,Open\n")
    assert "1:column 2:district\\x01:the heading contains a control character, 0x01" in refused(
        programme, content, name="cases.csv")


def test_control_characters_in_workbook_cells_are_refused(programme: Engine) -> None:
    """XML cannot carry a NUL, so Excel writes one as _x0000_: it is read back and refused."""
    content = edited(workbook(), {SHEET: lambda xml: xml.replace(
        "<t>C1</t>", "<t>C1_x0000_</t>").replace("<t>Alpha</t>", "<t>Alpha_x0007_</t>")})
    found = refused(programme, content)
    assert "2:case_ref:C1\\x00:contains a control character, NUL (0x00)" in found
    assert "2:district:Alpha\\x07:contains a control character, 0x07" in found


@pytest.mark.parametrize("command", ["check", "load"])
def test_command_line_refuses_a_nul_without_a_traceback(
    db_url: str, engine: Engine, tmp_path: Path, command: str
) -> None:
    run(db_url, "load", "--programme", "Testshire", str(FIXTURES / "kpis" / "districts.csv"))
    path = tmp_path / "cases.csv"
    path.write_bytes(nul_return())
    before = table_snapshot(engine)
    done = run(db_url, command, "--programme", "Testshire", str(path))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "NUL (0x00)" in done.stdout and f"C{NUL_ROW}\\x00x" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert table_snapshot(engine) == before


def test_the_upload_limit_is_counted_as_streamlit_counts_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streamlit's server refuses uploads over server.maxUploadSize * 1024 * 1024 bytes: the loader's
    limit for the same number of megabytes is the same number of bytes, to the byte."""
    from streamlit.web.server.starlette import starlette_routes

    assert 'config.get_option("server.maxUploadSize") * 1024 * 1024' in inspect.getsource(
        starlette_routes), "Streamlit counts megabytes differently now: change limits.BYTES_PER_MB"
    monkeypatch.delenv("DASHBOARD_MAX_UPLOAD_MB", raising=False)
    assert max_bytes() == 25 * 1_048_576
    monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", "1")
    rows = (CSV_HEADER + "C1,Alpha,01/04/2019,DFG,Open,\n" * 30_000).encode()
    exactly = rows + b"#" * (1_048_576 - len(rows))  # a last row, never reached by this read
    assert len(exactly) == max_bytes() == 1_048_576
    read_sheet(exactly)  # at the limit: read
    with pytest.raises(FileProblem, match="over the 1 MB limit"):
        read_sheet(exactly + b"\n")
    for wrong in ("25.5", "0", "lots"):
        monkeypatch.setenv("DASHBOARD_MAX_UPLOAD_MB", wrong)
        with pytest.raises(ValueError, match="DASHBOARD_MAX_UPLOAD_MB must be a whole number"):
            max_bytes()


def test_a_preview_keeps_ten_records_and_the_uploaders_own_bytes(programme: Engine) -> None:
    """What the Returns page keeps between clicks: not a second copy of every row. Loading it
    checks the file again and writes every row."""
    content = (CSV_HEADER + "".join(f"C{n},Alpha,01/04/2019,DFG,Open,\n" for n in range(30))).encode()
    preview = plan_load(programme, "Testshire", "cases.csv", content, preview_only=True)
    assert (preview.ok, preview.to_insert, len(preview.records)) == (True, 30, 10)
    assert preview.content is content and not preview.complete
    result = apply_plan(programme, preview, user="test")
    assert result.inserted == 30
    rejected = plan_load(programme, "Testshire", "bad.csv", content.replace(b"Alpha", b"Gamma"),
                         preview_only=True)
    assert not rejected.ok and rejected.content is None and rejected.records == []


def test_a_hostile_file_name_is_stored_cleaned(programme: Engine) -> None:
    name = "cases\x00\x1b" + "x" * 300 + ".csv"
    result = apply_plan(programme, plan_load(programme, "Testshire", name,
                                             (CSV_HEADER + "C1,Alpha,01/04/2019,DFG,Open,\n").encode()))
    with programme.connect() as conn:
        stored = conn.execute(select(s.import_log.c.file_name).where(
            s.import_log.c.id == result.import_id)).scalar()
    assert stored.startswith("cases??xxx") and len(stored) == 260


def test_a_preview_is_loaded_only_if_it_still_passes(programme: Engine) -> None:
    """Between preview and confirmation the districts changed (an alias went): the load checks
    the file again, against the database as it is now, and refuses it."""
    content = (CSV_HEADER + "C1,B&T,01/04/2019,DFG,Open,\n").encode()
    preview = plan_load(programme, "Testshire", "cases.csv", content, preview_only=True)
    assert preview.ok
    apply_plan(programme, plan_load(programme, "Testshire", "districts.csv",
                                    b"district,code,aliases\nBeta,BET,Beta District Council\n"))
    before = table_snapshot(programme)
    with pytest.raises(LoadRejected) as refusal:
        apply_plan(programme, preview, user="test")
    assert "2:district:B&T:unknown district" in reasons(refusal.value.plan.problems)
    assert table_snapshot(programme) == before


def test_a_zip_that_understates_its_size_is_read_no_further() -> None:
    """zipfile stops at the size an entry declares, and its checksum then fails: the limit on
    declared sizes cannot be passed by declaring less."""
    content = bytearray(edited(workbook(), {SHEET: lambda xml: xml.replace(
        "<sheetData>", "<sheetData>" + " " * 5_000_000)}))
    entry = content.find(b"PK\x01\x02")  # the central directory: what zipfile believes
    while content[entry + 46: entry + 46 + len(SHEET)] != SHEET.encode():
        entry = content.find(b"PK\x01\x02", entry + 4)
    content[entry + 24: entry + 28] = (2_000).to_bytes(4, "little")  # its uncompressed size
    with memory_cap(), pytest.raises(FileProblem, match="cannot be opened .Bad CRC-32"):
        list(read_sheet(bytes(content), "cases").rows)
