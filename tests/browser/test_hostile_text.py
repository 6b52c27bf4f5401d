"""Hostile free text in a real browser: what Streamlit's Markdown renderer (react-markdown with
remark-gfm, emoji and colour directives) and Plotly actually draw from escaped text. No link, image
or colour may come out of a return, and the words must still be there to read."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from dashboard.db.engine import get_engine, reset_engines
from dashboard.figures.safe_text import WORD_JOINER
from data_loaders import load_file
from tests.browser.conftest import ROOT, _free_port, no_exception, open_page, screenshot
from tests.pages.hostile_data import (
    EMAIL_TEXT,
    EVIL_DISTRICT,
    LINK_SOURCE,
    PAYLOAD,
    TITLE,
    load_hostile,
    store_email_study,
)
from tests.queries.conftest import KPI_FIXTURE, LOAD_ORDER

VIEW = "?programme=Testshire&grain=Quarter&period_quarter=2019%2F20+Q1"
# Any href or src made from the hostile text that leads off this server. (The product's links
# between its own pages carry the filters, a hostile district name included, percent-encoded.)
POINTING_OUT = ("() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
                ".filter(a => /href|src/i.test(a.name) && a.value.includes('evil')"
                " && new URL(a.value, document.baseURI).origin !== location.origin)"
                ".map(a => e.tagName + ' ' + a.name + '=' + a.value))")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on its own SQLite database: Testshire, then the hostile returns, loaded first."""
    database = tmp_path_factory.mktemp("hostile") / "dashboard.sqlite"
    engine = get_engine(f"sqlite:///{database}")
    for kind in LOAD_ORDER:
        load_file(engine, "Testshire", KPI_FIXTURE / f"{kind}.csv", user="test")
    load_hostile(engine)
    store_email_study(engine)
    reset_engines()
    port = _free_port()
    log = open(tmp_path_factory.mktemp("logs") / "streamlit.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"}, stdout=log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("streamlit did not start within 60 s")
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def assert_nothing_live(page, server: str) -> None:  # noqa: ANN001
    """No link, image, colour, icon or maths made from the hostile text, anywhere on the page."""
    # Links the product makes between its own pages carry the filters (a hostile district name
    # included, percent-encoded) in their query string; none may lead anywhere else.
    hrefs = page.locator('a[href*="evil"]').evaluate_all("els => els.map(e => e.href)")
    assert [h for h in hrefs if not h.startswith(server + "/")] == [], hrefs
    assert page.evaluate(POINTING_OUT) == []  # SVG links (Plotly's) use xlink:href, not href
    assert page.locator('[href^="mailto:"]').count() == 0
    sources = page.locator("img").evaluate_all("els => els.map(e => e.src)")
    assert [src for src in sources if not src.startswith(("data:", "blob:", server))] == []
    markdown = '[data-testid="stMarkdownContainer"]'
    assert page.locator(f"{markdown} .stMarkdownColoredText, {markdown} .katex, "
                        f"{markdown} span[role='img']").count() == 0
    assert page.locator(".js-plotly-plot a").count() == 0


def chart_text(page, expected: str) -> list[str]:  # noqa: ANN001
    """Every text Plotly drew, once ``expected`` is among them (a page draws its charts one by one)."""
    page.locator(".js-plotly-plot text", has_text=expected).first.wait_for(timeout=30_000)
    return page.locator(".js-plotly-plot text").evaluate_all("els => els.map(e => e.textContent)")


def visible_text(page) -> str:  # noqa: ANN001
    """The main area's text as a reader sees it (the invisible word joiners taken out)."""
    return page.inner_text('[data-testid="stMainBlockContainer"]').replace(WORD_JOINER, "")


def test_case_studies_render_payloads_as_text(hostile_server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{hostile_server}/case-studies{VIEW}", height=2400)
    no_exception(page)
    page.locator(".stMarkdownQuote, blockquote").first.wait_for(timeout=30_000)  # the last card drawn
    assert_nothing_live(page, hostile_server)
    text = visible_text(page)
    for literal in (TITLE, PAYLOAD, f"“{PAYLOAD}”", EVIL_DISTRICT, LINK_SOURCE, EMAIL_TEXT):
        assert literal in text, literal
    screenshot(page, "hostile-case-studies")
    page.close()


def test_district_names_are_drawn_as_text(hostile_server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{hostile_server}/districts{VIEW}", height=2400)
    no_exception(page)
    assert_nothing_live(page, hostile_server)  # the funnel names only outliers: its table has the rest
    page.close()
    page = open_page(browser, f"{hostile_server}/dfg{VIEW}", height=4200)
    no_exception(page)
    # a bar chart's axis names the district, literally (waited for whole: Plotly redraws labels as it sizes)
    assert EVIL_DISTRICT in chart_text(page, EVIL_DISTRICT)
    assert_nothing_live(page, hostile_server)
    screenshot(page, "hostile-districts")
    page.close()


def test_filtered_header_and_category_charts(hostile_server: str, browser) -> None:  # noqa: ANN001
    district = urllib.parse.quote_plus(EVIL_DISTRICT)
    page = open_page(browser, f"{hostile_server}/cases{VIEW}&district={district}", height=4200)
    no_exception(page)
    assert LINK_SOURCE in chart_text(page, "GP</a>")  # a referral source as an axis label, literally
    assert_nothing_live(page, hostile_server)
    assert EVIL_DISTRICT in visible_text(page)  # the header says which district is shown
    screenshot(page, "hostile-cases")
    page.close()
