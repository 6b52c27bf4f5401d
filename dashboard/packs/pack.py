"""What every pack has: who it is for, what it covers, its sections, and its tables for Excel."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures.format import format_date, format_value
from dashboard.figures.periods import parse_period
from dashboard.meetings.changes import what_changed
from dashboard.packs.tables import PackTable
from dashboard.queries.registry import KPIS

T = TypeVar("T")
KINDS = {"board": ("Programme board pack", "OFFICIAL"),
         "scrutiny": ("Scrutiny committee pack", "For publication")}


@dataclass(frozen=True)
class Section:
    id: str
    heading: str


@dataclass
class Pack:
    kind: str
    title: str
    context: dict
    tables: list[PackTable] = field(default_factory=list)
    template: str = ""  # the template it is printed with: "<kind>.html" unless another is named

    @classmethod
    def make(cls, kind: str, programme: str, period: str, meeting: dict | None, as_at: date | None,
             issued_on: date, sections: Sequence[Section], content: dict, template: str = "") -> Pack:
        """The cover and running-header fields the base template needs, around ``content``."""
        pack_kind, marking = KINDS[kind]
        long_period = parse_period(period).long_label
        title = (meeting["title"] if meeting else f"{programme}: {pack_kind.lower()}, {long_period}")
        context = {
            "pack_title": title, "pack_kind": pack_kind, "marking": marking, "programme": programme,
            "meeting_title": meeting["title"] if meeting else None,
            "meeting_date": format_date(meeting["meeting_date"]) if meeting else None,
            "period_label": long_period, "data_as_at": format_date(as_at),
            "issued_on": format_date(issued_on),
            "sections": [{"id": s.id, "heading": s.heading} for s in sections], **content}
        return cls(kind, title, context, list(found_in(content, PackTable)), template or f"{kind}.html")


def meeting_parts(engine: Engine, programme: str, kind: str, meeting: dict | None, today: date,
                  comments: list[dict] | None, actions: dict | None) -> dict:
    """What a board pack adds for its meeting: what changed since the last (a scrutiny pack: none),
    the commentary and the actions."""
    changes = what_changed(programme, meeting["id"], engine, today) if meeting and kind == "board" else None
    return {"changes": changes.sentences() if changes else [],
            "changes_note": ("There is no earlier issued meeting of this kind to compare with."
                             if changes is None or changes.previous_id is None else ""),
            "comments": comments or [], "actions": actions}


def found_in(value: object, kind: type[T]) -> Iterator[T]:
    """Every ``kind`` (a table, a chart) in the contents, in reading order."""
    if isinstance(value, kind):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from found_in(item, kind)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from found_in(item, kind)


def definitions_table() -> PackTable:
    """Every KPI's definition, as the About page gives it."""
    return PackTable("KPI definitions", pd.DataFrame({
        "KPI": [k.name for k in KPIS], "Definition": [k.definition for k in KPIS],
        "Better when": [k.better_when for k in KPIS],
        "Default target": [format_value(k.default_target, k.unit) for k in KPIS]}))
