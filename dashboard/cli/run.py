"""What the product's command lines share: one way of saying what went wrong.

A refused or impossible command prints one line, ``error: ...``, naming the problem and never the
database password, and exits with status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date

from sqlalchemy.exc import SQLAlchemyError

from dashboard.access.roles import PermissionDenied
from dashboard.db.engine import DatabaseUnavailable, database_url, describe, scrub


def run_command(run: Callable[[], str], expected: tuple[type[Exception], ...] = ()) -> int:
    """Print what ``run`` returns (exit 0), or the error in one line (exit 2)."""
    try:
        print(run())
    except (ValueError, PermissionDenied, DatabaseUnavailable, *expected) as error:
        print(f"error: {scrub(error)}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:
        reason = scrub(getattr(error, "orig", None) or error).rstrip(".")
        print(f"error: the database at {describe(database_url())} failed: {reason}.", file=sys.stderr)
        return 2
    return 0


def iso_day(text: str) -> date:
    """An argparse type for a date given as YYYY-MM-DD, refused in one line otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date as YYYY-MM-DD") from None
