"""The checks a care-at-home return needs beyond each cell's type: hours delivered against hours
commissioned, and a monthly return's providers against the programme's providers file (each
provider named as that file spells it, in any case and spacing).

Each problem names its row and column, so a partner can mend the whole return at once.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, select

from dashboard.db import schema as s
from data_loaders.values import plain_name

Report = Callable[[int, str, object, str], None]
# Delivered may run a little over what was commissioned (extra visits in a hard week); more than
# this is a slipped figure or a column swapped.
DELIVERED_OVER_COMMISSIONED = 1.05


def provider_key(name: str) -> str:
    """A provider's name as compared: plain (NFKC, no invisible characters, spaces collapsed),
    case folded."""
    return plain_name(name).casefold()


def row_rules(kind: str, record: dict, sent: dict[str, object], row: int, problem: Report) -> None:
    if kind != "care_hours":
        return
    commissioned, delivered = record.get("hours_commissioned_weekly"), record.get("hours_delivered_weekly")
    if commissioned is not None and delivered is not None and \
            delivered > commissioned * DELIVERED_OVER_COMMISSIONED + 1e-9:
        problem(row, "hours_delivered_weekly", sent.get("hours_delivered_weekly"),
                f"more than {DELIVERED_OVER_COMMISSIONED - 1:.0%} above the hours commissioned "
                f"({commissioned:,g} a week)")


def against_providers(conn: Connection, programme_id: int | None, records: list[dict], rows: list[int],
                      problem: Report) -> None:
    """Each monthly row's provider as the providers file spells it; an unknown one is a problem."""
    p = s.care_providers
    known: dict[str, str] = {}
    if programme_id is not None:
        known = {provider_key(name): name for name in conn.execute(
            select(p.c.provider).where(p.c.programme_id == programme_id)).scalars()}
    listed = ", ".join(sorted(known.values())[:10]) or "none yet: load the providers file first"
    seen: dict[tuple, int] = {}
    for record, row in zip(records, rows, strict=True):
        found = known.get(provider_key(record["provider"]))
        if found is None:
            problem(row, "provider", record["provider"],
                    f"not in the programme's providers file (its providers include: {listed})")
            continue
        record["provider"] = found
        key = (record["ym"], found, record["client_group"])
        if key in seen:  # the same provider spelt two ways
            problem(row, "provider", found, f"duplicate of row {seen[key]} (same month, provider and "
                    "client group)")
        seen.setdefault(key, row)
