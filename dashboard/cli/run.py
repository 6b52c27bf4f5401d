"""What the product's command lines share: one way of saying what went wrong.

A refused or impossible command prints one line, ``error: ...``, naming the problem and never the
database password, and exits with status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

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
