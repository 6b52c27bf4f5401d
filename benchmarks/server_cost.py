"""What does the Streamlit server itself cost per page view and per open session? Prints it;
asserts nothing.

    python -m benchmarks.server_cost [--sessions 20] [--cases 1000000] [--database-url URL]

Page timings say how long a board member waits; this says how many a replica can hold. It starts
``streamlit run`` (local mode, as ``benchmarks.browser_pages`` does) and reads the server process's
own CPU time and resident memory (psutil if installed, else /proc), never the browser's, which is
another process:

* resident memory after start-up and the first page;
* CPU seconds per page view: one Chromium page clicks through every page of the navigation twice,
  first visits (its caches cold) then warm visits; the server's CPU time over each round divided by
  its views;
* resident memory with ``--sessions`` sessions open (a browser context each, the board summary
  drawn and left open), and the memory each session after the first adds:
  (RSS with all open − RSS with one) / (sessions − 1). Target: under 1 GB with 20 sessions open.

Capacity model (a stated estimate, not a measurement): in a board meeting each member opens about
``VIEWS_PER_MINUTE`` pages a minute, following the chair through the pack. Streamlit runs every
session's script in threads of one Python process, so the GIL holds a replica to about one core
however many the machine has; keeping that core half busy (``UTILISATION``) keeps the wait behind
other members' runs to about one run. Members the CPU allows =
UTILISATION × 60 s / (warm CPU seconds per view × VIEWS_PER_MINUTE); members the memory allows =
1 + (1 GB − RSS with one session) / memory per extra session. A replica serves the smaller.
Warm views count because members of one board look at the same programme and period, and the
query cache is shared by every session of the process: only the first to open a page pays cold.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from benchmarks.browser_pages import (
    arguments,
    browser_missing,
    chromium,
    click_page,
    open_app,
    ready_database,
    streamlit_server,
)
from benchmarks.common import print_timings
from dashboard.db.engine import get_engine
from dashboard.ui.navigation import PAGES

VIEWS_PER_MINUTE = 2.0  # a member opens a page about every 30 s in a meeting
UTILISATION = 0.5  # of the one core a replica's Python process can use
TARGET_MB = 1024.0  # the server process stays under 1 GB with 20 sessions open
SETTLE_S = 3.0  # let the server finish sending and collect garbage before memory is read

try:
    import psutil
except ImportError:
    psutil = None


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process (all its threads), in seconds."""
    if psutil is not None:
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def rss_mb(pid: int) -> float:
    """Resident memory of the process now, in MB."""
    if psutil is not None:
        return psutil.Process(pid).memory_info().rss / 2**20
    return _status_mb(pid, "VmRSS")


def peak_rss_mb(pid: int) -> float | None:
    """The most resident memory the process has had (Linux only), in MB."""
    try:
        return _status_mb(pid, "VmHWM")
    except (OSError, RuntimeError):
        return None


def _settled_rss(pid: int) -> float:
    time.sleep(SETTLE_S)
    return rss_mb(pid)


def _round(page: object, pid: int) -> tuple[float, int]:
    """(server CPU seconds, views) for clicking through every page, ending on the first."""
    started = cpu_seconds(pid)
    order = [*PAGES[1:], PAGES[0]]
    for spec in order:
        click_page(page, spec.title)
    time.sleep(1.0)  # the last view's messages sent
    return cpu_seconds(pid) - started, len(order)


def server_cost(database_url: str, sessions: int = 20, programme: str = "Benchmark") -> dict[str, float]:
    """The server process's memory and CPU per view and per session, and the members one replica
    serves under the model in the module's docstring; {} (with the reason printed) without a
    browser."""
    missing = browser_missing()
    if missing:
        print(f"server cost skipped: {missing}")
        return {}
    if sessions < 2:
        raise ValueError("at least two sessions, to tell what one more costs")
    with streamlit_server(database_url) as server, chromium() as browser:
        pid = server.pid
        page, _ = open_app(browser, server, programme)
        results = {"server RSS after start and first page (MB)": _settled_rss(pid)}
        idle_from = cpu_seconds(pid)
        time.sleep(5.0)
        results["server CPU when idle, one session open (s per s)"] = (cpu_seconds(pid) - idle_from) / 5
        cold_cpu, views = _round(page, pid)
        warm_cpu, _ = _round(page, pid)
        results[f"server CPU per page view, first visits ({views} views) (s)"] = cold_cpu / views
        results[f"server CPU per page view, warm ({views} views) (s)"] = warm_cpu / views
        one = _settled_rss(pid)
        results[f"server RSS, 1 session after {2 * views} views (MB)"] = one
        pages = [page]
        for _ in range(sessions - 1):
            pages.append(open_app(browser, server, programme)[0])
        every = _settled_rss(pid)
        results[f"server RSS, {sessions} sessions open (MB)"] = every
        peak = peak_rss_mb(pid)
        if peak is not None:
            results["server peak RSS (MB)"] = peak
        per_session = (every - one) / (sessions - 1)
        results["server memory per extra session (MB)"] = per_session
        for each in pages:
            each.context.close()
    by_cpu = UTILISATION * 60 / (warm_cpu / views * VIEWS_PER_MINUTE)
    by_memory = 1 + (TARGET_MB - one) / per_session if per_session > 0 else float("inf")
    results["board members per replica, by CPU (model)"] = by_cpu
    results["board members per replica, by memory (model)"] = by_memory
    return results


def main() -> None:
    args = arguments(__doc__, sessions=20)
    url, built = ready_database(args.database_url, args.cases)
    print(f"Database: {get_engine(url).dialect.name}; "
          + (f"{args.cases:,} cases built" if built else "the Benchmark programme already there")
          + f"; {os.cpu_count()} cores")
    if built:
        print_timings(built, unit="s")
    results = server_cost(url, args.sessions)
    if not results:
        return
    width = max(map(len, results))
    for name, value in results.items():
        print(f"  {name:<{width}}  {value:>10,.3f}")
    every = results[f"server RSS, {args.sessions} sessions open (MB)"]
    verdict = "under" if every < TARGET_MB else "OVER"
    print(f"{args.sessions} sessions open: {every:,.0f} MB, {verdict} the {TARGET_MB:,.0f} MB target")
    members = min(results["board members per replica, by CPU (model)"],
                  results["board members per replica, by memory (model)"])
    print(f"one replica serves about {members:,.0f} board members ({VIEWS_PER_MINUTE:g} views a "
          f"member a minute, one core {UTILISATION:.0%} busy, {TARGET_MB:,.0f} MB)")


if __name__ == "__main__":
    main()
