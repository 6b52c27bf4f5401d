"""Plotly figures built from tidy DataFrames, with no Streamlit in sight.

The same function draws a chart on a page and in a printed pack, and can be tested alone. Titles
state the subject, axes carry units, and money and percentages are formatted the UK way. Plotly reads
HTML (``<a href>``, ``<br>``) in every string it draws, so each category, series name, point label
and title is escaped here (``dashboard.figures.safe_text``), and hover templates never embed data: they
read it back with ``%{...}``.
"""

from __future__ import annotations

import calendar
import html
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.format import format_period_label
from dashboard.figures.safe_text import plotly_labels, plotly_text
from dashboard.figures.spc import SpcResult, xmr
from dashboard.figures.style import CATEGORICAL, NEUTRAL, RAG_COLOURS, RAG_SYMBOLS, TARGET_LINE

FONT = "Arial, Helvetica, sans-serif"
# Room above the plot: Plotly's toolbar (about 30 px) sits at the very top, the title below it, so
# on a phone, where the toolbar shows without hovering, it never covers the title.
TOP_MARGIN = 90
TITLE_PAD = 36  # px from the top of the figure to the title
LEGEND_GAP = 0.06  # the legend's top, below the x-axis title, as a share of the figure's height
# Plotly never wraps a title. Broken at these lengths, a 17 px title fits a phone's 350 px chart
# and a vertical y-axis title fits beside the plot instead of running up into the title.
TITLE_CHARS = 40
AXIS_TITLE_CHARS = 26
TITLE_LINE = 22  # px of top margin for each further line of title


def _axis_format(unit: str) -> dict:
    if unit == "count":  # counts start at zero, so a swing is not exaggerated
        return {"tickformat": ",.0f", "rangemode": "tozero"}
    if unit == "£":
        return {"tickprefix": "£", "tickformat": ",.0f"}
    if unit == "£p":
        return {"tickprefix": "£", "tickformat": ",.2f"}
    if unit == "%":
        return {"ticksuffix": "%", "tickformat": ",.0f"}
    return {"tickformat": ",.0f" if unit == "days" else ",.1f"}


def unit_axis_title(label: str, unit: str) -> str:
    """``Average days to complete (days)``; money and % need no suffix: the ticks carry them."""
    return label if unit in ("£", "£p", "%", "count") else f"{label} ({unit})"


def wrapped(text: str | None, chars: int) -> str | None:
    """Already-escaped Plotly text broken at spaces with ``<br>``: our own markup between words
    that stay escaped, so a title longer than its room wraps instead of running off. Text wrapped
    before is wrapped afresh (a printed chart has more room than a phone)."""
    if not text:
        return text
    text = text.replace("<br>", " ")
    if len(text) <= chars:
        return text
    return "<br>".join(textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False))


def title_of(fig: go.Figure) -> str:
    """The chart's title as a reader reads it: one line, entities as characters."""
    return html.unescape((fig.layout.title.text or "").replace("<br>", " "))


def _hover(unit: str) -> str:
    if unit == "£":
        return "£%{y:,.0f}"
    if unit == "£p":
        return "£%{y:,.2f}"
    if unit == "%":
        return "%{y:,.1f}%"
    return "%{y:,.1f}"


def _merged(base: dict, change: dict) -> dict:
    """``base`` with ``change`` laid over it, nested settings merged as Plotly's update does."""
    out = dict(base)
    for key, value in change.items():
        out[key] = _merged(out[key], value) if isinstance(value, dict) and isinstance(
            out.get(key), dict) else value
    return out


def base_layout(fig: go.Figure, title: str, y_title: str, unit: str, height: int = 380) -> go.Figure:
    shown = wrapped(plotly_text(title), TITLE_CHARS) or ""
    # A new figure given the whole layout at once, merged with what the chart set already (its
    # template left to the constructor, which shares the default's): Plotly builds it in a tenth of
    # the time of update_layout's rounds of validation (28 ms a chart, measured: most of a
    # chart-heavy page's own time).
    layout = {k: v for k, v in fig.layout.to_plotly_json().items() if k != "template"}
    return go.Figure(data=fig.data, layout=_merged(layout, {
        "title": {"text": shown, "x": 0, "xanchor": "left", "font": {"size": 17},
                  "y": 1, "yref": "container", "yanchor": "top", "pad": {"t": TITLE_PAD}},
        "font": {"family": FONT, "color": "#0B0C0C", "size": 13},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "height": height,
        "margin": {"l": 60, "r": 20, "t": TOP_MARGIN + TITLE_LINE * shown.count("<br>"), "b": 40},
        # Below everything, in the figure's bottom margin, which grows to hold it (automargin):
        # it never runs into the axis labels, however many lines it wraps to on a phone.
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0,
                   "xanchor": "left"},
        "modebar": {"orientation": "h", "bgcolor": "rgba(255,255,255,0.9)"},
        "separators": ".,",
        "colorway": list(CATEGORICAL),
        "yaxis": {"title": {"text": wrapped(plotly_text(y_title), AXIS_TITLE_CHARS)},
                  "gridcolor": "#DDDDDD", "zerolinecolor": "#B1B4B6", "automargin": True,
                  **_axis_format(unit)},
        # Horizontal tick labels (never rotated): Plotly shows fewer of them when they do not fit.
        "xaxis": {"showgrid": False, "linecolor": "#B1B4B6", "tickangle": 0, "automargin": True},
    }))


MAX_TICKS = 6  # period labels on an axis at most: they fit a phone's width, horizontally


def period_axis(fig: go.Figure, labels: Sequence[str], title: str = "Period") -> None:
    """An x axis of periods in order, horizontally labelled on two lines (``Apr`` over ``2016``),
    at most ``MAX_TICKS`` of them, evenly spaced, so none overprint even on a phone; the hover
    names every point's period."""
    ordered = list(dict.fromkeys(labels))
    step = -(-len(ordered) // MAX_TICKS) if ordered else 1
    shown = ordered[::-1][::step][::-1]  # always the latest period
    fig.update_xaxes(title_text=plotly_text(title), type="category", tickangle=0,
                     categoryorder="array", categoryarray=ordered, tickvals=shown,
                     ticktext=[str(v).replace(" ", "<br>", 1) for v in shown])


def target_label(target: float, unit: str) -> str:
    return f"Target £{target:,.0f}" if unit == "£" else (
        f"Target {target:,.0f}%" if unit == "%" else f"Target {target:,.0f}")


def add_target(fig: go.Figure, target: float | None, unit: str, across: bool = False) -> None:
    """A dashed target line (vertical with ``across`` for horizontal bars), named in the legend,
    not by a label on the plot, where it would sit over the points or bars."""
    if target is None or pd.isna(target):
        return
    # The shape add_hline and add_vline make, given directly: they cost three times as much.
    line = {"dash": "dash", "color": TARGET_LINE, "width": 2}
    if across:
        fig.add_shape(type="line", x0=target, x1=target, xref="x", y0=0, y1=1, yref="y domain",
                      line=line)
    else:
        fig.add_shape(type="line", x0=0, x1=1, xref="x domain", y0=target, y1=target, yref="y",
                      line=line)
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=target_label(target, unit),
                             line=line, hoverinfo="skip", showlegend=True))
    fig.update_layout(showlegend=True)


def bar_chart(frame: pd.DataFrame, x: str, y: str, title: str, y_title: str, unit: str,
              target: float | None = None, rag: str | None = None,
              horizontal: bool = False) -> go.Figure:
    """Bars of ``y`` by ``x``; with ``rag`` each bar is coloured by status and labelled in text."""
    colours = [RAG_COLOURS.get(r, NEUTRAL) for r in frame[rag]] if rag else CATEGORICAL[0]
    categories = plotly_labels(frame[x])
    text = [_text_value(v, unit) for v in frame[y]]
    if rag:  # the status symbol too, so colour is never the only carrier of meaning
        text = [f"{t} {RAG_SYMBOLS[r]}" for t, r in zip(text, frame[rag], strict=True)]
    if horizontal:
        trace = go.Bar(x=frame[y], y=categories, orientation="h", marker_color=colours, text=text,
                       textposition="auto", showlegend=False,
                       hovertemplate="%{y}: " + _hover(unit).replace("y", "x") + "<extra></extra>")
    else:
        trace = go.Bar(x=categories, y=frame[y], marker_color=colours, text=text,
                       textposition="auto", showlegend=False,
                       hovertemplate="%{x}: " + _hover(unit) + "<extra></extra>")
    fig = base_layout(go.Figure(trace), title, y_title, unit)
    if horizontal:
        fig.update_layout(xaxis=_axis_format(unit), yaxis={"autorange": "reversed"})
        fig.update_xaxes(title_text=plotly_text(y_title))
        fig.update_yaxes(title_text=None, tickprefix="", ticksuffix="")
    add_target(fig, target, unit, across=horizontal)
    return fig


def _period_labels(values: Sequence[object]) -> list[str]:
    """Periods as people write them (``Apr 2016``, not ``2016-04``), escaped for Plotly."""
    return plotly_labels([format_period_label(v) for v in values])


def _text_value(value: float, unit: str) -> str:
    if value is None or pd.isna(value):
        return ""
    if unit == "£":
        return f"£{value:,.0f}"
    if unit == "£p":
        return f"£{value:,.2f}"
    if unit == "%":
        return f"{value:,.1f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def line_chart(frame: pd.DataFrame, x: str, y: str, title: str, y_title: str, unit: str,
               series: str | None = None, target: float | None = None,
               x_title: str = "Period") -> go.Figure:
    """One line per ``series`` value (or a single line), with markers so print shows points."""
    fig = go.Figure()
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=False))
    # Shapes as well as colours, and more shapes than colours, so every series stays distinct.
    symbols = ("circle", "square", "diamond", "triangle-up", "x", "star", "hexagon",
               "triangle-down")
    for i, (name, group) in enumerate(groups):
        fig.add_trace(go.Scatter(
            x=_period_labels(group[x]), y=group[y], mode="lines+markers",
            name=plotly_text(name if name else y_title),
            line={"color": CATEGORICAL[i % len(CATEGORICAL)], "width": 2.5},
            marker={"symbol": symbols[i % len(symbols)], "size": 7},
            hovertemplate=("%{fullData.name}<br>" if name else "") + "%{x}: " + _hover(unit)
            + "<extra></extra>",
        ))
    fig = base_layout(fig, title, y_title, unit)
    period_axis(fig, _period_labels(frame[x]), x_title)
    fig.update_layout(showlegend=series is not None)
    if series is None:
        fig.data[0].showlegend = False  # the target alone is named, if there is one
    add_target(fig, target, unit)
    return fig


def spc_chart(result: SpcResult, labels: Sequence[str], title: str, y_title: str, unit: str,
              target: float | None = None, good: str | None = None) -> go.Figure:
    """XmR chart: points, mean, process limits, special-cause points marked by shape and colour."""
    improving_up = good == "higher"
    good = good if good in ("higher", "lower") else None  # "closest": neither side is better
    marker_colours, marker_symbols = [], []
    for special, side in zip(result.special, result.direction, strict=True):
        if not special:
            marker_colours.append(NEUTRAL)
            marker_symbols.append("circle")
        elif good is None or side == 0:
            marker_colours.append(CATEGORICAL[0])
            marker_symbols.append("diamond")
        elif (side > 0) == improving_up:
            marker_colours.append(CATEGORICAL[0])  # improving: blue, diamond
            marker_symbols.append("diamond")
        else:
            marker_colours.append(CATEGORICAL[3])  # concerning: orange, square
            marker_symbols.append("square")
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=_period_labels(labels), y=list(result.values), mode="lines+markers",
                             name=plotly_text(y_title), line={"color": NEUTRAL, "width": 1.5},
                             marker={"color": marker_colours, "symbol": marker_symbols, "size": 10},
                             hovertemplate="%{x}: " + _hover(unit) + "<extra></extra>"))
    for y, name, dash in ((result.mean, "Mean", "solid"), (result.upper, "Upper process limit", "dot"),
                          (result.lower, "Lower process limit", "dot")):
        fig.add_trace(go.Scatter(x=_period_labels(labels), y=[y] * len(labels), mode="lines", name=name,
                                 line={"color": "#3D3D3D", "dash": dash, "width": 1.5},
                                 hoverinfo="skip"))
    fig = base_layout(fig, title, y_title, unit, height=420)
    period_axis(fig, _period_labels(labels))
    add_target(fig, target, unit)
    return fig


def funnel_chart(frame: pd.DataFrame, volume: str, rate: str, label: str, centre: float,
                 limits: pd.DataFrame, title: str, x_title: str, y_title: str,
                 unit: str) -> go.Figure:
    """Rate against volume with control limits that narrow as volume grows.

    ``limits`` has columns volume, lower95, upper95, lower998, upper998.
    """
    fig = go.Figure()
    for column, name, dash in (("upper998", "99.8% limits", "dot"), ("lower998", None, "dot"),
                               ("upper95", "95% limits", "dash"), ("lower95", None, "dash")):
        fig.add_trace(go.Scatter(x=limits["volume"], y=limits[column], mode="lines",
                                 name=name or "", showlegend=name is not None,
                                 line={"color": "#3D3D3D", "dash": dash, "width": 1.2},
                                 hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=[limits["volume"].min(), limits["volume"].max()], y=[centre, centre],
                             mode="lines", name="Programme average",
                             line={"color": CATEGORICAL[1], "width": 2}, hoverinfo="skip"))
    names = plotly_labels(frame[label])
    text, position = funnel_labels(frame[volume], frame[rate], limits, frame[label])
    fig.add_trace(go.Scatter(x=frame[volume], y=frame[rate], mode="markers+text", name="District",
                             text=[plotly_text(t) if t else "" for t in text],
                             textposition=position, customdata=names, cliponaxis=False,
                             marker={"color": CATEGORICAL[0], "size": 10},
                             hovertemplate="%{customdata}: " + _hover(unit)
                             + " of %{x:,.0f}<extra></extra>"))
    fig = base_layout(fig, title, y_title, unit, height=440)
    fig.update_xaxes(title_text=plotly_text(x_title), showgrid=True, gridcolor="#EEEEEE")
    return fig


LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")
NEAR = 0.12  # two points nearer than this (as a share of each axis's range) are "close"


def funnel_labels(volumes: pd.Series, rates: pd.Series, limits: pd.DataFrame,
                  labels: pd.Series | None = None) -> tuple[list[str], list[str]]:
    """Which points of a funnel plot to name, and where: a district outside the 95% limits is
    named beside its point; one inside is named only in the hover and the table, so a cluster of
    ordinary districts is not a pile of overprinted names. Named points close to one another take
    different sides (above, below, right, left), so no two names share a place.

    Returns the text (empty for an unnamed point) and the text position of each point."""
    volumes = pd.Series(volumes, dtype=float).reset_index(drop=True)
    rates = pd.Series(rates, dtype=float).reset_index(drop=True)
    names = (pd.Series(range(len(volumes))).astype(str) if labels is None
             else pd.Series(labels, dtype=object).reset_index(drop=True))
    grid = limits.sort_values("volume")
    lower = np.interp(volumes, grid["volume"], grid["lower95"])
    upper = np.interp(volumes, grid["volume"], grid["upper95"])
    outside = (rates < lower) | (rates > upper)
    x_span = max(float(volumes.max() - volumes.min()), 1e-9)
    y_span = max(float(rates.max() - rates.min()), 1e-9)
    text = ["" for _ in range(len(volumes))]
    position = ["top center" for _ in range(len(volumes))]
    placed: list[int] = []
    for i in volumes[outside].sort_values().index:
        taken = {position[j] for j in placed
                 if abs(volumes[i] - volumes[j]) / x_span < NEAR
                 and abs(rates[i] - rates[j]) / y_span < NEAR}
        position[i] = next((p for p in LABEL_PLACES if p not in taken), LABEL_PLACES[0])
        text[i] = str(names[i])
        placed.append(i)
    return text, position


def grouped_bar_chart(frame: pd.DataFrame, x: str, y: str, series: str, title: str, y_title: str,
                      unit: str, x_title: str | None = None) -> go.Figure:
    """Bars of ``y`` by ``x``, one bar per ``series`` value side by side, each with its value."""
    patterns = ("", "/", ".", "x", "-", "\\")  # so series stay distinct in black and white
    fig = go.Figure()
    for i, (name, group) in enumerate(frame.groupby(series, sort=True)):
        fig.add_trace(go.Bar(
            x=plotly_labels(group[x]), y=group[y], name=plotly_text(name),
            marker={"color": CATEGORICAL[i % len(CATEGORICAL)],
                    "pattern": {"shape": patterns[i % len(patterns)]}},
            hovertemplate="%{fullData.name}<br>%{x}: " + _hover(unit) + "<extra></extra>",
        ))
    fig = base_layout(fig, title, y_title, unit)
    fig.update_layout(barmode="group")
    fig.update_xaxes(title_text=None if x_title is None else plotly_text(x_title))
    return fig


# CQC's four ratings and "not yet rated", each with its own colour and pattern, darkest for the
# best, so the order survives black-and-white printing; every segment also carries its number.
RATING_STYLE = {
    "Outstanding": ("#00703C", ""), "Good": ("#28A197", "/"), "Requires improvement": ("#8A4B08", "."),
    "Inadequate": ("#B10E1E", "x"), "Not yet rated": ("#B1B4B6", ""),
}


def rating_mix_chart(frame: pd.DataFrame, category: str, title: str) -> go.Figure:
    """One 100% bar per ``category`` value (council, comparators, England), split by rating:
    ``frame`` has ``category``, rating, count and percent."""
    fig = go.Figure()
    categories = list(dict.fromkeys(frame[category]))
    for rating, (colour, pattern) in RATING_STYLE.items():
        part = frame[frame["rating"] == rating].set_index(category).reindex(categories)
        fig.add_trace(go.Bar(
            y=plotly_labels(categories), x=part["percent"], name=plotly_text(rating), orientation="h",
            marker={"color": colour, "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "white",
                                                 "fgopacity": 0.5}},
            text=[f"{p:.0f}%" if p >= 4 else "" for p in part["percent"].fillna(0)],
            textposition="inside", insidetextanchor="middle", textfont={"color": "white"}, textangle=0,
            customdata=part["count"], hovertemplate="%{fullData.name}: %{x:.1f}% (%{customdata:,} "
            "services)<extra></extra>",
        ))
    fig = base_layout(fig, title, "", "%", height=460)  # room for three bars and the legend below
    fig.update_layout(barmode="stack", legend={"traceorder": "normal"},
                      uniformtext={"minsize": 10, "mode": "hide"},
                      yaxis={"autorange": "reversed", "ticksuffix": "",
                                              "title": {"text": None}},
                      xaxis={"range": [0, 100], "ticksuffix": "%", "title": {"text": "Share of services"}})
    return fig


def savings_band_chart(frame: pd.DataFrame, title: str) -> go.Figure:
    """A savings programme month by month (``queries.savings.band_frame``): the year's lower and
    upper estimates as a shaded band, the lower target profiled to date (dashed), and what was
    delivered, forecast for the year and the confidence-weighted forecast, each a line of its own
    shape and dash so print and colour-blind readers tell them apart."""
    labels = [f"{d:%b %Y}" for d in frame["date"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=labels, y=frame["lower"], mode="lines", line={"width": 0, "color": NEUTRAL},
                             name="Lower estimate for the year", showlegend=False,
                             hovertemplate="Lower estimate for the year: " + _hover("£") + "<extra></extra>"))
    fig.add_trace(go.Scatter(x=labels, y=frame["upper"], mode="lines", fill="tonexty",
                             fillcolor="rgba(80, 90, 95, 0.18)", line={"width": 0, "color": NEUTRAL},
                             name="Estimate for the year, lower to upper",
                             hovertemplate="Upper estimate for the year: " + _hover("£") + "<extra></extra>"))
    lines = (("target_to_date", "Profiled target to date (lower)", TARGET_LINE, "dash", "line-ew"),
             ("delivered", "Delivered to date", CATEGORICAL[0], "solid", "circle"),
             ("forecast", "Forecast for the year", CATEGORICAL[1], "dot", "square"),
             ("weighted", "Confidence-weighted forecast", CATEGORICAL[2], "dashdot", "diamond"))
    for column, name, colour, dash, symbol in lines:
        markers = "lines" if column == "target_to_date" else "lines+markers"
        fig.add_trace(go.Scatter(x=labels, y=frame[column], mode=markers, name=name,
                                 line={"color": colour, "width": 2.5, "dash": dash},
                                 marker={"symbol": symbol, "size": 6},
                                 hovertemplate=f"{name}: " + _hover("£") + "<extra></extra>"))
    fig = base_layout(fig, title, "Savings (£)", "£", height=440)
    period_axis(fig, labels, "Month")
    return fig


def _month_label(ym: int) -> str:
    return f"{calendar.month_abbr[ym % 100]} {ym // 100}"


def care_hours_chart(monthly: pd.DataFrame, title: str) -> go.Figure:
    """Hours a week commissioned and delivered by month (``queries.care.hours_by_month``)."""
    long = pd.concat([monthly.assign(series="Commissioned", hours=monthly["commissioned"]),
                      monthly.assign(series="Delivered", hours=monthly["delivered"])])
    long = long.assign(month=[_month_label(int(ym)) for ym in long["ym"]])
    return line_chart(long, "month", "hours", title, "Hours a week", "count", series="series",
                      x_title="Month")


def care_waiting_chart(series: pd.DataFrame, title: str, column: str = "waiting",
                       y_title: str = "People waiting", unit: str = "count") -> tuple[go.Figure, SpcResult]:
    """A month-by-month figure of ``queries.care.waiting_series`` (people waiting at each month's
    end, or the median days to service) as an XmR chart; months with no value are left out."""
    shown = series.dropna(subset=[column])
    labels = [_month_label(int(m[:4]) * 100 + int(m[5:7])) for m in shown["month"]]
    result = xmr(shown[column].tolist(), good="lower")
    return spc_chart(result, labels, title, y_title, unit, good="lower"), result
