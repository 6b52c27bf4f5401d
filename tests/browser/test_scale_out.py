"""Two replicas of the app behind nginx with session affinity, sharing one PostgreSQL database
(docs/deploy/scale-out.md), driven by Chromium on loopback.

nginx runs the documented example, docs/deploy/nginx-scale-out.conf, turned into plain HTTP on a
free port, with one header added to tell which replica answered. Two browsers land on different
replicas: an officer signs in and loads a return on one, and a visitor on the other sees the
board summary's figure change. nginx's access log then shows that every request of each browser,
its WebSocket and the upload included, went to one replica. Needs PostgreSQL
(TEST_DATABASE_URL), /usr/sbin/nginx and Chromium; skipped with the reason when run by hand
without them, failed under CI=true.
"""

from __future__ import annotations

import grp
import importlib.util
import os
import pwd
import re
import secrets
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import make_url

from dashboard.access import Role
from tests.browser.conftest import ROOT, _free_port, _unavailable, no_exception, screenshot
from tests.browser.oidc import Person, give_roles, oidc_provider, streamlit_with_sign_in, write_auth_secrets
from tests.browser.test_sign_in import NOT_LOOPBACK, drawn, sign_in
from tests.conftest import recreate_database

NGINX = os.environ.get("NGINX_PATH", "/usr/sbin/nginx")
EXAMPLE = ROOT / "docs" / "deploy" / "nginx-scale-out.conf"
DATABASE = "dashboard_scaleout"
OFFICER = Person(sub="ola", email="ola@council.example", name="Ola Officer", groups=("Housing officers",))
ROUTE = "dashboard_route"
REPLICA_HEADER = "x-dashboard-replica"
# Three cases completed in March 2020, the sample data's last month: the board summary's
# "Cases completed" for 2019/20 Q4, a whole-programme count shown exactly even to the public, rises by 3.
RETURN = (
    "case_ref,district,referral_date,case_type,outcome,closed_date\n"
    "SCALE-OUT-1,Blaby,02/03/2020,Housing MOT,Completed,20/03/2020\n"
    "SCALE-OUT-2,Melton,03/03/2020,Equipment,Completed,23/03/2020\n"
    "SCALE-OUT-3,Harborough,04/03/2020,Minor adaptation,Completed,25/03/2020\n"
)
ADDED = 3
BOARD = "?programme=Lightbulb&grain=Quarter&period_quarter=2019%2F20+Q4"
# One line per request: which replica, what, and the route cookie sent and the key hashed on.
LOG_FORMAT = "$upstream_addr\\t$status\\t$request_method\\t$uri\\t$cookie_dashboard_route\\t$dashboard_route"
pytestmark = pytest.mark.filterwarnings(r"ignore:get_jwt_config\(self, grant\) is deprecated")


def _database_url() -> str:
    """This test's own database, on the server TEST_DATABASE_URL names."""
    given = os.environ.get("TEST_DATABASE_URL", "")
    if not given:
        _unavailable("the scale-out test needs PostgreSQL: set TEST_DATABASE_URL (scripts/test.sh does)")
    url = make_url(given)
    if url.get_backend_name() != "postgresql":
        _unavailable(f"TEST_DATABASE_URL is not PostgreSQL ({url.get_backend_name()})")
    return url.set(database=DATABASE).render_as_string(hide_password=False)


def _seed_lightbulb(url: str, folder: Path) -> None:
    """The sample Lightbulb programme, loaded before any page runs: two replicas that both found
    the database empty would both seed it (scale-out.md: prepare the database once)."""
    from dashboard.db.engine import get_engine, reset_engines
    from data_loaders import seed

    (folder / "Lightbulb").symlink_to(ROOT / "sample_data" / "Lightbulb", target_is_directory=True)
    try:
        seed(get_engine(url), folder=folder)
    finally:
        reset_engines()


def proxy_config(example: str, port: int, replicas: list[int], folder: Path) -> str:
    """The documented example as the test runs it: plain HTTP on loopback (no TLS, so no Secure
    cookie flag and ws:// in the CSP), the replicas' ports, every path in ``folder``, and a header
    naming the replica that answered (for the test only: it would tell anyone the layout)."""
    def replace(pattern: str, new: str, text_: str, count: int = 1) -> str:
        changed, n = re.subn(pattern, new, text_, flags=re.MULTILINE)
        assert n == count, f"{pattern!r} matched {n} times in {EXAMPLE.name}, expected {count}"
        return changed

    conf = replace(r"^server \{\n    listen 80;[^}]*\}\n\n", "", example)
    conf = replace(r"^(\s*)listen 443 ssl http2;", rf"\1listen 127.0.0.1:{port};", conf)
    conf = replace(r"^\s*ssl_\w+ .*\n", "", conf, count=5)
    conf = replace(r"^(\s*)server 127\.0\.0\.1:8501;\n\s*server 127\.0\.0\.1:8502;",
                   "\n".join(rf"\1server 127.0.0.1:{p};" for p in replicas), conf)
    conf = replace(r"; Secure;", ";", conf)
    conf = replace(r"wss://\$host", "ws://$http_host", conf)
    conf = replace(r"^(\s*)(add_header Set-Cookie .*)$",
                   r"\1\2\n\1add_header X-Dashboard-Replica $upstream_addr always;", conf)
    user = pwd.getpwuid(os.getuid()).pw_name  # workers run as root's "nobody" otherwise: no temp files
    group = grp.getgrgid(os.getgid()).gr_name
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"user {user} {group};\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} info;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    log_format replicas \"{LOG_FORMAT}\";\n"
            f"    access_log {folder / 'access.log'} replicas;\n{temp}\n{conf}}}\n")


@contextmanager
def nginx(conf: Path, folder: Path, url: str) -> Iterator[None]:
    """nginx in the foreground as a child process, until it answers through to a replica."""
    check = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(conf)], capture_output=True,
                           text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    with open(folder / "nginx.out", "w", encoding="utf-8") as out:
        process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(conf), "-g", "daemon off;"],
                                   stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 15
            while True:
                assert process.poll() is None, (folder / "error.log").read_text(encoding="utf-8")
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                    break
                except OSError:
                    assert time.monotonic() < deadline, "nginx did not answer within 15 s"
                    time.sleep(0.1)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def replica_for(url: str, route: str) -> str:
    """The replica (host:port) nginx sends a browser with this route cookie to."""
    request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": f"{ROUTE}={route}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        set_cookies = response.headers.get_all("Set-Cookie") or []
        assert not [c for c in set_cookies if c.startswith(f"{ROUTE}=")]  # a route is never replaced
        return response.headers[REPLICA_HEADER]


def cases_completed(page) -> int:  # noqa: ANN001
    """The board summary tile's figure, e.g. "1,234" -> 1234."""
    tile = page.locator('[data-testid="stMetric"]').filter(has_text="Cases completed")
    return int(tile.locator('[data-testid="stMetricValue"]').inner_text().replace(",", ""))


def access_log(folder: Path, streams: int) -> list[list[str]]:
    """nginx's access log once ``streams`` WebSockets are in it (logged when each one closes)."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line.split("\t") for line in
                 (folder / "access.log").read_text(encoding="utf-8").splitlines()]
        if sum(1 for line in lines if line[3] == "/_stcore/stream") >= streams:
            return lines
        assert time.monotonic() < deadline, f"{streams} WebSockets not logged: {lines[-20:]}"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    if importlib.util.find_spec("oidc_provider_mock") is None:
        _unavailable("oidc-provider-mock is not installed (pip install -r requirements-dev.txt)")
    with oidc_provider((OFFICER,)) as url:
        yield url


def test_two_replicas_behind_nginx_share_one_database(
        request: pytest.FixtureRequest, browser, provider: str,  # noqa: ANN001
        tmp_path: Path) -> None:
    if "postgresql" not in (request.config.getoption("--db") or ["postgresql"]):
        pytest.skip("--db did not choose PostgreSQL, which the scale-out test needs")
    if not Path(NGINX).exists():
        _unavailable(f"no nginx at {NGINX} (apt-get install nginx)")
    url = _database_url()
    try:
        recreate_database(url)
    except Exception as error:  # noqa: BLE001 - any failure to reach the server is the reason
        _unavailable(f"cannot reach PostgreSQL at TEST_DATABASE_URL: {error}")
    assert not re.search(r"\s", str(tmp_path)), f"no spaces allowed in {tmp_path}"
    give_roles(url, {"group:Housing officers": Role.OFFICER})
    seeding = threading.Thread(target=_seed_lightbulb, args=(url, tmp_path / "sample"))
    (tmp_path / "sample").mkdir()
    seeding.start()  # while the replicas and nginx start

    port, ports = _free_port(), [_free_port(), _free_port()]
    proxy = f"http://127.0.0.1:{port}"
    # One secrets file for both: the same cookie_secret makes a sign-in valid on every replica, and
    # the provider sends people back to the proxy, never to a replica directly.
    secrets_file = write_auth_secrets(tmp_path / "secrets.toml", proxy, provider)
    env = {"DATABASE_URL": url, "STREAMLIT_SECRETS_FILES": str(secrets_file)}
    upload = tmp_path / "scale-out-march.csv"
    upload.write_text(RETURN, encoding="utf-8")
    nginx_dir = tmp_path / "nginx"
    nginx_dir.mkdir()
    conf = nginx_dir / "nginx.conf"
    conf.write_text(proxy_config(EXAMPLE.read_text(encoding="utf-8"), port, ports, nginx_dir),
                    encoding="utf-8")
    started = time.monotonic()
    try:
        with ExitStack() as stack:
            for n, replica_port in enumerate(ports):
                stack.enter_context(streamlit_with_sign_in(replica_port, env, tmp_path / f"replica{n}.log"))
            stack.enter_context(nginx(conf, nginx_dir, proxy))
            seeding.join(timeout=120)
            assert not seeding.is_alive(), "seeding the sample data took over 120 s"
            officer_context = stack.enter_context(_context(browser))
            visitor_context = stack.enter_context(_context(browser))
            officer, visitor = officer_context.new_page(), visitor_context.new_page()
            stack.push(_pictures_on_failure({"officer": officer, "visitor": visitor}))

            # The officer's first visit carries no cookie: the very first response sets the route,
            # and is itself served by the replica that route hashes to.
            first = officer.goto(proxy, wait_until="domcontentloaded")
            drawn(officer)
            first_headers = first.all_headers()
            replica_a = first_headers[REPLICA_HEADER]
            cookie = {c["name"]: c for c in officer_context.cookies()}[ROUTE]
            assert f"{ROUTE}={cookie['value']}; Path=/; HttpOnly; SameSite=Lax" in first_headers["set-cookie"]
            assert re.fullmatch(r"[0-9a-f]{32}", cookie["value"]), cookie
            assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
            assert replica_for(proxy, cookie["value"]) == replica_a

            # The visitor gets a route that nginx sends to the other replica.
            replica_b, route_b = replica_a, ""
            while replica_b == replica_a:
                route_b = secrets.token_hex(16)
                replica_b = replica_for(proxy, route_b)
            assert {replica_a, replica_b} == {f"127.0.0.1:{p}" for p in ports}
            visitor_context.add_cookies([{"name": ROUTE, "value": route_b, "url": proxy}])
            shown = visitor.goto(f"{proxy}/{BOARD}", wait_until="domcontentloaded")
            assert shown.all_headers()[REPLICA_HEADER] == replica_b
            assert f"{ROUTE}=" not in shown.all_headers().get("set-cookie", "")
            drawn(visitor)
            no_exception(visitor)
            before = cases_completed(visitor)  # replica B has now cached the board's figures
            screenshot(visitor, "scale-out-visitor-before")

            # The officer signs in (the OAuth state lives in replica A) and loads the return there:
            # the file goes up over HTTP, and the WebSocket session that checks it must be on the
            # same replica, or the upload is unknown to it.
            sign_in(officer, proxy, OFFICER)
            returns = officer.goto(f"{proxy}/returns?programme=Lightbulb", wait_until="domcontentloaded")
            assert returns.all_headers()[REPLICA_HEADER] == replica_a
            drawn(officer)
            uploader = officer.get_by_label("Return file (CSV or Excel .xlsx)")
            uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
            officer.get_by_text("is a valid cases return").wait_for(timeout=60_000)
            recorded = officer.get_by_text("will record this load as")  # the signed-in officer,
            recorded.wait_for(timeout=30_000)  # shown with a word joiner after the @ (no mail link)
            assert OFFICER.email in recorded.inner_text().replace("\u2060", ""), recorded.inner_text()
            officer.get_by_role("button", name="Load this return").click()
            officer.get_by_text("Loaded: scale-out-march.csv").wait_for(timeout=60_000)
            no_exception(officer)
            screenshot(officer, "scale-out-officer-loaded")

            # Replica B sees the load at once: the data version in its cache keys comes from the
            # shared database, not from its own memory.
            shown = visitor.goto(f"{proxy}/{BOARD}", wait_until="domcontentloaded")
            assert shown.all_headers()[REPLICA_HEADER] == replica_b
            drawn(visitor)
            no_exception(visitor)
            after = cases_completed(visitor)
            screenshot(visitor, "scale-out-visitor-after")
            assert after == before + ADDED, (before, after)

            # The sign-in made through replica A is valid on replica B (same cookie_secret).
            visitor_context.add_cookies([
                {"name": c["name"], "value": c["value"], "url": proxy}
                for c in officer_context.cookies() if c["name"].startswith("_streamlit_user")])
            shown = visitor.goto(proxy, wait_until="domcontentloaded")
            assert shown.all_headers()[REPLICA_HEADER] == replica_b
            drawn(visitor)
            caption = visitor.get_by_text("Signed in as").inner_text()
            assert caption.startswith("Signed in as Ola Officer · officer"), caption
            screenshot(visitor, "scale-out-signed-in-on-b")

            # Every request of each browser went to its own replica, WebSockets and upload included.
            officer_context.close()
            visitor_context.close()
            lines = access_log(nginx_dir, streams=2)
            for route, replica in ((cookie["value"], replica_a), (route_b, replica_b)):
                mine = [line for line in lines if line[5] == route]
                assert {line[0] for line in mine} == {replica}, mine
                assert any(line[3] == "/_stcore/stream" and line[1] == "101" for line in mine), mine
            officer_lines = [line for line in lines if line[5] == cookie["value"]]
            assert officer_lines[0][4] == "-" and officer_lines[0][3] == "/", officer_lines[0]
            assert any(line[2] == "PUT" and line[3].startswith("/_stcore/upload_file/")
                       for line in officer_lines), officer_lines
            assert not any(line[1] == "502" for line in lines), lines
    finally:
        seeding.join(timeout=120)
        recreate_database(url, drop_only=True)
    elapsed = time.monotonic() - started
    assert elapsed < 120, f"the scale-out run took {elapsed:.0f} s"


def _pictures_on_failure(pages: dict[str, object]) -> Callable[..., bool]:
    """An exit callback keeping what each browser showed when the test failed."""
    def on_exit(exc_type: type[BaseException] | None, *_: object) -> bool:
        for name, page in pages.items() if exc_type else ():
            try:
                screenshot(page, f"scale-out-failed-{name}")
            except Exception:  # noqa: BLE001, S110 - a closed page has nothing to show
                pass
        return False  # never swallows the failure
    return on_exit


@contextmanager
def _context(browser) -> Iterator[object]:  # noqa: ANN001
    """A browser context of its own (cookies), allowed to reach loopback only."""
    context = browser.new_context(viewport={"width": 1366, "height": 1200})
    context.route(NOT_LOOPBACK, lambda route: route.abort())
    try:
        yield context
    finally:
        context.close()

