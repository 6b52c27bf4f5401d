"""A real ``streamlit run`` server and Debian's Chromium driven by Playwright.

Skipped with a reason when run by hand without Chromium or Playwright; under ``CI=true`` a
missing browser fails the run instead.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """A failed browser test reports what each of its open pages showed (the CI log is all a
    failure leaves behind) and keeps a screenshot of it beside the others."""
    outcome = yield
    report = outcome.get_result()
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if report.when != "call" or not report.failed or browser is None:
        return
    for number, page in enumerate(p for context in browser.contexts for p in context.pages):
        try:
            shown_text = page.inner_text("body", timeout=5_000)[:3_000]
            screenshot(page, f"failed-{item.name[:80]}-{number}")
        except Exception as error:  # noqa: BLE001 - a closed or hung page must not hide the failure
            shown_text = f"(could not be read: {error})"
        report.sections.append((f"page {number} at {page.url}", shown_text))


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}; CI=true, so browser tests must run")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on an empty SQLite database, so the first start loads the sample data."""
    port = _free_port()
    database = tmp_path_factory.mktemp("browser") / "dashboard.sqlite"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    log = open(tmp_path_factory.mktemp("logs") / "streamlit.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("streamlit did not start within 60 s")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_page(browser, url: str, width: int = 1366, height: int = 768):  # noqa: ANN001, ANN201
    """A fresh page at ``url``, waited on until Streamlit has finished drawing it."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    return drawn(page)


def drawn(page):  # noqa: ANN001, ANN201
    """``page`` once Streamlit has finished drawing it (after opening it, or a click)."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=120_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || document.querySelector('[data-testid=\"stStatusWidget\"]').innerText === ''",
        timeout=60_000)
    page.wait_for_function(  # every chart drawn: Streamlit's own "running" marker is not enough
        "() => { const all = document.querySelectorAll('[data-testid=\"stPlotlyChart\"]');"
        " const drawn = document.querySelectorAll('[data-testid=\"stPlotlyChart\"] .js-plotly-plot');"
        " return drawn.length >= all.length; }", timeout=60_000)
    page.wait_for_timeout(1500)
    return page


def charts_drawn(page, count: int):  # noqa: ANN001, ANN201
    """``page`` once at least ``count`` charts are drawn (charts below the fold arrive after the
    page's title, so ``drawn`` alone may count none of them), and everything else has settled."""
    page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot').length >= {count}",
                           timeout=60_000)
    return drawn(page)


def shown(locator, timeout: int = 30_000) -> None:  # noqa: ANN001
    """Wait until ``locator`` is visible: a part of the page may arrive a moment after its title,
    so asserting ``is_visible()`` at once is a race."""
    from playwright.sync_api import expect  # imported here: without Playwright the tests skip

    expect(locator).to_be_visible(timeout=timeout)


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_exception(page) -> None:  # noqa: ANN001
    """No error block and no "page not found" dialog: the page the URL named was drawn."""
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")[:2000]
    assert "Page not found" not in page.inner_text("body")
