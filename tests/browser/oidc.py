"""Sign-in for browser tests: a small OpenID Connect provider on loopback, and the app started with
an ``[auth]`` section pointing at it.

The provider is ``oidc-provider-mock`` (a Flask app, served here by werkzeug on a thread bound to
127.0.0.1 only). It accepts any client id and secret (no client registration), and its
authorization page (``/oauth2/authorize``) signs in whichever subject is chosen: a text box for a
new subject, or one button per *predefined* person, labelled with the subject and carrying that
person's claims. ``email`` and ``name`` reach the ID token only for the ``email`` and ``profile``
scopes, which ``st.login`` asks for; other claims, such as ``groups``, always do. Its
``end_session_endpoint`` shows an "End session" button that sends the browser back to the app.

The app reads the ``[auth]`` section from a secrets file outside the repository, named by the
``STREAMLIT_SECRETS_FILES`` environment variable (Streamlit's ``secrets.files`` option), so a
developer's own ``.streamlit/secrets.toml`` and ``~/.streamlit/secrets.toml`` are never read or
written.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine

from dashboard.access import Role, User, role_store
from dashboard.db.engine import ensure_schema

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "housing-dashboard-browser-test"
# Settings of the person running the tests that would change who gets which role.
ACCESS_VARIABLES = ("DASHBOARD_REQUIRE_SIGN_IN", "DASHBOARD_UNKNOWN_USERS", "DASHBOARD_ADMINS",
                    "DASHBOARD_GROUP_CLAIMS", "DASHBOARD_VERIFIED_EMAIL_CLAIMS",
                    "STREAMLIT_SERVER_COOKIE_SECRET")


@dataclass(frozen=True)
class Person:
    """Someone the provider can sign in: the button on its page is labelled ``sub``."""

    sub: str
    email: str
    name: str
    groups: tuple[str, ...] = ()
    email_verified: bool = True

    @property
    def claims(self) -> dict[str, object]:
        claims: dict[str, object] = {"email": self.email, "email_verified": self.email_verified,
                                     "name": self.name}
        if self.groups:
            claims["groups"] = list(self.groups)
        return claims


@contextmanager
def oidc_provider(people: tuple[Person, ...]) -> Iterator[str]:
    """The provider's base URL (``http://127.0.0.1:PORT``) while the context lasts.

    Raises ImportError when oidc-provider-mock is not installed (the caller skips or fails)."""
    import authlib.deprecate  # noqa: F401 - first: importing it puts an "always show" filter first

    with warnings.catch_warnings():  # the mock imports Authlib modules that Authlib 1.9 deprecates
        warnings.simplefilter("ignore", DeprecationWarning)
        import oidc_provider_mock
        import werkzeug.serving

    app = oidc_provider_mock.app(
        user_claims=[oidc_provider_mock.User(sub=p.sub, claims=p.claims) for p in people])
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="oidc-provider-mock", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def write_auth_secrets(path: Path, app_url: str, provider_url: str) -> Path:
    """A secrets file whose ``[auth]`` section signs people in with the provider."""
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(48)}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{secrets.token_urlsafe(24)}"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    return path


def give_roles(database_url: str, roles: Mapping[str, Role]) -> None:
    """Store role assignments (e-mail addresses or ``group:NAME``) before the app starts, as an
    administrator would on the Roles page. Programmes stay empty, so the app still seeds."""
    engine = create_engine(database_url)
    try:
        ensure_schema(engine)
        setup = User(name="Test setup", email="setup@council.example", role=Role.ADMIN,
                     signed_in=True)
        for principal, role in roles.items():
            role_store.assign_role(setup, principal, role, engine=engine)
    finally:
        engine.dispose()


@contextmanager
def streamlit_with_sign_in(port: int, env: Mapping[str, str], log_path: Path,
                           timeout: float = 60) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` on 127.0.0.1:``port`` with ``env`` added to a copy of this
    process's environment less the access settings above; yields the app's URL once healthy."""
    full_env = {k: v for k, v in os.environ.items() if k not in ACCESS_VARIABLES}
    full_env.update(env)
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],  # others' edits must not rerun the app mid-test
            cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {process.returncode}: "
                                       f"{log_path.read_text(encoding='utf-8')[-2000:]}")
                try:
                    urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"streamlit did not start within {timeout:.0f} s") from None
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
