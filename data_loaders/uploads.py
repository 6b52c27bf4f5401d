"""The Returns page's entry point to the loader: check an upload, then load it on confirmation.

The page never touches validation itself; it shows the plan this returns (the same checks the
command line runs) and calls ``confirm_upload`` only when the plan has no problems.
"""

from __future__ import annotations

from dashboard.access import User, require
from dashboard.db.engine import database_url, get_engine
from data_loaders.apply import LoadResult, apply_plan, audited_load
from data_loaders.council_level import Outcome, council_level_kind, load_council_level
from data_loaders.plan import LoadPlan, plan_load


def preview_upload(programme: str, file_name: str, content: bytes,
                   kind: str | None = None, redact: bool = False) -> LoadPlan:
    """Everything a load would do, written nowhere; ``redact``: the officer chose to store free text
    with personal data replaced by labels instead of having the file rejected.

    The page keeps this plan between clicks, so it holds only the first records and the file (the
    uploader's own bytes, not a copy); ``confirm_upload`` checks the file again to load it.
    """
    return plan_load(get_engine(database_url()), programme, file_name, content, kind, redact=redact,
                     preview_only=True)


def confirm_upload(plan: LoadPlan, user: User) -> LoadResult:
    """Load a checked file in one transaction (LoadRejected if it has problems).

    The role is checked here, on the server, whatever the page showed (targets and savings plans
    decide every status and districts shape every table, so only administrators set them); the import log
    names the signed-in person, and the audit row commits with the load or not at all.
    """
    require(user, _permission(plan))
    return apply_plan(get_engine(database_url()), plan, user.actor,
                      also=audited_load(plan, user.actor, user.role.label))


def _permission(plan: LoadPlan) -> str:
    if plan.kind in ("targets", "savings_plan"):  # a savings plan decides each workstream's status too
        return "edit_targets"
    if plan.kind == "districts" or plan.creates_programme:
        return "set_up_programme"
    return "load_return"


def check_council_upload(file_name: str, content: bytes, council: str | None) -> Outcome | None:
    """Every check a load of a council-level file (CQC's, the council's contracts or population,
    the councils file) makes, nothing written; None when the file is a programme's return."""
    return load_council_level(get_engine(database_url()), file_name, content, "", council, None,
                              write=False)


def confirm_council_upload(file_name: str, content: bytes, council: str | None, user: User) -> Outcome:
    """Load a council-level file, the role checked here on the server: setting councils up is an
    administrator's; CQC's files, contracts and population an officer's, as any return."""
    kind = council_level_kind(content)
    require(user, "set_up_programme" if kind == "councils" else "load_return")
    outcome = load_council_level(get_engine(database_url()), file_name, content, user.actor, council, None,
                                 write=True, role=user.role.label)
    if outcome is None:
        raise ValueError(f"{file_name} is a programme's return, not a council's file: load it as a return")
    return outcome
