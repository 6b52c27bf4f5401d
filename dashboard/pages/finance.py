"""Finance: the position to date by partner and cost line, the variances the board must explain,
the forecast outturn, and whether contributions still follow the capital shares."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.figures import charts
from dashboard.figures.format import format_change, format_money, format_value, with_money
from dashboard.figures.periods import fy_label
from dashboard.queries import finance
from dashboard.ui.components import chart, data_table, empty_state, how_measured, page_header
from dashboard.ui.filters import Filters, current_filters


def _show_headline(position: pd.DataFrame) -> None:
    totals = finance.position_totals(position)
    columns = st.columns(4)
    columns[0].metric("Net budget to date", format_money(totals["budget_to_date"]), border=True,
                      help="Spending budget less budgeted income")
    columns[1].metric("Net actual to date", format_money(totals["actual_to_date"]), border=True,
                      help="Spending less income received")
    columns[2].metric("Variance to date (actual − budget, adverse +)", format_money(totals["variance"]),
                      delta=format_change(totals["variance_pct"], "%", points=False),
                      delta_color="inverse", border=True, help="As a percentage of the net budget to date")
    columns[3].metric("Forecast outturn", format_money(totals["forecast"]),
                      delta=f"{format_money(totals['forecast_variance'])} against the budget",
                      delta_color="inverse", border=True,
                      help=f"Net annual budget {format_money(totals['annual_budget'])}")
    income = finance.income_sentence(totals)
    if income:
        st.markdown(income)
    st.markdown(finance.reconciliation(position))


def _show_lines(position: pd.DataFrame) -> None:
    st.subheader("Variances by partner and cost line")
    st.caption("Largest adverse variance first: the lines the board will want reasons for. Income "
               "lines count a shortfall as adverse.")
    lines = finance.adverse_first(position)
    export = pd.DataFrame({
        "Partner": lines["partner"], "Cost line": lines["cost_line"],
        "Budget to date": lines["budget_to_date"], "Actual to date": lines["actual_to_date"],
        "Variance": lines["variance"], "Variance %": lines["variance_pct"], "Status": lines["status"],
        "Annual budget": lines["annual_budget"], "Forecast outturn": lines["forecast"],
        "Forecast variance": lines["forecast_variance"],
    })
    money = ["Budget to date", "Actual to date", "Variance", "Annual budget", "Forecast outturn",
             "Forecast variance"]
    # On screen the columns the board reads, so the table fits a laptop; the download has them all.
    shown = export.drop(columns=["Annual budget", "Forecast outturn"])
    shown = with_money(shown, money).assign(
        **{"Variance %": [format_value(v, "%") for v in shown["Variance %"]]})
    data_table(shown, title="Variances by partner and line", export=export,
               units={**dict.fromkeys(money, "£"), "Variance %": "%"})


def _show_outturn(position: pd.DataFrame) -> None:
    partners = position.groupby("partner", as_index=False)[["annual_budget", "forecast"]].sum()
    long = partners.melt(id_vars="partner", var_name="measure", value_name="amount")
    long["measure"] = long["measure"].map({"annual_budget": "Annual budget",
                                           "forecast": "Forecast outturn"})
    fig = charts.grouped_bar_chart(long, "partner", "amount", "measure",
                                   "Forecast outturn against annual budget, by partner", "Amount", "£")
    gap = (partners["forecast"] - partners["annual_budget"]).abs().idxmax()
    summary = (f"Forecast outturn {format_money(partners['forecast'].sum())} against an annual "
               f"budget of {format_money(partners['annual_budget'].sum())}; the largest gap is "
               f"{partners.loc[gap, 'partner']}.")
    table = partners.assign(annual_budget=partners["annual_budget"].map(format_money),
                            forecast=partners["forecast"].map(format_money))
    chart(fig, summary, table.rename(columns=str.capitalize), "outturn")


def _show_shares(filters: Filters) -> None:
    shares = finance.contribution_shares(filters.programme, filters.period.fy)
    if shares.empty or shares["capital"].sum() == 0:
        return
    long = shares.melt(id_vars="district", value_vars=["revenue_share", "capital_share"],
                       var_name="share", value_name="percent")
    long["share"] = long["share"].map({"revenue_share": "Revenue contribution",
                                       "capital_share": "Capital"})
    fig = charts.grouped_bar_chart(long, "district", "percent", "share",
                                   "Partner revenue contributions against capital shares",
                                   "Share of the total", "%")
    widest = (shares["revenue_share"] - shares["capital_share"]).abs().idxmax()
    summary = ("Revenue contributions are meant to follow each council's share of capital; the "
               f"widest gap is {shares.loc[widest, 'district']}.")
    table = shares.round(1).rename(columns=lambda c: c.replace("_", " ").capitalize())
    chart(fig, summary, table, "shares")


def render(filters: Filters) -> None:
    page_header("Finance", filters)
    st.caption(f"Financial year {fy_label(filters.period.fy)} to the end of "
               f"{filters.period.long_label}, all partners: the district filter does not apply.")
    position = finance.finance_position(filters.programme, filters.period.label)
    if position.empty or not position["budget_to_date"].any():
        empty_state("budget monitoring returns")
        return
    _show_headline(position)
    _show_lines(position)
    _show_outturn(position)
    _show_shares(filters)
    how_measured(("budget_variance",))


render(current_filters())
