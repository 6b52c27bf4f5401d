"""Hostile free text from returns, through the real loader and the real pages: shown literally in
every Markdown element and chart, and never a formula in a table or a download."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from sqlalchemy import Engine
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from dashboard.figures.safe_text import FORMULA_STARTS, csv_cell
from tests.pages.conftest import as_read, open_tab
from tests.pages.hostile_data import (
    CASE_STUDY_TEXT,
    EMAIL_TEXT,
    EVIL_DISTRICT,
    FORMULA_DISTRICT,
    FORMULA_SOURCE,
    LINK_SOURCE,
    PAYLOAD,
    TITLE,
    csv_text,
    load_hostile,
    store_email_study,
    strings_in,
)

QUARTER = {"programme": "Testshire", "grain": "Quarter", "period_quarter": "2019/20 Q1"}
# Markdown a renderer would act on: a link or image, a tag, a colour directive, an autolink.
LIVE = re.compile(r"\]\(|(?<!\\)<(a|img|b>)|:red\[|https?:/|www\.|\w@\w", re.I)


@pytest.fixture
def hostile(testshire: Engine) -> Engine:
    load_hostile(testshire)
    return testshire


def markdown_values(at: AppTest) -> list[str]:
    """Every string the page hands Streamlit's Markdown renderer."""
    elements = [*at.title, *at.header, *at.subheader, *at.markdown, *at.caption, *at.info,
                *at.warning, *at.error, *at.success]
    return [e.value for e in elements] + [m.label for m in at.metric]


def assert_markdown_literal(at: AppTest) -> None:
    """Wherever the hostile text appears, it is escaped (our own guides keep their links)."""
    for value in markdown_values(at):
        if "evil" in value.lower():
            assert not LIVE.search(value), value


def chart_strings(at: AppTest) -> list[str]:
    """Every string in every Plotly figure on the page, as sent to the browser."""
    return [text for chart in at.get("plotly_chart") for text in strings_in(json.loads(chart.proto.spec))]


def is_formula(cell: object) -> bool:
    return isinstance(cell, str) and csv_cell(cell) != cell


def assert_tables_safe(at: AppTest) -> None:
    """No cell, column name or index label a spreadsheet would run (the toolbar's CSV download)."""
    for table in (d.value for d in at.dataframe):
        cells = [*table.columns, *table.index, *table.to_numpy().ravel()]
        assert not [c for c in cells if is_formula(c)], table


@pytest.mark.parametrize("page", ["district_comparison", "cases", "dfg", "finance", "satisfaction",
                                  "data_quality", "import_log"])
def test_pages_show_hostile_names_literally(app, hostile: Engine, page: str) -> None:  # noqa: ANN001
    at = app(page, **QUARTER)
    assert_markdown_literal(at)
    assert not [s for s in chart_strings(at) if "<a" in s or "<img" in s]
    assert_tables_safe(at)


@pytest.mark.parametrize("page", ["board_summary", "trends", "district_comparison"])
def test_district_filter_in_the_header(app, hostile: Engine, page: str) -> None:  # noqa: ANN001
    at = app(page, district=EVIL_DISTRICT, **QUARTER)
    assert_markdown_literal(at)
    assert EVIL_DISTRICT in as_read(at.caption[0].value)


def test_district_names_drawn_as_text_in_charts(app, hostile: Engine) -> None:  # noqa: ANN001
    at = app("district_comparison", **QUARTER)
    funnel = "\n".join(chart_strings(at))
    assert "&lt;a href=\"http://evil.example\"&gt;Evil&lt;/a&gt;" in funnel
    league = at.dataframe[0].value
    assert EVIL_DISTRICT in league.index and "'" + FORMULA_DISTRICT in league.index
    cases = "\n".join(chart_strings(app("cases", **QUARTER)))
    assert "&lt;a href=\"http://evil.example\"&gt;GP&lt;/a&gt;" in cases
    assert LINK_SOURCE not in cases


def test_case_study_card_is_plain_text(app, hostile: Engine) -> None:  # noqa: ANN001
    store_email_study(hostile)
    at = app("case_studies", **QUARTER)
    assert_markdown_literal(at)
    assert sorted(as_read(h.value) for h in at.subheader) == sorted([TITLE, "Write to us"])
    sections = [as_read(m.value) for m in at.markdown]
    assert sum(PAYLOAD in s for s in sections) == len(CASE_STUDY_TEXT) - 1  # five sections, a quote
    assert f"> “{PAYLOAD}”" in sections
    assert any(EMAIL_TEXT in s for s in sections)
    card = as_read("\n".join(c.value for c in at.caption))
    assert EVIL_DISTRICT in card and f"referred by {LINK_SOURCE}, {FORMULA_SOURCE}" in card


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind every download button, by media file id (AppTest keeps only the URL)."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None) -> str:  # noqa: ANN001
        file_id = original(self, path_or_data, mimetype, kind, filename)
        files[file_id] = path_or_data
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    return files


def download_cells(at: AppTest, files: dict[str, bytes],
                   numbered_from: int = 0) -> dict[str, list[list[str]]]:
    """Each download button's file, parsed as a spreadsheet would: label -> rows of cells."""
    parsed = {}
    for button in at.get("download_button"):
        data = files[button.proto.url.rsplit("/", 1)[-1].split(".")[0]]
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        parsed[f"{button.label} {numbered_from + len(parsed)}"] = rows
    return parsed


BAD = csv_text(["case_ref", "district", "referral_date", "case_type", "outcome"],
               ['=HYPERLINK("http://evil.example")', "Alpha", "@SUM(A1)", "Housing MOT", "Completed"],
               ["X2", FORMULA_DISTRICT, "-2+3", "\tcmd", "Completed"]).encode()


def test_every_download_is_formula_free(app, hostile: Engine, downloads: dict) -> None:  # noqa: ANN001
    at = app("returns", **QUARTER)
    at.file_uploader(key="return_file").set_value(('=HYPERLINK("x").csv', BAD, "text/csv")).run()
    problems = at.dataframe[0].value
    assert "'@SUM(A1)" in problems["value"].tolist()  # shown, as text
    assert_tables_safe(at)
    files = download_cells(at, downloads)
    files |= download_cells(open_tab(at, "Templates"), downloads, numbered_from=len(files))
    assert len(files) == 1 + 2 * 9  # the problems, and a template and an example for each kind
    for label, rows in files.items():
        formulas = [c for row in rows for c in row if c.startswith(FORMULA_STARTS) and is_formula(c)]
        assert not formulas, (label, formulas)
    problem_values = [row[2] for row in files["Download the problems as CSV 0"][1:]]
    assert "'@SUM(A1)" in problem_values and "'-2+3" in problem_values


def test_file_name_and_warnings_are_plain_text(app, hostile: Engine) -> None:  # noqa: ANN001
    name = "[report](http://evil.example) :red[x].csv"
    rows = csv_text(["case_ref", "district", "referral_date", "case_type", "outcome", "referral_source"],
                    ["N9", "Alpha", "01/05/2019", "Housing MOT", "Open", LINK_SOURCE]).encode()
    at = app("returns", **QUARTER)
    at.file_uploader(key="return_file").set_value((name, rows, "text/csv")).run()
    assert_markdown_literal(at)
    assert any(name in as_read(s.value) for s in at.success)
    assert any(LINK_SOURCE in as_read(w.value) for w in at.warning)
    at.button[0].click().run()
    assert_markdown_literal(at)
    assert any(f"Loaded: {name}" in as_read(s.value) for s in at.success)
