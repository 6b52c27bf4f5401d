"""The Testshire programme (loaded through the real loader) for the meeting-cycle tests."""

from __future__ import annotations

from tests.queries.conftest import testshire  # noqa: F401 - re-exported fixture
