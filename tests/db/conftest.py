"""Fixtures for database robustness tests: the loader's two-district programme, and a PRIVATE
PostgreSQL server each test session starts, stops and pauses (never the shared one).

The private server needs root (to run PostgreSQL's binaries as the ``postgres`` user) and
PostgreSQL's server binaries. Run by hand without them its tests skip with the reason; under
``CI=true`` they fail instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import streamlit as st

from dashboard.db.engine import get_engine, reset_engines
from data_loaders import is_empty, load_file
from tests.conftest import IN_CI
from tests.loaders.conftest import programme  # noqa: F401 - re-exported fixture
from tests.queries.conftest import KPI_FIXTURE, LOAD_ORDER

ROOT = Path(__file__).resolve().parents[2]
ENTRY = str(ROOT / "streamlit_app.py")
PAUSE_AT_MOST = 30.0
PASSWORD = "s3cr3t-Pw"  # in every URL to the private server (trust auth ignores it): must never show
# Small limits, so a hung server is given up on in seconds (the defaults are 5 s and 30 s).
FAST_TIMEOUTS = {"DASHBOARD_DB_CONNECT_TIMEOUT": "2", "DASHBOARD_DB_STATEMENT_TIMEOUT": "2",
                 "DASHBOARD_DB_LOAD_TIMEOUT": "2"}


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}; CI=true, so the private PostgreSQL tests must run")
    pytest.skip(reason)


def _binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory (the major version varies by machine)."""
    versions = sorted((p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return versions[-1] if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["su", "postgres", "-c", command], capture_output=True, text=True,
                          timeout=120, check=True)


def _children(pid: int) -> list[int]:
    """The postmaster's child processes (backends, checkpointer, ...), read from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@dataclass
class PrivatePostgres:
    """A PostgreSQL server of this test session only, on a free port of the loopback address."""

    folder: Path
    bin: Path
    port: int
    paused: list[int] = field(default_factory=list)
    backstop: threading.Timer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://postgres:{PASSWORD}@127.0.0.1:{self.port}/postgres"

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        _as_postgres(f"{self.bin}/pg_ctl -D {self.folder}/data -o '{options}' -l {self.folder}/log "
                     f"{action}")

    def start(self) -> None:
        self._ctl("-w start")

    def stop(self) -> None:
        self._ctl("-m fast -w stop")

    def _postmaster(self) -> int:
        return int((self.folder / "data" / "postmaster.pid").read_text().split()[0])

    def pause(self) -> None:
        """SIGSTOP the postmaster and every child: a hung server whose host still answers TCP.
        It resumes by itself after ``PAUSE_AT_MOST`` seconds, so code that would wait for ever
        fails its test (on time taken) instead of hanging the whole run."""
        self.resume()  # a pause at a time, each with its own backstop
        main = self._postmaster()
        self.paused = [main, *_children(main)]
        for pid in self.paused:
            os.kill(pid, signal.SIGSTOP)
        backstop = threading.Timer(PAUSE_AT_MOST, self._backstop)
        backstop.daemon = True
        self.backstop = backstop
        backstop.start()

    def _backstop(self) -> None:
        """Resume the pause this timer was started for, and no later one."""
        self.resume(only_for=threading.current_thread())

    def resume(self, only_for: threading.Thread | None = None) -> None:
        """End the pause, and its backstop with it: a stale timer firing in a later test's pause
        would let that test's hung query be answered."""
        with self._lock:
            if only_for is not None and self.backstop is not only_for:
                return
            paused, self.paused = self.paused, []
            if self.backstop is not None:
                self.backstop.cancel()
                self.backstop = None
        for pid in paused:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgres]:
    """Started once per session (about 2 s), removed at the end, even after a failed test."""
    binaries = _binaries()
    if binaries is None:
        _unavailable("no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)")
    if os.geteuid() != 0:
        _unavailable("the private PostgreSQL server needs root (to run initdb as the postgres user)")
    folder = Path(tempfile.mkdtemp(prefix="dashboard-private-pg-"))
    folder.chmod(0o755)
    shutil.chown(folder, "postgres")
    server = PrivatePostgres(folder, binaries, _free_port())
    try:
        _as_postgres(f"{binaries}/initdb -D {folder}/data -A trust --no-sync")
        server.start()
        yield server
    finally:
        server.resume()
        try:
            server.stop()
        except (subprocess.SubprocessError, OSError):
            pass
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def private_db(private_postgres: PrivatePostgres,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivatePostgres]:
    """The private server running, holding the Testshire fixture programme (loaded once), with the
    app's settings pointed at it and small timeouts."""
    private_postgres.resume()
    if not (private_postgres.folder / "data" / "postmaster.pid").exists():
        private_postgres.start()
    for name, value in {**FAST_TIMEOUTS, "DATABASE_URL": private_postgres.url}.items():
        monkeypatch.setenv(name, value)
    reset_engines()
    st.cache_data.clear()
    st.cache_resource.clear()
    engine = get_engine(private_postgres.url)
    if is_empty(engine):
        for kind in LOAD_ORDER:
            load_file(engine, "Testshire", KPI_FIXTURE / f"{kind}.csv", user="test")
    yield private_postgres
    private_postgres.resume()
    reset_engines()
