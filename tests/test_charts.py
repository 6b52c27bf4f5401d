"""Charts draw names from returns (districts, partners, categories) as literal text: Plotly reads
HTML in every string it draws, so none may reach a figure unescaped."""

from __future__ import annotations

import html
import json

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import charts, spc
from dashboard.figures.safe_text import plotly_text
from tests.pages.hostile_data import strings_in

EVIL = '<a href="http://evil.example">Evil</a> %{x} <br>B&T'
PLAIN = "Alpha"


def _strings(fig: go.Figure) -> list[str]:
    """Every string in the figure as sent to the browser."""
    return strings_in(json.loads(fig.to_json()))


def _raw_markup(fig: go.Figure) -> list[str]:
    """Strings carrying the payload's tags as tags, which Plotly would draw as a link or a break."""
    return [s for s in _strings(fig) if "<a" in s or "<br>B" in s]


def _shown(fig: go.Figure) -> bool:
    """The payload is drawn, as its literal characters (Plotly decodes the entities)."""
    return any(EVIL in html.unescape(s) for s in _strings(fig))


def _hovers(fig: go.Figure) -> list[str]:
    return [t.hovertemplate for t in fig.data if t.hovertemplate]


def test_bar_chart_categories() -> None:
    frame = pd.DataFrame({"category": [EVIL, PLAIN], "cases": [3, 1], "rag": ["red", "green"]})
    for horizontal in (False, True):
        fig = charts.bar_chart(frame, "category", "cases", f"Title {EVIL}", "Cases", "count",
                               rag="rag", horizontal=horizontal)
        assert not _raw_markup(fig)
        assert _shown(fig)
        assert all("evil" not in h for h in _hovers(fig))


def test_line_chart_series_and_hover_never_embed_names() -> None:
    frame = pd.DataFrame({"period": ["2019/20 Q1", "2019/20 Q2"] * 2,
                          "value": [1, 2, 3, 4], "district": [EVIL, EVIL, PLAIN, PLAIN]})
    fig = charts.line_chart(frame, "period", "value", "Days", "Days", "days", series="district")
    assert not _raw_markup(fig)
    assert [t.name for t in fig.data] == [plotly_text(EVIL), PLAIN]
    assert all(h.startswith("%{fullData.name}<br>") and "evil" not in h for h in _hovers(fig))


def test_grouped_bar_chart() -> None:
    frame = pd.DataFrame({"district": [EVIL, PLAIN, EVIL, PLAIN], "count": [1, 2, 3, 4],
                          "kind": ["complaints", "complaints", EVIL, EVIL]})
    fig = charts.grouped_bar_chart(frame, "district", "count", "kind", "Feedback", "Received",
                                   "count", x_title=EVIL)
    assert not _raw_markup(fig)
    assert all("evil" not in h for h in _hovers(fig))
    assert _shown(fig)


LIMITS = pd.DataFrame({"volume": [1, 40], "lower95": [0, 40], "upper95": [100, 80],
                       "lower998": [0, 30], "upper998": [100, 90]})


def test_funnel_point_labels() -> None:
    frame = pd.DataFrame({"base": [10, 40], "value": [5.0, 90.0], "district": [EVIL, PLAIN]})
    fig = charts.funnel_chart(frame, "base", "value", "district", 55.0, LIMITS, EVIL, "Volume",
                              "Rate", "%")
    assert not _raw_markup(fig)
    assert fig.data[-1].text == (plotly_text(EVIL), PLAIN)  # both outside the limits: named
    assert fig.data[-1].customdata == (plotly_text(EVIL), PLAIN)
    assert "%{customdata}" in fig.data[-1].hovertemplate


def test_spc_chart_title_with_a_programme_name() -> None:
    result = spc.xmr([10.0, 12.0, 11.0, 13.0, 12.0], good="lower")
    fig = charts.spc_chart(result, ["P1", "P2", "P3", "P4", "P5"], f"Days: {EVIL}", "Days", "days")
    assert not _raw_markup(fig)
    assert fig.layout.title.text.replace("<br>", " ") == f"Days: {plotly_text(EVIL)}"


def test_long_titles_wrap_to_fit_a_phone() -> None:
    """Plotly never wraps: a long title ran off a 390 px screen, and a long vertical y-axis title
    ran up into the chart title. Both break at spaces, and the title gets the room it needs."""
    frame = pd.DataFrame({"base": [40, 90], "value": [30.0, 33.0], "district": ["A", "B"]})
    limits = pd.DataFrame({"volume": [10, 100], "lower95": [20, 28], "upper95": [40, 36],
                           "lower998": [15, 26], "upper998": [45, 38]})
    title = "Average days to complete a case by district against volume"
    fig = charts.funnel_chart(frame, "base", "value", "district", 32.0, limits, title,
                              "Cases completed", "Average days to complete a case (days)", "days")
    lines = fig.layout.title.text.split("<br>")
    assert " ".join(lines) == title and max(map(len, lines)) <= charts.TITLE_CHARS
    assert fig.layout.margin.t == charts.TOP_MARGIN + charts.TITLE_LINE * (len(lines) - 1)
    y_lines = fig.layout.yaxis.title.text.split("<br>")
    assert len(y_lines) == 2 and max(map(len, y_lines)) <= charts.AXIS_TITLE_CHARS
    assert charts.title_of(fig) == title


def test_our_own_markup_stays() -> None:
    """Escaping is for data: the hover templates' own <br> and <extra> still work."""
    frame = pd.DataFrame({"category": [PLAIN], "cases": [1]})
    fig = charts.bar_chart(frame, "category", "cases", "Cases", "Cases", "count")
    assert _hovers(fig) == ["%{x}: %{y:,.1f}<extra></extra>"]


# Layout: readable at a laptop's width and on a phone.

def test_funnel_names_only_outliers_and_never_two_in_one_place() -> None:
    """Districts inside the limits are named in the hover and the table, not on the plot; named
    points close together take different sides, so their names never overprint."""
    frame = pd.DataFrame({"base": [20, 21, 22, 30, 31, 25],
                          "value": [5.0, 6.0, 5.5, 95.0, 96.0, 60.0],
                          "district": ["North Warwickshire", "Stratford-on-Avon", "Rugby",
                                       "Warwick", "Nuneaton", "Inside"]})
    fig = charts.funnel_chart(frame, "base", "value", "district", 55.0, LIMITS, "Rate",
                              "Volume", "Rate", "%")
    points = fig.data[-1]
    named = [(x, y, p) for x, y, t, p in zip(points.x, points.y, points.text, points.textposition,
                                             strict=True) if t]
    assert len(named) == 5 and "Inside" not in points.text and "Inside" in points.customdata
    x_span, y_span = max(points.x) - min(points.x), max(points.y) - min(points.y)
    for i, (x1, y1, p1) in enumerate(named):
        for x2, y2, p2 in named[i + 1:]:
            close = abs(x1 - x2) / x_span < charts.NEAR and abs(y1 - y2) / y_span < charts.NEAR
            assert not (close and p1 == p2), (x1, y1, x2, y2, p1)


def test_target_named_in_the_legend_not_over_the_points() -> None:
    frame = pd.DataFrame({"category": ["A", "B"], "cases": [150, 250]})
    for horizontal in (False, True):
        fig = charts.bar_chart(frame, "category", "cases", "Grants", "Grants", "count",
                               target=200, horizontal=horizontal)
        assert not fig.layout.annotations  # no label on the plot
        assert [t.name for t in fig.data if t.showlegend] == ["Target 200"]
        assert fig.layout.showlegend


def test_annotations_horizontal_titles_clear_of_the_toolbar_legend_below() -> None:
    result = spc.xmr([10.0, 12.0, 11.0, 13.0, 12.0, 30.0], good="lower", target=11)
    labels = ["2019-04", "2019-05", "2019-06", "2019-07", "2019-08", "2019-09"]
    fig = charts.spc_chart(result, labels, "Days", "Days", "days", target=11, good="lower")
    assert all(a.textangle in (None, 0) for a in fig.layout.annotations)
    assert fig.layout.xaxis.tickangle == 0 and len(fig.layout.xaxis.tickvals) <= charts.MAX_TICKS
    assert fig.layout.xaxis.tickvals[-1] == "Sep 2019"  # the latest period always labelled
    assert fig.layout.xaxis.ticktext[-1] == "Sep<br>2019"  # two short lines, never rotated
    assert fig.layout.margin.t >= 80 and fig.layout.title.pad.t >= 30  # toolbar above the title
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    assert fig.layout.legend.yanchor == "bottom"


def test_month_axes_read_as_months() -> None:
    frame = pd.DataFrame({"month": ["2016-04", "2016-05"], "cases": [3, 4]})
    fig = charts.line_chart(frame, "month", "cases", "Cases", "Cases", "count", x_title="Month")
    assert fig.data[0].x == ("Apr 2016", "May 2016")
    result = spc.xmr([1.0, 2.0, 3.0], good="lower")
    fig = charts.spc_chart(result, ["2019/20-Q1", "2019/20-Q2", "2019/20-Q3"], "T", "Y", "days")
    assert fig.data[0].x == ("2019/20 Q1", "2019/20 Q2", "2019/20 Q3")


def test_period_labels_formatted_for_axes() -> None:
    from dashboard.figures.format import format_period_label

    assert format_period_label("2016-04") == "Apr 2016"
    assert format_period_label("2019/20-Q1") == "2019/20 Q1"
    assert format_period_label("2019/20") == "2019/20"
    assert format_period_label("0-30 days") == "0-30 days"
