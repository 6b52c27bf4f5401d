"""The board pack's contents: the sections a programme board reads each month, in its order.

Every figure comes from ``dashboard.packs.figures`` (frozen for an issued meeting), the finance and
DFG queries, and the meeting cycle (what changed, commentary, actions), and every chart from
``dashboard.figures.charts``: the pages' own sources, so the paper and the screen cannot disagree.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import Engine

from dashboard.figures import charts, funnel
from dashboard.figures.format import format_change, format_date, format_money, format_value
from dashboard.figures.periods import parse_period
from dashboard.figures.style import RAG_SYMBOLS, RAG_WORDS, rag_legend
from dashboard.meetings.actions import actions_frame
from dashboard.meetings.changes import what_changed
from dashboard.meetings.commentary import latest_commentary
from dashboard.meetings.meetings import MeetingError, get_meeting
from dashboard.meetings.snapshots import snapshot_documents
from dashboard.packs.families import FAMILY_PACKS
from dashboard.packs.figures import district_rows, pack_figures, programme_rows
from dashboard.packs.pack import Pack, Section, definitions_table
from dashboard.packs.providers import provider_section, with_providers
from dashboard.packs.tables import PackChart, PackTable
from dashboard.queries import dfg, finance
from dashboard.queries.board import HEADLINE_KPIS
from dashboard.queries.mdc import summarise
from dashboard.queries.programmes import data_as_at, programme_family_of
from dashboard.queries.registry import GOOD_WORDS, KPI_IDS, get_kpi

SECTIONS = (
    Section("changes", "What has changed since the last meeting"),
    Section("mdc", "Making Data Count summary"),
    Section("headlines", "Headline KPIs"),
    Section("districts", "District comparison"),
    Section("dfg", "Disabled Facilities Grants against the 20-week target"),
    Section("finance", "Finance"),
    Section("actions", "Actions"),
    Section("definitions", "Appendix: KPI definitions"),
)
LEAGUE_GROUPS = (
    ("Cases", ("cases_completed", "avg_days_to_complete", "open_cases",
               "complaints_per_100_cases", "satisfaction_overall")),
    ("Disabled Facilities Grants", ("dfg_days_application_to_completion", "dfg_within_20_weeks",
                                    "dfg_average_cost", "dfg_spend_vs_allocation", "budget_variance")),
)
DFG_KPIS = ("dfg_within_20_weeks", "dfg_days_application_to_completion", "dfg_end_to_end_days",
            "dfg_average_cost")
FUNNEL_KPI = "dfg_within_20_weeks"


def _status(rag: str) -> str:
    return RAG_WORDS[rag]


def _comments(engine: Engine, programme: str, period: str, meeting: dict | None,
              names: dict[int, str]) -> list[dict]:
    """The latest comment per KPI and area for the period, as issued or as it stands now."""
    if meeting is not None and meeting["status"] == "issued":
        rows = [c for c in snapshot_documents(meeting["id"], engine)["commentary"] if c["period"] == period]
        for row in rows:
            row["district"] = names.get(int(row["area"])) if row["area"] else None
            row["written_at"] = datetime.fromisoformat(row["written_at"]).date()
        return rows
    frame = latest_commentary(programme, (period,), engine)
    frame = frame.astype(object).where(frame.notna(), None)  # a missing district or action is None
    return [{**row, "written_at": pd.Timestamp(row["written_at"]).date()}
            for row in frame.to_dict("records")]


def _comment_items(comments: list[dict], kpi: str | None = None) -> list[dict]:
    """Comments as the template shows them; ``kpi`` None: every KPI's, named with its area."""
    return [{"reason": c["reason"], "recommended_action": c["recommended_action"] or "",
             "author": c["author"], "date": format_date(c["written_at"]),
             "area": (c["district"] or "Programme") if kpi else
             f"{get_kpi(c['kpi']).name}, {c['district'] or 'Programme'}"}
            for c in comments if kpi is None or c["kpi"] == kpi]


def _trend(rows: pd.DataFrame, period: str) -> PackChart | None:
    rows = rows[rows["base"].ne(0).cummax()].dropna(subset=["value"])  # from the service's start
    if len(rows) < 2:
        return None
    first = rows.iloc[-1]
    labels = rows.assign(label=[parse_period(p).short_label for p in rows["period"]])
    target = None if pd.isna(first["target"]) else float(first["target"])
    fig = charts.line_chart(labels, "label", "value", f"{first['name']}: last {len(rows)} periods",
                            charts.unit_axis_title(first["name"], first["unit"]), first["unit"],
                            target=target)
    start, end = rows.iloc[0], rows.iloc[-1]
    caption = (f"{format_value(start['value'], start['unit'])} in {parse_period(start['period']).short_label}"
               f" to {format_value(end['value'], end['unit'])} in {parse_period(period).short_label}.")
    return PackChart(fig, alt=f"Line chart of {first['name']} by period. {caption}", caption=caption,
                     height=230)


def _headlines(figures: pd.DataFrame, period: str, comments: list[dict]) -> list[dict]:
    programme = programme_rows(figures)
    previous = parse_period(period).previous().label
    out = []
    for kpi in HEADLINE_KPIS:
        rows = programme[programme["kpi"] == kpi].assign(
            order=lambda f: f["period"].map(parse_period)).sort_values("order")
        now = rows[rows["period"] == period]
        if now.empty:
            continue
        row = now.iloc[0]
        before = rows[rows["period"] == previous]["value"]
        change = row["value"] - before.iloc[0] if len(before) and pd.notna(before.iloc[0]) else None
        out.append({
            "id": kpi, "name": row["name"], "value": format_value(row["value"], row["unit"]),
            "target": format_value(row["target"], row["unit"]), "rag": row["rag"],
            "status": _status(row["rag"]), "change": format_change(change, row["unit"]) or "–",
            "good": row["good"], "chart": _trend(rows, period),
            "comments": _comment_items([c for c in comments if c["district"] is None], kpi),
        })
    return out


def _every_kpi(figures: pd.DataFrame, period: str) -> PackTable:
    """Every KPI of the programme for the period, in the registry's order: the headline tiles
    show ten, and the board must see the rest too (DFG end-to-end time, drop-out, each survey
    theme) beside the definitions in the appendix."""
    programme = programme_rows(figures)
    now = programme[programme["period"] == period].set_index("kpi")
    before = programme[programme["period"] == parse_period(period).previous().label].set_index("kpi")
    rows = [now.loc[k] for k in KPI_IDS if k in now.index]
    frame = pd.DataFrame({
        "KPI": [r["name"] for r in rows],
        "This period": [format_value(r["value"], r["unit"]) for r in rows],
        "Previous period": [format_value(before["value"].get(r.name), r["unit"]) for r in rows],
        "Target": [format_value(r["target"], r["unit"]) for r in rows],
        "Better when": [GOOD_WORDS[r["good"]] for r in rows],
        "Status": [_status(r["rag"]) for r in rows]})
    return PackTable("Every KPI for the period", frame,
                     caption="Whole programme. Definitions in the appendix.")


def _mdc(figures: pd.DataFrame, period: str) -> PackTable:
    programme = programme_rows(figures)
    table = summarise(programme[programme["kpi"].isin(HEADLINE_KPIS)], period)
    table = table.set_index("kpi").loc[[k for k in HEADLINE_KPIS if k in set(table["kpi"])]]
    frame = pd.DataFrame({
        "KPI": table["name"],
        "Latest": [format_value(v, u) for v, u in zip(table["value"], table["unit"], strict=True)],
        "Target": [format_value(v, u) for v, u in zip(table["target"], table["unit"], strict=True)],
        "Status": table["rag"].map(_status), "Variation": table["variation"],
        "Assurance": table["assurance"]}).reset_index(drop=True)
    return PackTable("Making Data Count summary", frame,
                     caption="Variation and assurance from each KPI's XmR chart over the periods shown.")


def _league(figures: pd.DataFrame, period: str) -> list[PackTable]:
    rows = figures[figures["period"] == period]
    tables = []
    for title, kpis in LEAGUE_GROUPS:
        chosen = rows[rows["kpi"].isin(kpis)]
        areas = ["Programme", *sorted(chosen["district"].dropna().unique())]
        frame = pd.DataFrame({"Area": areas})
        for kpi in kpis:
            kpi_rows = chosen[chosen["kpi"] == kpi]
            if kpi_rows.empty:
                continue
            by_area = {("Programme" if pd.isna(d) else d): (v, u, r) for d, v, u, r in zip(
                kpi_rows["district"], kpi_rows["value"], kpi_rows["unit"], kpi_rows["rag"], strict=True)}
            name = kpi_rows["name"].iloc[0]
            frame[name] = [f"{format_value(by_area[a][0], by_area[a][1])} {RAG_SYMBOLS[by_area[a][2]]}"
                           if a in by_area else "–" for a in areas]
        tables.append(PackTable(f"League table: {title.lower()}", frame,
                                caption=f"Each figure is followed by its status: {rag_legend()}."))
    return tables


def _funnel(figures: pd.DataFrame, period: str) -> PackChart | None:
    rows = figures[(figures["kpi"] == FUNNEL_KPI) & (figures["period"] == period)]
    places = rows[rows["district"].notna() & (rows["base"] > 0)].dropna(subset=["value"])
    centre = rows[rows["area"] == 0]["value"]
    if places.empty or centre.empty or pd.isna(centre.iloc[0]):
        return None
    centre_value = float(centre.iloc[0])
    curve = funnel.limit_curve(centre_value, places["base"].max(), "proportion")
    name = places["name"].iloc[0]
    fig = charts.funnel_chart(places, "base", "value", "district", centre_value, curve,
                              f"{name} by district against volume", "Grants completed", name, "%")
    outside = [d for d, v, n in zip(places["district"], places["value"], places["base"], strict=True)
               if funnel.position(v, n, centre_value, "proportion") != "within the expected range"]
    caption = (f"Programme average {format_value(centre_value, '%')}. "
               + (f"Outside the 95% limits: {', '.join(outside)}." if outside
                  else "Every district is within the range expected by chance."))
    return PackChart(fig, alt=f"Funnel plot of {name} by district. {caption}", caption=caption,
                     height=380)


def _dfg(figures: pd.DataFrame, period: str) -> dict:
    rows = district_rows(figures, period)
    rows = rows[rows["kpi"].isin(DFG_KPIS)]
    if rows.empty:
        return {"table": None, "chart": None, "summary": "No grants were completed in the period."}
    wide = rows.pivot(index="district", columns="kpi", values="value")
    base = rows[rows["kpi"] == "dfg_within_20_weeks"].set_index("district")["base"]
    rag = rows[rows["kpi"] == "dfg_within_20_weeks"].set_index("district")["rag"]
    frame = pd.DataFrame({
        "District": wide.index, "Grants completed": base.reindex(wide.index).to_numpy(),
        "% within 20 weeks": wide.get("dfg_within_20_weeks"),
        "Status": rag.reindex(wide.index).map(_status).to_numpy(),
        "Application to completion": wide.get("dfg_days_application_to_completion"),
        "Enquiry to completion": wide.get("dfg_end_to_end_days"),
        "Average grant": wide.get("dfg_average_cost")}).reset_index(drop=True)
    table = PackTable("DFG delivery by district", frame, {
        "Grants completed": "count", "% within 20 weeks": "%", "Application to completion": "days",
        "Enquiry to completion": "days", "Average grant": "£"})
    share = rows[rows["kpi"] == "dfg_within_20_weeks"].dropna(subset=["value"])
    met = int((share["rag"] == "green").sum())
    summary = f"{met} of {len(share)} districts met the 20-week target in {parse_period(period).long_label}."
    chart = None
    if not share.empty:
        target = share["target"].dropna()
        fig = charts.bar_chart(share, "district", "value", "Grants completed within 20 weeks, by district",
                               "Within 20 weeks", "%", target=None if target.empty else float(target.iloc[0]),
                               rag="rag", horizontal=True)
        chart = PackChart(fig, alt=f"Bar chart of the share of grants completed within 20 weeks by "
                          f"district. {summary}", caption=summary, height=320)
    return {"table": table, "chart": chart, "summary": summary}


def _forecast_sentence(forecast: pd.DataFrame, period: str) -> str:
    total = forecast[forecast["district"].isna()].iloc[0]
    if pd.isna(total["allocation"]):
        return "No DFG allocation has been loaded for this financial year."
    gap = total["forecast_gap"]
    head = (f"At the rate of spend to the end of {parse_period(period).long_label} "
            f"({format_money(total['spend_to_date'])} in {int(total['months'])} months), the programme "
            f"would spend {format_money(total['forecast'])} of its {format_money(total['allocation'])} "
            "allocation by 31 March")
    if gap < 0:
        return head + f": a likely underspend of {format_money(-gap)}."
    return head + f": {format_money(gap)} more than the allocation."


def _finance(engine: Engine, programme: str, period: str, comments: list[dict]) -> dict:
    position = finance.finance_position.__wrapped__(engine, programme, period)
    forecast = dfg.year_end_forecast(engine, programme, period)
    forecast_table = PackTable("DFG spend forecast to the year end", pd.DataFrame({
        "Area": forecast["district"].fillna("Programme"), "Spend to date": forecast["spend_to_date"],
        "Forecast for the year": forecast["forecast"], "Allocation": forecast["allocation"],
        "Forecast less allocation": forecast["forecast_gap"]}),
        {"Spend to date": "£", "Forecast for the year": "£", "Allocation": "£",
         "Forecast less allocation": "£"},
        caption="Straight line: spend to date × 12 ÷ months elapsed. A negative figure is a likely "
                "underspend.")
    out = {"totals": None, "reconciliation": "No budget monitoring returns for this financial year.",
           "reasons": _comment_items(comments, "budget_variance"), "lines": None,
           "forecast": forecast_table, "forecast_sentence": _forecast_sentence(forecast, period)}
    if position.empty or not position["budget_to_date"].any():
        return out
    lines = finance.adverse_first(position)
    out["lines"] = PackTable("Variances by partner and cost line", pd.DataFrame({
        "Partner": lines["partner"], "Cost line": lines["cost_line"],
        "Budget to date": lines["budget_to_date"], "Actual to date": lines["actual_to_date"],
        "Variance": lines["variance"], "Variance %": lines["variance_pct"], "Status": lines["status"],
        "Forecast outturn": lines["forecast"]}),
        {"Budget to date": "£", "Actual to date": "£", "Variance": "£", "Variance %": "%",
         "Forecast outturn": "£"},
        caption="Largest adverse variance first; a positive variance is adverse.")
    totals = finance.position_totals(position)
    out["totals"] = PackTable("Financial position to date, net of income", pd.DataFrame({
        "Net budget to date": [totals["budget_to_date"]],
        "Net actual to date": [totals["actual_to_date"]],
        "Variance (actual − budget, adverse +)": [totals["variance"]],
        "Variance %": [totals["variance_pct"]],
        "Net annual budget": [totals["annual_budget"]], "Forecast outturn": [totals["forecast"]]}),
        {"Net budget to date": "£", "Net actual to date": "£",
         "Variance (actual − budget, adverse +)": "£", "Variance %": "%", "Net annual budget": "£",
         "Forecast outturn": "£"},
        caption=finance.income_sentence(totals))
    out["reconciliation"] = finance.reconciliation(position)
    return out


def _actions(engine: Engine, programme: str, meeting: dict | None, today: date,
             since: datetime | None) -> dict:
    if meeting is not None and meeting["status"] == "issued":
        frame = pd.DataFrame(snapshot_documents(meeting["id"], engine)["actions"])
        if not frame.empty:
            frame["due_date"] = frame["due_date"].map(date.fromisoformat)
            frame["done_at"] = frame["done_at"].map(lambda v: datetime.fromisoformat(v) if v else None)
            frame["overdue"] = (frame["status"] == "open") & (frame["due_date"] < today)
    else:
        frame = actions_frame(programme, today, engine=engine)
    if frame.empty:
        return {"open": None, "overdue": None, "done": None, "counts": (0, 0, 0)}

    def table(rows: pd.DataFrame, title: str) -> PackTable | None:
        if rows.empty:
            return None
        return PackTable(title, pd.DataFrame({
            "Action": rows["id"].astype(int).astype(str), "What is to be done": rows["description"],
            "Owner": rows["owner"], "Due": rows["due_date"]}), {"Due": "date"})

    overdue = frame[frame["overdue"]]
    still_open = frame[(frame["status"] == "open") & ~frame["overdue"]]
    done = frame[frame["status"] == "done"]
    if since is not None:
        done = done[[d is not None and pd.Timestamp(d) > pd.Timestamp(since) for d in done["done_at"]]]
    return {"open": table(still_open, "Open actions"), "overdue": table(overdue, "Overdue actions"),
            "done": table(done, "Actions done since the last meeting"),
            "counts": (len(still_open), len(overdue), len(done))}


def _previous_issue(engine: Engine, programme: str, meeting: dict | None) -> datetime | None:
    if meeting is None:
        return None
    changes = what_changed(programme, meeting["id"], engine)
    return None if changes.previous_id is None else get_meeting(changes.previous_id, engine)["issued_at"]


def board_pack(engine: Engine, programme: str, period: str | None = None, meeting_id: int | None = None,
               today: date | None = None) -> Pack:
    """The board pack for a meeting (its period; frozen figures once issued) or for a period."""
    meeting = None
    if meeting_id is not None:
        meeting = get_meeting(meeting_id, engine)
        if meeting["programme"] != programme:
            raise MeetingError(f"Meeting {meeting_id} is not a meeting of {programme}.")
        period = meeting["period"]
    if period is None:
        raise ValueError("Choose a meeting or a period for the pack.")
    period = parse_period(period).label
    # A meeting's papers are as at the meeting: overdue, open and done actions counted on its day.
    today = meeting["meeting_date"] if meeting is not None else (today or date.today())
    family = programme_family_of(engine, programme)
    if family in FAMILY_PACKS:
        actions = _actions(engine, programme, meeting, today, _previous_issue(engine, programme, meeting))
        comments = _comment_items(_comments(engine, programme, period, meeting, {}))
        return FAMILY_PACKS[family]("board", engine, programme, period, meeting, today, comments, actions)
    figures = pack_figures(engine, programme, period, meeting)
    names = {int(a): d for a, d in zip(figures["area"], figures["district"], strict=True) if a}
    comments = _comments(engine, programme, period, meeting, names)
    changes = what_changed(programme, meeting["id"], engine, today) if meeting else None
    context = {
        "changes": changes.sentences() if changes else [],
        "changes_note": ("There is no earlier issued meeting of this kind to compare with."
                         if changes is None or changes.previous_id is None else ""),
        "mdc": _mdc(figures, period),
        "headlines": _headlines(figures, period, comments),
        "every_kpi": _every_kpi(figures, period),
        "league": _league(figures, period),
        "funnel": _funnel(figures, period),
        "dfg": _dfg(figures, period),
        "finance": _finance(engine, programme, period, comments),
        "actions": _actions(engine, programme, meeting, today, _previous_issue(engine, programme, meeting)),
        "definitions": definitions_table(),
        "district_comments": _comment_items([c for c in comments if c["district"] is not None]),
        "providers": provider_section(engine, programme, parse_period(period), today),
    }
    return Pack.make("board", programme, period, meeting, data_as_at(engine, programme, today), today,
                     with_providers(SECTIONS, context["providers"], before="definitions"), context)
