"""A minimal OpenDocument spreadsheet writer, so the sample data and the tests can hold files in
the format CQC publishes (.ods) without a spreadsheet library: a zip of a mimetype, a manifest and
one content.xml, each cell typed as text, number or date."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
FIXED_TIME = (2019, 11, 1, 0, 0, 0)  # the same bytes on every run
TAIL = "</office:spreadsheet></office:body></office:document-content>"


def _cell(value: object) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        value = "Y" if value else "N"
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    if isinstance(value, dt.date):
        return (f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
                f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
            "</table:table-cell>")


def _table(name: str, rows: Iterable[Sequence[object]]) -> Iterable[str]:
    yield f"<table:table table:name={quoteattr(name)}>"
    for row in rows:
        yield "<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>"
    yield "</table:table>"


def ods_bytes(sheets: Mapping[str, Iterable[Sequence[object]]], content_xml: str | None = None) -> bytes:
    """The .ods file holding ``sheets`` (name -> rows) in order; ``content_xml`` replaces the
    generated content, for tests that need a file no spreadsheet would write."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype", FIXED_TIME), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr(zipfile.ZipInfo("META-INF/manifest.xml", FIXED_TIME), MANIFEST,
                         compress_type=zipfile.ZIP_DEFLATED)
        if content_xml is None:
            parts = [HEAD]
            for name, rows in sheets.items():
                parts.extend(_table(name, rows))
            parts.append(TAIL)
            content_xml = "".join(parts)
        archive.writestr(zipfile.ZipInfo("content.xml", FIXED_TIME), content_xml,
                         compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
