"""Charts in the packs are drawn by Debian's Chromium: tests that make a PDF need it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def require_chromium() -> None:
    """Skip with the reason when run by hand without Chromium; under CI=true, fail instead."""
    if Path(CHROMIUM).exists():
        return
    reason = f"no Chromium at {CHROMIUM} to draw the packs' charts (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true, so pack tests must run")
    pytest.skip(reason)
