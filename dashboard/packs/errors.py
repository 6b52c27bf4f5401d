"""One exception for everything that stops a pack being made, so pages and the command line can
show its message to the officer (it says what to fix) instead of a traceback."""

from __future__ import annotations


class PackError(Exception):
    """A pack could not be made; the message names the cause and the fix."""
