"""District comparison: every KPI by district against the programme, and a funnel plot so small
districts are not judged on noise."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, funnel
from dashboard.access.public_figures import footnote, suppressed_mask
from dashboard.components import chart, data_table, empty_state, how_measured, page_header
from dashboard.filters import Filters, current_filters
from dashboard.format import format_value
from dashboard.meeting_components import commentary_panel
from dashboard.queries.board import kpi_history
from dashboard.queries.registry import KPI_IDS, get_kpi
from dashboard.style import RAG_SYMBOLS, RAG_WORDS

FUNNEL_KPIS = {"dfg_within_20_weeks": "proportion", "dfg_drop_out_rate": "proportion",
               "complaints_per_100_cases": "rate"}
VOLUME_LABEL = {"dfg_within_20_weeks": "Grants completed (with an application date)",
                "dfg_drop_out_rate": "Grants completed or withdrawn",
                "complaints_per_100_cases": "Cases completed"}


def _show_league(table: pd.DataFrame) -> None:
    cells = table.assign(
        area=table["district"].fillna("Programme (all selected)"),
        cell=[format_value(v, u, suppressed=True) if s else f"{format_value(v, u)} {RAG_SYMBOLS[r]}"
              for v, u, r, s in zip(table["value"], table["unit"], table["rag"],
                                    suppressed_mask(table), strict=True)],
    )
    league = cells.pivot(index="area", columns="name", values="cell")
    order = [get_kpi(k).name for k in KPI_IDS if get_kpi(k).name in league.columns]
    league = league[order].rename_axis(index="Area", columns=None)
    programme = league.loc[["Programme (all selected)"]]
    st.subheader("League table")
    st.caption("Each figure is followed by its status: ✔ on target, ▲ close, ✖ off target, "
               "– no target or no data. The programme row combines the districts shown.")
    withheld = suppressed_mask(cells)  # long, numbers as numbers: a withheld figure is empty
    tidy = cells.assign(withheld=withheld, districts=cells["district"].notna(),
                        order=cells["kpi"].map({k: i for i, k in enumerate(KPI_IDS)}))
    tidy = tidy.sort_values(["districts", "area", "order"])
    export = pd.DataFrame({"Area": tidy["area"], "KPI": tidy["name"],
                           "Value": tidy["value"].mask(tidy["withheld"]), "Unit": tidy["unit"],
                           "Status": tidy["rag"].map(RAG_WORDS).mask(tidy["withheld"], "Withheld")})
    data_table(pd.concat([programme, league.drop(index=programme.index)]), hide_index=False,
               title="League table", export=export, units={"Value": list(tidy["unit"])})


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
