"""How long does each page take to draw in a real browser? Prints timings; asserts nothing.

    python -m benchmarks.browser_pages [--cases 1000000] [--database-url URL] [--sample]

AppTest times the page script alone; a board member waits for more: the websocket round trip, the
browser building the elements and plotly drawing every chart. This starts ``streamlit run`` on a
loopback port (local mode: the administrator sees every page, no sign-in), opens one headless
Chromium page on the board summary for the programme (quarter 2019/20 Q1, as the AppTest page
benchmark), then clicks each page's link in the sidebar and times it until the page is drawn: its
own heading shown, the script finished, nothing stale left and every chart drawn. Each page twice:
its first visit (the server's caches cold for it) and a warm visit after another page. The board
summary's first visit is the opening of the app itself. Last, the sidebar's Period control is
switched between Year and Quarter six times on the board summary (a filter change: the same page
drawn again). ``--sample`` uses the built-in sample data (programme Lightbulb) instead.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from benchmarks.common import print_timings
from dashboard.db import schema as s
from dashboard.db.engine import get_engine
from dashboard.ui.navigation import PAGES

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The same flags as the browser tests (tests/browser/conftest.py); a short list, kept in step by hand
# so the benchmarks never import test code.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# The quarter the AppTest page benchmark opens (python -m benchmarks): the newest quarter, the
# default, holds only a few days of the synthetic programme, so its pages would draw almost nothing.
VIEW = {"grain": "Quarter", "period_quarter": "2019/20 Q1"}
TIMEOUT_MS = 300_000  # a cold page at a million cases on a small machine can take a while

# True once the page whose heading differs from ``old`` is fully drawn.
DRAWN = """(old) => {
  const h1 = document.querySelector('[data-testid="stMainBlockContainer"] h1');
  if (!h1 || h1.innerText === old) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (app && app.getAttribute('data-test-script-state') === 'running') return false;
  const status = document.querySelector('[data-testid="stStatusWidget"]');
  if (status && status.innerText !== '') return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]').length;
  const drawn = document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot').length;
  return drawn >= charts;
}"""
HEADING = "() => { const h1 = document.querySelector('[data-testid=\"stMainBlockContainer\"] h1');" \
          " return h1 ? h1.innerText : null; }"


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:<port>
    pid: int  # the Streamlit server process, for its own CPU time and memory


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(database_url: str) -> Iterator[Server]:
    """``streamlit run streamlit_app.py`` on a free loopback port; stopped on the way out."""
    port = _free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="streamlit-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url}, stdout=log,
        stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"streamlit did not start: {log.read()[-2000:]}") from error
                time.sleep(0.2)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        os.unlink(log.name)


def browser_missing() -> str | None:
    """Why no browser can be driven here, or None."""
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        try:
            yield browser
        finally:
            browser.close()


def heading(page: Any) -> str | None:  # noqa: ANN401 - a Playwright page
    return page.evaluate(HEADING)


def wait_drawn(page: Any, old_heading: str | None) -> float:  # noqa: ANN401
    """Until a page with another heading than ``old_heading`` is drawn; the perf_counter() when it
    was. A page still drawn 150 ms later counts from the first moment; one that reran itself in
    between (a redirect, a rerun) counts from when its last run was drawn."""
    while True:
        page.wait_for_function(DRAWN, arg=old_heading, timeout=TIMEOUT_MS)
        drawn_at = time.perf_counter()
        page.wait_for_timeout(150)
        if page.evaluate(DRAWN, old_heading):
            break
    errors = page.locator('[data-testid="stException"]')
    if errors.count():
        raise RuntimeError(f"the page raised: {errors.first.inner_text()[:500]}")
    return drawn_at


def open_app(browser: Any, server: Server, programme: str) -> tuple[Any, float]:  # noqa: ANN401
    """A new page (in a context of its own: a session of its own) on the board summary for
    ``programme`` in the ``VIEW`` quarter, and the seconds until it was drawn."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(f"{server.url}/?{urllib.parse.urlencode({'programme': programme, **VIEW})}",
              wait_until="domcontentloaded")
    return page, wait_drawn(page, None) - started


def click_page(page: Any, title: str) -> float:  # noqa: ANN401
    """Seconds from clicking ``title`` in the sidebar navigation until that page is drawn."""
    link = page.locator('[data-testid="stSidebarNavLink"]').filter(
        has=page.locator(f'span[label="{title}"]'))
    if not link.count():  # the navigation shows its first few links until "View N more"
        page.locator('[data-testid="stSidebarNavViewButton"]').click()
        link.first.wait_for(timeout=10_000)
    old = heading(page)
    started = time.perf_counter()
    link.first.click()
    return wait_drawn(page, old) - started


RUN_STARTED = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return (app && app.getAttribute('data-test-script-state') === 'running')
    || !!document.querySelector('[data-stale="true"]');
}"""


def change_filter(page: Any, option: str) -> float:  # noqa: ANN401
    """Seconds from choosing ``option`` of the sidebar's Period control until the page is drawn
    again (the same page, so its heading stays: the run must start, then end)."""
    button = page.locator('[data-testid="stSidebar"] [data-testid="stButtonGroup"] button').filter(
        has_text=option)
    started = time.perf_counter()
    button.first.click()
    try:
        page.wait_for_function(RUN_STARTED, timeout=2_000)
    except Exception:  # noqa: BLE001 - a run that ended before we looked is drawn already
        pass
    return wait_drawn(page, None) - started


def browser_pass(database_url: str, programme: str = "Benchmark") -> dict[str, float]:
    """Seconds per page as a board member sees them: first visit and warm, through Chromium."""
    missing = browser_missing()
    if missing:
        print(f"browser pass skipped: {missing}")
        return {}
    first: dict[str, float] = {}
    warm: dict[str, float] = {}
    with streamlit_server(database_url) as server, chromium() as browser:
        page, first[PAGES[0].title] = open_app(browser, server, programme)
        for spec in PAGES[1:]:
            first[spec.title] = click_page(page, spec.title)
        for spec in PAGES:  # each after the one before it (the board summary after the last)
            warm[spec.title] = click_page(page, spec.title)
        filters = [change_filter(page, option) for option in ("Year", "Quarter") * 3]
        page.context.close()
    results = {}
    for spec in PAGES:
        results[f"browser {spec.title}: first visit"] = first[spec.title]
        results[f"browser {spec.title}: warm"] = warm[spec.title]
    results["browser: page change in a warm tab, median of every page"] = statistics.median(
        warm.values())
    results["browser: filter change (Period: Year / Quarter) on the board summary, median of 6"] = (
        statistics.median(filters))
    return results


def ready_database(url: str | None, cases: int) -> tuple[str, dict[str, float]]:
    """(URL, build timings): a database already holding the Benchmark programme is used as it is;
    an empty one (default: a temp SQLite) is filled with ``cases`` synthetic cases first, through
    the loader (``benchmarks.load_scale``)."""
    from benchmarks.load_scale import build
    from data_loaders import is_empty

    url = url or f"sqlite:///{tempfile.mkdtemp()}/benchmark.sqlite"
    engine = get_engine(url)
    if not is_empty(engine):
        with engine.connect() as conn:
            held = conn.execute(select(func.count()).select_from(s.programmes)
                                .where(s.programmes.c.name == "Benchmark")).scalar()
        if not held:
            raise SystemExit("The database holds other programmes but not Benchmark: give an empty one.")
        return url, {}
    return url, {f"load {load.name}": load.seconds for load in build(engine, cases)}


def sample_database() -> str:
    """A temp SQLite holding the built-in sample data, as the app makes on first start."""
    from data_loaders import seed

    url = f"sqlite:///{tempfile.mkdtemp()}/sample.sqlite"
    seed(get_engine(url))
    return url


def arguments(doc: str, **extra: int) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--database-url", help="a database holding the Benchmark programme, or an "
                                               "EMPTY one to fill (default: temp SQLite)")
    parser.add_argument("--sample", action="store_true", help="the built-in sample data instead")
    for name, default in extra.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    return parser.parse_args()


def main() -> None:
    args = arguments(__doc__)
    if args.sample:
        print("Database: sqlite; the built-in sample data (Lightbulb, 10,000 cases)")
        results = browser_pass(sample_database(), "Lightbulb")
        print("Seconds from the click until the page is drawn in Chromium:")
        print_timings(results, unit="s")
        return
    url, built = ready_database(args.database_url, args.cases)
    print(f"Database: {get_engine(url).dialect.name}; "
          + (f"{args.cases:,} cases built" if built else "the Benchmark programme already there"))
    if built:
        print_timings(built, unit="s")
    results = browser_pass(url)
    if results:
        print("Seconds from the click in the sidebar until the page is drawn in Chromium:")
        print_timings(results, unit="s")


if __name__ == "__main__":
    main()
