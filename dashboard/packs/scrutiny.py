"""The scrutiny pack's contents: the committee's questions as headings, answered with figures since
the service began, the districts side by side, and consented case studies.

It is a public document: every KPI figure passes the public-figures rules inside ``kpi_history``
(the path the public view uses), district figures are never shown as exact small counts, and case
studies are consented and screened, with months rather than days and no case reference.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from dashboard.access.public_figures import footnote, suppressed_mask
from dashboard.figures import charts, funnel
from dashboard.figures.format import format_month, format_value
from dashboard.figures.periods import Period, fy_label, parse_period, period_of_ym
from dashboard.figures.style import RAG_SYMBOLS, RAG_WORDS, rag_legend
from dashboard.packs.families import FAMILY_PACKS
from dashboard.packs.pack import Pack, Section, definitions_table
from dashboard.packs.providers import provider_section, with_providers
from dashboard.packs.tables import PackChart, PackTable
from dashboard.queries import case_studies, dfg
from dashboard.queries.board import kpi_history
from dashboard.queries.programmes import data_as_at, month_range, programme_family_of
from dashboard.queries.published import public_programme_to_date
from dashboard.queries.ratios import percent_of
from dashboard.queries.registry import get_kpi

SECTIONS = (
    Section("success", "What does success look like?"),
    Section("before", "How does the service compare with before?"),
    Section("others", "How do the districts compare with each other?"),
    Section("money", "What happens once the money is spent?"),
    Section("about", "About these figures"),
)
SUCCESS_KPIS = ("avg_days_to_complete", "dfg_days_application_to_completion", "dfg_within_20_weeks",
                "dfg_end_to_end_days", "satisfaction_overall", "complaints_per_100_cases")
DISTRICT_KPIS = ("cases_completed", "avg_days_to_complete", "dfg_within_20_weeks",
                 "dfg_days_application_to_completion", "satisfaction_overall")
TREND_KPIS = ("avg_days_to_complete", "dfg_days_application_to_completion")
OUTCOME_KPIS = ("satisfaction_overall", "dfg_average_cost", "dfg_drop_out_rate")
CASE_STUDIES = 4
_history = kpi_history.__wrapped__  # the uncached query: the pack names its own database


def _public(engine: Engine, programme: str, period: Period, back: int, kpis: tuple[str, ...],
            by_district: bool = False) -> pd.DataFrame:
    return _history(engine, programme, period.label, back, kpis, None, by_district, True)


def _cell(row: pd.Series) -> str:
    hidden = bool(row.get("suppressed", False))
    text = format_value(row["value"], row["unit"], suppressed=hidden)
    return text if hidden else f"{text} {RAG_SYMBOLS[row['rag']]}"


def _success(engine: Engine, programme: str, period: Period) -> PackTable:
    rows = _public(engine, programme, period, 0, SUCCESS_KPIS)
    rows = rows.set_index("kpi").loc[list(SUCCESS_KPIS)]
    return PackTable("What success looks like", pd.DataFrame({
        "Measure": rows["name"],
        "Success is": [_aim(get_kpi(k)) for k in rows.index],
        f"{period.short_label}": [format_value(v, u, suppressed=bool(s)) for v, u, s in
                                  zip(rows["value"], rows["unit"], rows["suppressed"], strict=True)],
        "Status": [("Withheld" if s else RAG_WORDS[r]) for r, s in
                   zip(rows["rag"], rows["suppressed"], strict=True)]}).reset_index(drop=True))


def _aim(kpi: object) -> str:
    if kpi.default_target is None:  # type: ignore[attr-defined]
        return f"{kpi.good.capitalize()} is better"  # type: ignore[attr-defined]
    if kpi.good == "closest":  # type: ignore[attr-defined]
        return (f"within {format_value(kpi.default_tolerance / 2, 'count')} points of "  # type: ignore[attr-defined]
                f"{format_value(kpi.default_target, kpi.unit)}")  # type: ignore[attr-defined]
    word = "at most" if kpi.good == "lower" else "at least"  # type: ignore[attr-defined]
    return f"{word} {format_value(kpi.default_target, kpi.unit)}"  # type: ignore[attr-defined]


def _years(engine: Engine, programme: str, period: Period, today: date) -> list[Period]:
    span = month_range(engine, programme, today)
    first = period_of_ym(span[0], "year") if span else Period(period.fy, "year")
    return [Period(fy, "year") for fy in range(first.fy, period.fy + 1)]


def _last_quarter(period: Period) -> Period:
    """The last quarter that has ended by the end of ``period`` (a month part way through a
    quarter must not bring in the rest of it)."""
    done = period.last_fy_month // 3
    return Period(period.fy, "quarter", done) if done else Period(period.fy - 1, "quarter", 4)


def _before(engine: Engine, programme: str, period: Period, today: date) -> dict:
    years = _years(engine, programme, period, today)
    wide = {"Measure": [get_kpi(k).name for k in SUCCESS_KPIS]}
    past = (_public(engine, programme, years[-2], len(years) - 2, SUCCESS_KPIS) if len(years) > 1
            else None)  # every whole year before this one, in one read
    tables = [(year, past[past["period"] == year.label]) for year in years[:-1]]
    to_date = period.year_to_date()  # never past the period's end, however much is loaded
    tables.append((to_date, public_programme_to_date(engine, programme, period, SUCCESS_KPIS)))
    for year, table in tables:
        rows = table.set_index("kpi")
        wide[fy_label(year.fy) + (" (to date)" if year.index else "")] = [
            format_value(rows.loc[k, "value"], rows.loc[k, "unit"], bool(rows.loc[k, "suppressed"]))
            for k in SUCCESS_KPIS]
    quarters = _last_quarter(period)
    back = 4 * (quarters.fy - years[0].fy) + quarters.index - 1
    trend = _public(engine, programme, quarters, back, TREND_KPIS).dropna(subset=["value"])
    chart_list = []
    for kpi in TREND_KPIS:
        rows = trend[trend["kpi"] == kpi]
        if len(rows) < 2:
            continue
        rows = rows.assign(label=[parse_period(p).short_label for p in rows["period"]])
        target = rows["target"].dropna()
        name = rows["name"].iloc[0]
        fig = charts.line_chart(rows, "label", "value", f"{name}, by quarter since the service began",
                                charts.unit_axis_title(name, "days"), "days",
                                target=None if target.empty else float(target.iloc[-1]), x_title="Quarter")
        caption = (f"{format_value(rows['value'].iloc[0], 'days')} in {rows['label'].iloc[0]}; "
                   f"{format_value(rows['value'].iloc[-1], 'days')} in {rows['label'].iloc[-1]}.")
        chart_list.append(PackChart(fig, alt=f"Line chart of {name} by quarter. {caption}",
                                    caption=caption, height=300))
    return {"table": PackTable("Since the service began, by financial year", pd.DataFrame(wide),
                               caption="Whole-programme figures; the latest year runs to the end of "
                                       f"{period.long_label}."),
            "charts": chart_list}


def _others(engine: Engine, programme: str, period: Period) -> dict:
    table = _public(engine, programme, period, 0, DISTRICT_KPIS, by_district=True)
    places = table[table["district"].notna()]
    wide = {"District": sorted(places["district"].unique())}
    for kpi in DISTRICT_KPIS:
        rows = places[places["kpi"] == kpi].set_index("district")
        wide[get_kpi(kpi).name] = [_cell(rows.loc[d]) for d in wide["District"]]
    rate = table[table["kpi"] == "dfg_within_20_weeks"]
    shown = rate[rate["district"].notna() & (rate["base"] > 0)].dropna(subset=["value"])
    centre = rate[rate["district"].isna()]["value"]
    chart = None
    if not shown.empty and len(centre) and pd.notna(centre.iloc[0]):
        centre_value = float(centre.iloc[0])
        curve = funnel.limit_curve(centre_value, shown["base"].max(), "proportion")
        name = get_kpi("dfg_within_20_weeks").name
        fig = charts.funnel_chart(shown, "base", "value", "district", centre_value, curve,
                                  f"{name} by district against volume", "Grants completed (rounded)",
                                  name, "%")
        left_out = rate[suppressed_mask(rate) & rate["district"].notna()]["district"].tolist()
        caption = (f"Programme average {format_value(centre_value, '%')}. Districts near the middle "
                   "line differ by no more than chance would explain."
                   + (f" Not shown, as their figures are withheld: {', '.join(left_out)}."
                      if left_out else ""))
        chart = PackChart(fig, alt=f"Funnel plot of {name} by district. {caption}", caption=caption,
                          height=380)
    return {"table": PackTable(f"Districts in {period.long_label}", pd.DataFrame(wide),
                               caption=f"{rag_legend()}; * withheld to protect privacy."),
            "chart": chart}


def _money(engine: Engine, programme: str, period: Period) -> dict:
    spend = dfg.spend_by_year.__wrapped__(engine, programme, period.last_ym)
    years = spend.groupby(["fy", "financial_year"], as_index=False)[["spend", "allocation"]].sum(min_count=1)
    years = years[years["fy"] <= period.fy]
    table = PackTable("Disabled Facilities Grant spend against allocation", pd.DataFrame({
        "Financial year": years["financial_year"], "Spend on completed grants": years["spend"],
        "Allocation": years["allocation"],
        "Spend as % of allocation": percent_of(years["spend"], years["allocation"])}),
        {"Spend on completed grants": "£", "Allocation": "£", "Spend as % of allocation": "%"},
        caption=f"Whole programme. The latest year is spend to the end of {period.long_label}, "
                "against the whole year's allocation.")
    outcomes = _public(engine, programme, period, 0, OUTCOME_KPIS).set_index("kpi").loc[list(OUTCOME_KPIS)]
    lines = [f"{row['name']}: {format_value(row['value'], row['unit'], bool(row['suppressed']))}"
             + ("" if pd.isna(row["target"])
                else f" against a target of {format_value(row['target'], row['unit'])}")
             for _, row in outcomes.iterrows()]
    return {"table": table, "outcomes": lines, "case_studies": _case_studies(engine, programme, period)}


def _case_studies(engine: Engine, programme: str, period: Period) -> list[dict]:
    """Consented and screened (``published_case_studies``), months only, no reference; those
    submitted by the end of the period, newest first."""
    found = case_studies.published_case_studies.__wrapped__(engine, programme, screened=True)
    found = found[[(_day(d) or date.max) <= period.end for d in found["date_submitted"]]]
    out = []
    for study in found.head(CASE_STUDIES).to_dict("records"):
        start, end = study["start_date"], study["end_date"]
        out.append({
            "title": study["title"], "district": study["district"],
            "when": (f"{format_month(_day(start))} to {format_month(_day(end)) if _day(end) else 'now'}"
                     if _day(start) else format_month(_day(study["date_submitted"]))),
            "parts": [(heading, study[column]) for column, heading in (
                ("main_issues", "Main issues"), ("actions_taken", "What was done"),
                ("benefits", "How it helped"), ("ongoing_support", "Ongoing support"))
                if isinstance(study[column], str) and study[column].strip()],
            "quote": (study["quote"] or "").strip('“”" ') if isinstance(study["quote"], str) else "",
        })
    return out


def _day(value: object) -> date | None:
    if value is None or (not isinstance(value, date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def scrutiny_pack(engine: Engine, programme: str, period: str, meeting: dict | None = None,
                  today: date | None = None) -> Pack:
    """The public scrutiny pack for ``period`` (a meeting supplies its title and date)."""
    today = today or date.today()
    chosen = parse_period(period)
    family = programme_family_of(engine, programme)
    if family in FAMILY_PACKS:
        return FAMILY_PACKS[family]("scrutiny", engine, programme, chosen.label, meeting, today)
    context = {
        "success": _success(engine, programme, chosen),
        "before": _before(engine, programme, chosen, today),
        "others": _others(engine, programme, chosen),
        "money": _money(engine, programme, chosen),
        "footnote": footnote(),
        "definitions": definitions_table(),
        "providers": provider_section(engine, programme, chosen, today),
    }
    return Pack.make("scrutiny", programme, chosen.label, meeting, data_as_at(engine, programme, today),
                     today, with_providers(SECTIONS, context["providers"], before="about"), context)
