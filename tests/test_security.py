"""The hardening SECURITY.md promises, checked where it lives: configuration and code."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from data_loaders.limits import DEFAULT_MAX_MB

ROOT = Path(__file__).resolve().parents[1]
CODE = [p for folder in ("dashboard", "data_loaders") for p in (ROOT / folder).rglob("*.py")]
CODE.append(ROOT / "streamlit_app.py")


def test_streamlit_configuration_is_hardened() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server["address"] == "127.0.0.1"  # loopback: local mode, or behind the proxy
    assert server["maxUploadSize"] == DEFAULT_MAX_MB
    assert config["client"]["showErrorDetails"] == "none"


def test_no_html_from_the_app() -> None:
    offenders = [p.name for p in CODE if "unsafe_allow_html" in p.read_text()]
    assert offenders == []


def test_no_sql_built_from_strings() -> None:
    """SQL text is never an f-string or a .format() call: every value is a bound parameter."""
    pattern = re.compile(r"text\(\s*f[\"']|text\([^)]*\.format\(|execute\(\s*f[\"']")
    offenders = [p.name for p in CODE if pattern.search(p.read_text())]
    assert offenders == []


def test_secrets_stay_out_of_the_repository() -> None:
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().split()
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    assert set(example["auth"]) == {"redirect_uri", "cookie_secret", "client_id", "client_secret",
                                    "server_metadata_url"}
    assert example["auth"]["client_secret"] == "..."  # a placeholder, never a real secret
