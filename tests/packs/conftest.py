"""Fixtures for the pack renderer's tests: Chromium (for charts) skips by hand, fails under CI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason}; CI=true, so pack chart tests must run")
    pytest.skip(reason)


@pytest.fixture
def chromium() -> str:
    """The browser Kaleido drives to draw charts (the same rule as tests/browser/conftest.py)."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} to draw charts (apt-get install chromium)")
    return CHROMIUM
