"""The Returns page's entry point to the loader: check an upload, then load it on confirmation.

The page never touches validation itself; it shows the plan this returns (the same checks the
command line runs) and calls ``confirm_upload`` only when the plan has no problems.
"""

from __future__ import annotations

from dashboard.db.engine import database_url, get_engine
from data_loaders.apply import LoadResult, apply_plan
from data_loaders.plan import LoadPlan, plan_load


def preview_upload(programme: str, file_name: str, content: bytes,
                   kind: str | None = None) -> LoadPlan:
    """Everything a load would do, written nowhere."""
    return plan_load(get_engine(database_url()), programme, file_name, content, kind)


def confirm_upload(plan: LoadPlan, user: str) -> LoadResult:
    """Load a checked file in one transaction (LoadRejected if it has problems)."""
    return apply_plan(get_engine(database_url()), plan, user)
