"""District comparison: every KPI by district against the programme, and a funnel plot so small
districts are not judged on noise."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access.public_figures import footnote, suppressed_mask
from dashboard.figures import charts, funnel
from dashboard.figures.format import format_value
from dashboard.figures.style import RAG_SYMBOLS, RAG_WORDS, rag_legend
from dashboard.queries.board import kpi_history
from dashboard.queries.registry import KPI_IDS, get_kpi
from dashboard.ui.components import chart, data_table, empty_state, how_measured, page_header
from dashboard.ui.filters import Filters, current_filters
from dashboard.ui.meeting_components import commentary_panel

FUNNEL_KPIS = {"dfg_within_20_weeks": "proportion", "dfg_drop_out_rate": "proportion",
               "complaints_per_100_cases": "rate"}
VOLUME_LABEL = {"dfg_within_20_weeks": "Grants completed (with an application date)",
                "dfg_drop_out_rate": "Grants completed or withdrawn",
                "complaints_per_100_cases": "Cases completed"}


PROGRAMME = "Programme (all selected)"
GROUPS = (("Cases", ("cases_", "avg_days_", "open_cases", "complaints_")),
          ("DFG", ("dfg_",)), ("Satisfaction", ("satisfaction_",)), ("Finance", ()))
FINANCE = ("dfg_average_cost", "dfg_spend_vs_allocation", "budget_variance")
GROUP_SIZE = 5  # KPI columns beside the area that fit a 1366 px laptop without scrolling
BY_GROUP, ONE_KPI = "A group of KPIs", "One KPI, districts as rows (suits a phone)"


def kpi_groups(kpi_ids: list[str]) -> dict[str, list[str]]:
    """The KPIs in groups of at most ``GROUP_SIZE``, in registry order: Cases, DFG, Satisfaction,
    Finance (money KPIs), then any other; a larger group is split evenly into numbered parts."""
    named: dict[str, list[str]] = {name: [] for name, _ in GROUPS}
    named["Other"] = []
    for kpi_id in kpi_ids:
        group = "Finance" if kpi_id in FINANCE else next(
            (name for name, prefixes in GROUPS if kpi_id.startswith(prefixes) and prefixes),
            "Other")
        named[group].append(kpi_id)
    groups: dict[str, list[str]] = {}
    for name, members in named.items():
        parts = -(-len(members) // GROUP_SIZE)
        for part in range(parts):
            size = -(-len(members) // parts)
            groups[name if parts == 1 else f"{name} ({part + 1} of {parts})"] = \
                members[part * size:(part + 1) * size]
    return groups


def _show_league(table: pd.DataFrame) -> None:
    cells = table.assign(
        area=table["district"].fillna(PROGRAMME),
        cell=[format_value(v, u, suppressed=True) if s else f"{format_value(v, u)} {RAG_SYMBOLS[r]}"
              for v, u, r, s in zip(table["value"], table["unit"], table["rag"],
                                    suppressed_mask(table), strict=True)],
    )
    league = cells.pivot(index="area", columns="name", values="cell")
    kpi_ids = [k for k in KPI_IDS if get_kpi(k).name in league.columns]
    league = league[[get_kpi(k).name for k in kpi_ids]].rename_axis(index="Area", columns=None)
    league = pd.concat([league.loc[[PROGRAMME]], league.drop(index=PROGRAMME)])  # programme first
    st.subheader("League table")
    st.caption(f"Each figure is followed by its status: {rag_legend()}. The programme row "
               "combines the districts shown. The Excel download has every KPI.")
    withheld = suppressed_mask(cells)  # long, numbers as numbers: a withheld figure is empty
    tidy = cells.assign(withheld=withheld, districts=cells["district"].notna(),
                        order=cells["kpi"].map({k: i for i, k in enumerate(KPI_IDS)}))
    tidy = tidy.sort_values(["districts", "area", "order"])
    export = pd.DataFrame({"Area": tidy["area"], "KPI": tidy["name"],
                           "Value": tidy["value"].mask(tidy["withheld"]), "Unit": tidy["unit"],
                           "Status": tidy["rag"].map(RAG_WORDS).mask(tidy["withheld"], "Withheld")})
    view = st.radio("Show", (BY_GROUP, ONE_KPI), horizontal=True, key="league_view")
    if view == ONE_KPI:
        names = [get_kpi(k).name for k in kpi_ids]
        name = st.selectbox("KPI", names, key="league_kpi")
        shown = league[[name]]
        config = {"Area": st.column_config.TextColumn("Area", width="medium")}
    else:
        groups = kpi_groups(kpi_ids)
        group = st.radio("KPIs", list(groups), horizontal=True, key="league_group")
        shown = league[[get_kpi(k).name for k in groups[group]]]
        # Fixed widths, so the chosen group fits a laptop; a long name is truncated in the
        # heading, and shown whole when the heading is pointed at.
        config = {"Area": st.column_config.TextColumn("Area", width=170),
                  **{name: st.column_config.TextColumn(name, width=140, help=name)
                     for name in shown.columns}}
    data_table(shown, hide_index=False, title="League table", export=export,
               units={"Value": list(tidy["unit"])}, column_config=config)


def _show_funnel(table: pd.DataFrame) -> None:
    st.subheader("Funnel plot")
    names = {get_kpi(k).name: k for k in FUNNEL_KPIS}
    kpi_id = names[st.selectbox("Rate to compare", list(names), key="funnel_kpi")]
    rows = table[table["kpi"] == kpi_id]
    # Public view: bases are the rounded ones and suppressed districts (value and base NaN) drop out.
    districts = rows[rows["district"].notna() & (rows["base"] > 0)].dropna(subset=["value"])
    left_out = rows[suppressed_mask(rows) & rows["district"].notna()]["district"].tolist()
    centre = rows[rows["district"].isna()]["value"].iloc[0]
    if districts.empty or pd.isna(centre):
        empty_state("rates to compare")
        return
    kind = FUNNEL_KPIS[kpi_id]
    kpi = get_kpi(kpi_id)
    curve = funnel.limit_curve(centre, districts["base"].max(), kind)
    fig = charts.funnel_chart(districts, "base", "value", "district", centre, curve,
                              f"{kpi.name} by district against volume", VOLUME_LABEL[kpi_id],
                              kpi.name, kpi.unit)
    placed = districts.assign(position=[funnel.position(v, n, centre, kind) for v, n in
                                        zip(districts["value"], districts["base"], strict=True)])
    outside = placed[placed["position"] != "within the expected range"]["district"].tolist()
    summary = (f"Programme average {format_value(centre, kpi.unit)}. "
               + (f"Outside the 95% limits: {', '.join(outside)}." if outside
                  else "Every district is within the range expected by chance.")
               + (f" Not shown, as their figures are withheld: {', '.join(left_out)}." if left_out
                  else ""))
    shown = pd.DataFrame({"District": placed["district"], "Volume": placed["base"].astype(int),
                          kpi.name: [format_value(v, kpi.unit) for v in placed["value"]],
                          "Position": placed["position"]})
    chart(fig, summary, shown, "funnel")


def render(filters: Filters) -> None:
    page_header("District comparison", filters)
    table = kpi_history(filters.programme, filters.period.label, 0, KPI_IDS, filters.districts,
                        by_district=True, public=filters.public)
    if (table["base"] == 0).all():  # a suppressed base (NaN) is a figure withheld, not none
        empty_state("figures")
        return
    _show_league(table)
    if filters.public:
        st.caption(f"\\* {footnote()}")
    _show_funnel(table)
    if not filters.public:
        areas = [None, *sorted(table["district"].dropna().unique())]
        commentary_panel(filters, KPI_IDS, areas, "districts_comment")
    how_measured(FUNNEL_KPIS)


render(current_filters())
