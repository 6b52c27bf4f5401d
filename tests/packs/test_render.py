"""The pack renderer: tagged A4 PDF from the base template and macros, read back with pypdf.

A pack-shaped test template (tests/packs/templates/sample.html) uses every macro and a 120-row
table that runs over several pages. Charts need Debian's Chromium (the ``chromium`` fixture); the
rest needs only WeasyPrint. The last chart test leaves the PDF and PNGs of its pages in
test-artifacts/packs/ to look at.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard.figures.charts import line_chart
from dashboard.figures.style import RAG_WORDS
from dashboard.packs import chart_images
from dashboard.packs.chart_images import chart_renderer, for_print
from dashboard.packs.errors import PackError
from dashboard.packs.render import TEMPLATES, LocalOnlyFetcher, render_html, render_pdf

pypdf = pytest.importorskip("pypdf", reason="pypdf reads the PDFs back (pip install -r requirements-dev.txt)")

HERE = Path(__file__).parent / "templates"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "packs"
TITLE = "Lightbulb Programme Board — 12 June 2019"
HEADER_ROW = "District Quarter Cases Completed Average days Spend"
HOSTILE = ("<script>alert(1)</script>", '<a href="http://evil.example">x</a>', "{{ 7*7 }}")


def _context(row_count: int = 120, **changes: object) -> dict:
    context = {
        "pack_title": TITLE, "pack_kind": "Programme board pack", "marking": "OFFICIAL",
        "programme": "Lightbulb", "meeting_title": "Lightbulb Programme Board, 12 June 2019",
        "meeting_date": "12 June 2019", "period_label": "January to March 2019",
        "data_as_at": "31/05/2019", "issued_on": "5 June 2019",
        "sections": [{"id": "summary", "heading": "Summary"},
                     {"id": "cases", "heading": "Cases by district"}],
        "key_message": "Completions are up on the quarter; the 20-week target was met in most districts.",
        "paragraph": "The programme completed more adaptations this quarter than in any before it.",
        "comments": [{"reason": "Two surveyors left in May.", "recommended_action": "Keep agency cover.",
                      "author": "Olive Officer", "date": "3 June 2019", "area": "Programme"}],
        "columns": ["District", "Quarter", "Cases", "Completed", "Average days", "Spend"],
        "rows": [[f"District {i}", "2019/20 Q1", f"{i * 37:,}", f"{i * 11:,}", f"{i * 0.7:.1f}",
                  f"£{i * 1234:,}"] for i in range(1, row_count + 1)],
        "numeric": [2, 3, 4, 5], "caption": "Cases and completions by district",
        "chart_image": None, "chart_alt": "", "chart_caption": "",
    }
    return {**context, **changes}


def _pdf(context: dict, title: str = TITLE) -> bytes:
    return render_pdf("sample.html", context, title=title, subject="Programme board pack",
                      extra_templates=HERE)


def _pages(pdf: bytes) -> list[str]:
    """Each page's text with whitespace folded, so wrapped phrases match."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return _pdf(_context())


def test_every_page_after_the_cover_has_the_running_header_and_footer(long_pdf: bytes) -> None:
    pages = _pages(long_pdf)
    total = len(pages)
    assert total >= 4, "120 rows run over several pages"
    assert "Page 1 of" not in pages[0] and TITLE + " OFFICIAL" not in pages[0]  # a bare cover
    for number, text in enumerate(pages[1:], start=2):
        assert f"{TITLE} OFFICIAL" in text, number
        assert f"Page {number} of {total}" in text, number
        assert "Data as at 31/05/2019" in text, number


def test_the_table_header_repeats_on_every_page_it_runs_onto(long_pdf: bytes) -> None:
    pages = _pages(long_pdf)
    spanned = [i for i, text in enumerate(pages) if re.search(r"District \d+ 2019/20 Q1", text)]
    assert len(spanned) >= 3
    for i in spanned:
        assert HEADER_ROW in pages[i], i + 1
    rows = [int(n) for i in spanned for n in re.findall(r"District (\d+) 2019/20 Q1", pages[i])]
    assert rows == list(range(1, 121)), "every row once, none cut across a page break"


def test_contents_gives_the_page_each_section_starts_on(long_pdf: bytes) -> None:
    pages = _pages(long_pdf)
    starts = {heading: next(i + 1 for i, text in enumerate(pages[1:], start=1) if f"{n}. {heading}" in text)
              for n, heading in ((1, "Summary"), (2, "Cases by district"))}
    for heading, page in starts.items():
        assert re.search(rf"{heading}\W*\.+\s*{page}\b", pages[0]), (heading, page, pages[0])


def test_the_pdf_is_tagged_en_gb_and_titled(long_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(long_pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == TITLE
    assert reader.metadata.subject == "Programme board pack"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4 portrait
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=0.5)


def test_status_words_and_symbols_come_from_the_product_vocabulary() -> None:
    html = render_html("sample.html", _context(row_count=1), title=TITLE, extra_templates=HERE)
    for rag, words in RAG_WORDS.items():
        assert f"status-{rag}" in html and words in html


def _uris(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def test_hostile_text_prints_literally_and_makes_no_links() -> None:
    hostile = " ".join(HOSTILE)
    context = _context(row_count=3, pack_title=hostile, programme=hostile, paragraph=hostile,
                       key_message=hostile, period_label=hostile,
                       comments=[{"reason": hostile, "recommended_action": hostile, "author": hostile,
                                  "date": "3 June 2019"}],
                       rows=[[hostile, "x", "1", "2", "3", "£4"]],
                       sections=[{"id": "summary", "heading": hostile},
                                 {"id": "cases", "heading": "Cases"}])
    pdf = _pdf(context, title=hostile)
    text = " ".join(_pages(pdf))
    for string in HOSTILE:
        assert text.count(string) >= 6, string
    assert "49" not in text, "{{ 7*7 }} was evaluated"
    assert _uris(pdf) == []
    assert pypdf.PdfReader(io.BytesIO(pdf)).metadata.title == hostile


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records (and blocks) any attempt to open a connection or look up a host."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network used in a test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_an_external_image_stops_the_render_without_a_network_call(no_network: list[object]) -> None:
    context = _context(row_count=1, chart_image="http://evil.example/chart.svg", chart_alt="A chart",
                       chart_caption="Caption")
    with pytest.raises(PackError, match="http://evil.example/chart.svg"):
        _pdf(context)
    assert no_network == []


def test_the_fetcher_serves_only_data_and_the_templates_folder(no_network: list[object]) -> None:
    fetcher = LocalOnlyFetcher()
    assert b"@page" in fetcher.fetch((TEMPLATES / "pack.css").as_uri()).read()
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in ("http://evil.example/x.png", "https://evil.example/x.css", "ftp://evil.example/x",
                (TEMPLATES / ".." / "render.py").as_uri(), "file:///etc/passwd"):
        with pytest.raises(PackError):
            fetcher.fetch(url)
    assert no_network == []


def _trend() -> object:
    frame = pd.DataFrame({"period": ["2019/20 Q1", "2019/20 Q2", "2019/20 Q3", "2019/20 Q4"] * 2,
                          "value": [120, 131, 118, 140, 90, 95, 99, 104],
                          "district": ["North <b>Shire</b>"] * 4 + ["South Vale"] * 4})
    return line_chart(frame, "period", "value", "Cases completed by quarter", "Cases completed",
                      "count", series="district", target=110, x_title="Quarter")


def test_for_print_is_a_white_copy_with_the_legend_clear_of_the_axes() -> None:
    fig = _trend()
    printed = for_print(fig, height=300)
    assert printed is not fig and fig.layout.height == 380, "the page's figure is left alone"
    assert printed.layout.height == 300
    assert printed.layout.paper_bgcolor == "white" and printed.layout.plot_bgcolor == "white"
    assert printed.layout.legend.x > 1 and printed.layout.legend.xanchor == "left"  # right of the plot
    assert printed.layout.yaxis.title.text is None  # written level above the axis instead
    label = next(a for a in printed.layout.annotations if a.text == "Cases completed")
    assert (label.xref, label.yref, label.x, label.y, label.yanchor) == ("paper", "paper", 0, 1, "bottom")
    assert printed.layout.font.size == 13 and "Liberation Sans" in printed.layout.font.family


def test_no_chromium_is_a_pack_error_naming_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nowhere/chromium")
    with pytest.raises(PackError, match=r"apt-get install chromium.*BROWSER_PATH"), chart_renderer():
        pass


@pytest.fixture
def chart_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """A stand-in for Kaleido's server and Chromium, recording "start", "draw" and "stop"; no
    chart drawn before."""
    browser = tmp_path / "chromium"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(browser))
    events: list[str] = []
    monkeypatch.setattr(chart_images.kaleido, "start_sync_server", lambda **_: events.append("start"))
    monkeypatch.setattr(chart_images.kaleido, "stop_sync_server", lambda **_: events.append("stop"))
    monkeypatch.setattr(chart_images, "_svg", lambda *_: events.append("draw") or b"<svg/>")
    monkeypatch.setattr(chart_images, "_DRAWN", chart_images.OrderedDict())
    return events


def test_packs_made_at_once_take_turns_with_the_one_chart_server(chart_server: list[str]) -> None:
    def pack(number: int) -> None:
        with chart_renderer() as draw:
            draw(go.Figure(go.Bar(x=[number], y=[1])), 680, 300)  # a chart not drawn before
            time.sleep(0.05)

    threads = [threading.Thread(target=pack, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert chart_server == ["start", "draw", "stop"] * 3


def test_a_chart_drawn_before_needs_no_browser(chart_server: list[str]) -> None:
    """Made again from the same figures, a pack's charts come from those already drawn."""
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4.5]))
    with chart_renderer() as draw:
        first = draw(figure, 680, 300)
    with chart_renderer() as draw:
        again = draw(go.Figure(figure), 680, 300)
        other = draw(figure, 680, 301)
    assert again == first and other.startswith("data:image/svg+xml;base64,")
    assert chart_server == ["start", "draw", "stop", "start", "draw", "stop"]


def test_chart_renderer_draws_svg(chromium: str) -> None:
    with chart_renderer() as draw:
        uri = draw(for_print(_trend(), height=300), 680, 300)
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode()
    assert "<svg" in svg and "Cases completed by quarter" in svg
    assert "North &#60;b&#62;Shire&#60;/b&#62;" in svg, "a district name is drawn as text, not markup"


def _figure_alts(node: object) -> list[str]:
    """The alt text of every Figure in a PDF's structure tree (what a screen reader says)."""
    node = node.get_object()
    if isinstance(node, pypdf.generic.ArrayObject):
        return [alt for child in node for alt in _figure_alts(child)]
    if not isinstance(node, pypdf.generic.DictionaryObject):
        return []
    own = [str(node["/Alt"])] if node.get("/S") == "/Figure" else []
    return own + (_figure_alts(node["/K"]) if "/K" in node else [])


def test_a_pdf_with_a_chart(chromium: str) -> None:
    started = time.perf_counter()
    with chart_renderer() as draw:
        image = draw(for_print(_trend(), height=300), 680, 300)
    drawn = time.perf_counter()
    context = _context(chart_image=image, chart_alt="Line chart of cases completed by quarter.",
                       chart_caption="Cases completed rose in three of four quarters.",
                       sections=[*_context()["sections"], {"id": "trend", "heading": "Trend"}])
    pdf = _pdf(context)
    done = time.perf_counter()
    pages = _pages(pdf)
    assert "Figure 1: Cases completed rose in three of four quarters." in pages[-1]
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    root = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert _figure_alts(root["/StructTreeRoot"]) == ["Line chart of cases completed by quarter."]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "sample.pdf").write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(ARTIFACTS / "sample.pdf"),
                        str(ARTIFACTS / "sample")], check=True)
    print(f"chart {drawn - started:.2f} s (with browser start), PDF {done - drawn:.2f} s, "
          f"{len(pages)} pages")
