"""The draft narrative: one plain-English sentence per KPI and area worth the board's attention.

A KPI is drafted when, in the period, it is off or close to target, its status changed since the
previous period, or its Making Data Count chart shows a special cause at the latest point. Every
word comes from the registry (name, unit, direction of good), the RAG words and the SPC result, so a
new KPI is drafted without code here. Officers accept, edit or discard each draft; nothing is
written until they do.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures import spc
from dashboard.figures.format import format_value
from dashboard.figures.periods import parse_period
from dashboard.figures.style import RAG_WORDS
from dashboard.queries.board import history_table
from dashboard.queries.cache import cached_query

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
            "seventeenth", "eighteenth", "nineteenth", "twentieth")
WATCHED_RAG = ("red", "amber")
SPECIAL_WORDS = {"special cause improving": "a special cause improving",
                 "special cause concerning": "a special cause concerning",
                 "special cause (neutral)": "a special cause"}


@dataclass(frozen=True)
class Draft:
    kpi: str
    district: str | None  # None: the programme as a whole
    period: str
    text: str


def ordinal(n: int) -> str:
    """``7`` → ``seventh``; beyond twenty, ``21st``."""
    if 1 <= n <= len(ORDINALS):
        return ORDINALS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _streak(items: list[int]) -> int:
    """How many items at the end are equal to the last one."""
    count = 0
    for item in reversed(items):
        if item != items[-1]:
            break
        count += 1
    return count


def spc_clause(result: spc.SpcResult, grain: str) -> str | None:
    """Why the latest point is a special cause, in words; None for common cause."""
    reasons = result.reasons[-1]
    if not reasons:
        return None
    values, last = result.values, result.values[-1]
    parts = []
    if "outside the limits" in reasons:
        parts.append("above the upper process limit" if last > result.upper
                     else "below the lower process limit")
    if any(r.startswith("run of") for r in reasons):
        side = "above" if result.side[-1] > 0 else "below"
        parts.append(f"the {ordinal(_streak(list(result.side)))} {grain} in a row {side} the average")
    if any(r.startswith("trend of") for r in reasons):
        steps = [1 if b > a else (-1 if b < a else 0) for a, b in zip(values, values[1:], strict=False)]
        word = "rising" if steps[-1] > 0 else "falling"
        parts.append(f"{word} for the {ordinal(_streak(steps) + 1)} {grain} in a row")
    if "2 of 3 near a limit" in reasons and "outside the limits" not in reasons:  # implied by it
        side = "upper" if last > result.mean else "lower"
        parts.append(f"two of the last three {grain}s close to the {side} process limit")
    return "; ".join(parts) + f", {SPECIAL_WORDS[result.variation]}"


def _movement(name: str, good: str, unit: str, previous: float | None, value: float) -> str:
    now = format_value(value, unit)
    if previous is None or pd.isna(previous):
        return f"{name} was {now}"
    before = format_value(previous, unit)
    if before == now:
        return f"{name} was unchanged at {now}"
    if good not in ("higher", "lower"):  # "closest": the status beside it says which is better
        return f"{name} moved from {before} to {now}"
    better = (value > previous) == (good == "higher")
    return f"{name} {'improved' if better else 'worsened'} from {before} to {now}"


def _status(row: pd.Series, previous_rag: str | None) -> str:
    if row["rag"] == "grey" or pd.isna(row["target"]):
        return ""
    text = f" against a target of {format_value(row['target'], row['unit'])}: {RAG_WORDS[row['rag']].lower()}"
    if previous_rag not in (None, "grey", row["rag"]):
        text += f", changed from {RAG_WORDS[previous_rag].lower()}"
    return text


def draft_for(rows: pd.DataFrame, period: str) -> Draft | None:
    """The sentence for one KPI and area (``rows``: its history, any order), or None if nothing
    about it in ``period`` needs the board's attention."""
    order = sorted(rows["period"], key=parse_period)
    rows = rows.set_index("period").loc[order]
    rows = rows[rows["base"].ne(0).cummax()]  # the zeros before a service began are not figures
    if period not in rows.index or pd.isna(rows.loc[period, "value"]):
        return None
    current = rows.loc[period]
    before = parse_period(period).previous().label
    previous = rows.loc[before] if before in rows.index else None
    previous_rag = None if previous is None else previous["rag"]
    series = rows.iloc[: rows.index.get_loc(period) + 1]["value"].dropna()
    clause = None
    if len(series) >= 2:
        good = current["good"] if current["good"] in ("higher", "lower") else None
        target = None if pd.isna(current["target"]) else float(current["target"])
        clause = spc_clause(spc.xmr(series.tolist(), good=good, target=target),
                            parse_period(period).grain)
    changed = previous_rag not in (None, "grey") and current["rag"] not in ("grey", previous_rag)
    if current["rag"] not in WATCHED_RAG and not changed and clause is None:
        return None
    district = None if pd.isna(current["district"]) else str(current["district"])
    text = (("" if district is None else f"{district}: ")
            + _movement(current["name"], current["good"], current["unit"],
                        None if previous is None else previous["value"], float(current["value"]))
            + _status(current, previous_rag) + ("" if clause is None else f"; {clause}") + ".")
    return Draft(kpi=str(current["kpi"]), district=district, period=period, text=text)


def draft_sentences(history: pd.DataFrame, period: str) -> list[Draft]:
    """Drafts for every KPI and area in ``history`` (``kpi_history`` rows by district, up to
    ``period``): the programme first, then districts by name, KPIs in the order given."""
    label = parse_period(period).label
    history = history.assign(_area=history["district"].fillna(""))
    kpis = {kpi: n for n, kpi in enumerate(dict.fromkeys(history["kpi"]))}
    groups = history.groupby(["_area", "kpi"], sort=False)
    drafts = []
    # "" (the programme) sorts first, then districts by name; KPIs in the order given.
    for area, kpi in sorted(groups.groups, key=lambda key: (key[0], kpis[key[1]])):
        draft = draft_for(groups.get_group((area, kpi)).drop(columns="_area"), label)
        if draft is not None:
            drafts.append(draft)
    return drafts


@cached_query
def period_drafts(engine: Engine, programme: str, period: str, periods_back: int,
                  kpi_ids: tuple[str, ...], districts: tuple[str, ...] | None) -> list[Draft]:
    """The drafts for a period from its KPI history by district, cached like a query: working them
    out (an SPC chart per KPI and area) costs more than reading the figures."""
    history = history_table(engine, programme, period, periods_back, kpi_ids, districts,
                            by_district=True)
    if districts is not None:  # its "programme" rows are those districts combined: no area
        history = history[history["district"].notna()]
    return draft_sentences(history, period)
