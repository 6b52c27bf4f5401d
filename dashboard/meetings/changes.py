"""What changed since the last meeting: the board's first question, answered from the figures the
previous issued meeting froze and the figures (frozen or live) of this one."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db import schema as s
from dashboard.figures.format import format_date, format_value
from dashboard.figures.periods import parse_period
from dashboard.figures.style import RAG_WORDS
from dashboard.meetings.meetings import MeetingError, get_meeting
from dashboard.meetings.snapshots import _engine, live_figures, snapshot_frame
from dashboard.queries.councils import council_of
from dashboard.queries.programmes import districts_frame, programme_id
from dashboard.queries.providers import NoSnapshot, provider_kpis, rating_changes
from dashboard.queries.registry import KPI_IDS, get_kpi
from dashboard.queries.savings import is_savings

TOLERANCE = 1e-9  # figures are rounded to 10 places when computed; anything bigger is a revision


@dataclass(frozen=True)
class Changes:
    """Each KPI item: kpi, period, district (None for the programme), before, after."""

    meeting_id: int | None = None
    previous_id: int | None = None
    rag_changes: list[dict] = field(default_factory=list)
    revisions: list[dict] = field(default_factory=list)
    spc_changes: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    returns: list[dict] = field(default_factory=list)
    # The council's provider quality (CQC), as at each meeting's period: kpi, before, after, and
    # the two CQC files' dates; "ratings": counts of services improved, declined, newly rated, closed.
    providers: list[dict] = field(default_factory=list)
    provider_ratings: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str, ensure_ascii=False)

    def sections(self) -> list[tuple[str, list[str]]]:
        """Plain English in the order a board reads it: the whole programme's changes first, then
        the districts' grouped by KPI (one sentence a KPI, not one a district), then actions and
        returns. Sections with nothing to say are left out."""
        programme = ([_rag_sentence(i) for i in self.rag_changes if not i["district"]]
                     + [_revision_sentence(i) for i in self.revisions if not i["district"]]
                     + [_spc_sentence(i) for i in self.spc_changes if not i["district"]])
        by_kpi: dict[str, list[str]] = {}
        for items, say in ((self.rag_changes, _rag_part), (self.revisions, _revision_part),
                           (self.spc_changes, _spc_part)):
            for item in items:
                if item["district"]:
                    by_kpi.setdefault(item["kpi"], []).append(say(item))
        districts = [f"{get_kpi(kpi).name}, by district: {'; '.join(parts)}."
                     for kpi in KPI_IDS if (parts := by_kpi.get(kpi))]
        providers = [_provider_sentence(i) for i in self.providers]
        if any(self.provider_ratings.get(k) for k in ("improved", "declined", "newly_rated", "closed")):
            providers.append(_ratings_sentence(self.provider_ratings))
        other = [_action_sentence(i) for i in self.actions]
        other += [f"New return loaded: {i['file']} ({i['kind']}) on {i['when']:%d/%m/%Y} by {i['by']}."
                  for i in self.returns]
        return [(title, lines) for title, lines in (("Whole programme", programme),
                                                     ("Districts, by KPI", districts),
                                                     ("Care providers (CQC)", providers),
                                                     ("Actions and returns", other)) if lines]

    def sentences(self) -> list[str]:
        """Every sentence of ``sections``, in order."""
        return [line for _title, lines in self.sections() for line in lines]


def _label(item: dict) -> str:
    name = get_kpi(item["kpi"]).name
    return f"{name}, {item['district']}" if item["district"] else name


def _period(item: dict) -> str:
    return parse_period(item["period"]).short_label


def _rag_sentence(item: dict) -> str:
    return (f"{_label(item)}: {RAG_WORDS[item['before']].lower()} → "
            f"{RAG_WORDS[item['after']].lower()} ({_period(item)}).")


def _revision_sentence(item: dict) -> str:
    unit = get_kpi(item["kpi"]).unit
    name = get_kpi(item["kpi"]).name
    where = f" in {item['district']}" if item["district"] else ""
    return (f"{name}{where} in {_period(item)} was {format_value(item['before'], unit)} when last "
            f"shown; now {format_value(item['after'], unit)} (a late or corrected return).")


def _spc_change(item: dict) -> str:
    started = str(item["after"]).startswith("special")
    what = f"now shows {item['after']}" if started else f"no longer shows {item['before']}"
    return f"{what} ({_period(item)})"


def _spc_sentence(item: dict) -> str:
    return f"{_label(item)} {_spc_change(item)}."


def _rag_part(item: dict) -> str:
    return (f"{item['district']} {RAG_WORDS[item['before']].lower()} → "
            f"{RAG_WORDS[item['after']].lower()} ({_period(item)})")


def _revision_part(item: dict) -> str:
    unit = get_kpi(item["kpi"]).unit
    return (f"{item['district']} in {_period(item)} revised from {format_value(item['before'], unit)} "
            f"to {format_value(item['after'], unit)} (a late or corrected return)")


def _spc_part(item: dict) -> str:
    return f"{item['district']} {_spc_change(item)}"


def _provider_sentence(item: dict) -> str:
    kpi = get_kpi(item["kpi"])
    return (f"{kpi.name} ({item['council']}): {format_value(item['before'], kpi.unit)} → "
            f"{format_value(item['after'], kpi.unit)} (CQC files of {format_date(item['before_as_at'])} "
            f"and {format_date(item['after_as_at'])}).")


def _ratings_sentence(counts: dict) -> str:
    parts = ", ".join(f"{counts[k]:,} {w}" for k, w in (("improved", "improved"), ("declined", "declined"),
                                                       ("newly_rated", "newly rated"), ("closed", "closed"))
                      if counts.get(k))
    return (f"Services rated by CQC in {counts['council']} since the file of "
            f"{format_date(counts['before_as_at'])}: {parts}.")


def _providers(engine: Engine, programme: str, meeting: dict, previous: dict) -> tuple[list[dict], dict]:
    """Provider-quality KPIs that moved between the two meetings' CQC files, each meeting's file
    being the newest on or before its period's end (and its meeting day)."""
    council = council_of(engine, programme)
    if council is None or is_savings(engine, programme):  # a savings board's papers leave CQC out
        return [], {}
    days = [min(parse_period(m["period"]).end, m["meeting_date"]) for m in (previous, meeting)]
    try:
        old, new = (provider_kpis.__wrapped__(engine, council, day) for day in days)
    except NoSnapshot:
        return [], {}
    before_as_at, after_as_at = old.attrs["as_at"], new.attrs["as_at"]
    if before_as_at == after_as_at:
        return [], {}
    old_values = {r.kpi: _number(r.value) for r in old.itertuples() if r.group == "council"}
    items = [{"kpi": r.kpi, "council": council, "before": old_values.get(r.kpi), "after": _number(r.value),
              "before_as_at": before_as_at, "after_as_at": after_as_at}
             for r in new.itertuples() if r.group == "council"
             and _differs(old_values.get(r.kpi), _number(r.value))]
    moved = rating_changes.__wrapped__(engine, council, before_as_at, after_as_at)
    counts = {"council": council, "before_as_at": before_as_at,
              **{what: len(found) for what, found in moved.items()}}
    return items, counts


def _action_sentence(item: dict) -> str:
    due = f"due {item['due_date']:%d/%m/%Y}"
    return f"Action {item['change']}: {item['description']} ({item['owner']}, {due})."


def _meetings(engine: Engine, programme: str) -> pd.DataFrame:
    m = s.meetings
    query = (select(m.c.id, m.c.kind, m.c.status, m.c.meeting_date, m.c.issued_at)
             .where(m.c.programme_id == programme_id(engine, programme))
             .order_by(m.c.meeting_date, m.c.id))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["id", "kind", "status", "meeting_date", "issued_at"])


def _figures(engine: Engine, meeting: dict) -> pd.DataFrame:
    if meeting["status"] == "issued":
        return snapshot_frame(meeting["id"], engine)
    return live_figures(engine, meeting["programme"], meeting["period"])


def _item(row: pd.Series, names: dict[int, str], before: object, after: object) -> dict:
    return {"kpi": row["kpi"], "period": row["period"], "district": names.get(int(row["area"])),
            "before": before, "after": after}


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _differs(old: float | None, new: float | None) -> bool:
    if old is None or new is None:
        return (old is None) != (new is None)
    return not math.isclose(old, new, rel_tol=0, abs_tol=TOLERANCE)


def _kpi_changes(now: pd.DataFrame, before: pd.DataFrame, live_before: pd.DataFrame,
                 now_period: str, before_period: str, names: dict[int, str]
                 ) -> tuple[list[dict], list[dict], list[dict]]:
    mine = now[now["period"] == now_period].set_index(["kpi", "area"])
    theirs = before[before["period"] == before_period].set_index(["kpi", "area"])
    rag, spc = [], []
    for key, row in mine.iterrows():
        if key not in theirs.index:
            continue
        old = theirs.loc[key]
        full = pd.Series({"kpi": key[0], "area": key[1], "period": now_period})
        if row["rag"] != old["rag"]:
            rag.append(_item(full, names, old["rag"], row["rag"]))
        was, now_label = old["variation"], row["variation"]
        if pd.notna(was) and pd.notna(now_label) and (
                str(was).startswith("special") != str(now_label).startswith("special")):
            spc.append(_item(full, names, was, now_label))
    merged = before.merge(live_before, on=["kpi", "area", "period"], suffixes=("_old", "_new"))
    revisions = [_item(r, names, _number(r["value_old"]), _number(r["value_new"]))
                 for _, r in merged.iterrows()
                 if _differs(_number(r["value_old"]), _number(r["value_new"]))]
    return rag, revisions, spc


def _actions(engine: Engine, pid: int, since: datetime, today: date) -> list[dict]:
    a = s.actions
    with engine.connect() as conn:
        rows = conn.execute(select(a).where(a.c.programme_id == pid).order_by(a.c.id)).mappings()
        found = []
        for row in rows:
            base = {"id": row["id"], "description": row["description"], "owner": row["owner"],
                    "due_date": row["due_date"], "kpi": row["kpi"]}
            if row["status"] == "done" and row["done_at"] and row["done_at"] > since:
                found.append({**base, "change": "completed"})
            elif row["status"] == "open" and row["due_date"] < today:
                found.append({**base, "change": "overdue"})
            elif row["created_at"] > since:
                found.append({**base, "change": "new"})
    return found


def _returns(engine: Engine, pid: int, since: datetime) -> list[dict]:
    log = s.import_log
    query = (select(log.c.file_name, log.c.kind, log.c.loaded_at, log.c.loaded_by)
             .where(log.c.programme_id == pid, log.c.loaded_at > since).order_by(log.c.id))
    with engine.connect() as conn:
        return [{"file": r.file_name, "kind": r.kind, "when": r.loaded_at, "by": r.loaded_by}
                for r in conn.execute(query)]


def what_changed(programme: str, meeting_id: int | None = None, engine: Engine | None = None,
                 today: date | None = None) -> Changes:
    """Changes between ``meeting_id`` (default: the programme's newest meeting) and the previous
    issued meeting of the same programme and kind; empty when there is no previous one."""
    engine = _engine(engine)
    pid = programme_id(engine, programme)
    listed = _meetings(engine, programme)
    if meeting_id is None:
        if listed.empty:
            return Changes()
        meeting_id = int(listed["id"].iloc[-1])
    meeting = get_meeting(meeting_id, engine)
    if meeting["programme_id"] != pid:
        raise MeetingError(f"Meeting {meeting_id} is not a meeting of {programme}.")
    position = listed.index[listed["id"] == meeting_id][0]
    earlier = listed.loc[:position - 1]
    earlier = earlier[(earlier["kind"] == meeting["kind"]) & (earlier["status"] == "issued")]
    if earlier.empty:
        return Changes(meeting_id=meeting_id)
    previous = get_meeting(int(earlier["id"].iloc[-1]), engine)
    names = {int(k): v for k, v in districts_frame(engine, programme)
             .set_index("district_id")["district"].items()}
    before = snapshot_frame(previous["id"], engine)
    live_before = live_figures(engine, programme, previous["period"])
    rag, revisions, spc = _kpi_changes(_figures(engine, meeting), before, live_before,
                                       meeting["period"], previous["period"], names)
    since = previous["issued_at"]
    providers, provider_ratings = _providers(engine, programme, meeting, previous)
    return Changes(meeting_id=meeting_id, previous_id=previous["id"], rag_changes=rag,
                   revisions=revisions, spc_changes=spc,
                   actions=_actions(engine, pid, since, today or date.today()),
                   returns=_returns(engine, pid, since), providers=providers,
                   provider_ratings=provider_ratings)
