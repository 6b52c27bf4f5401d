"""Charts draw names from returns (districts, partners, categories) as literal text: Plotly reads
HTML in every string it draws, so none may reach a figure unescaped."""

from __future__ import annotations

import html
import json

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, spc
from dashboard.safe_text import plotly_text
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


def test_funnel_point_labels() -> None:
    frame = pd.DataFrame({"base": [10, 40], "value": [50.0, 60.0], "district": [EVIL, PLAIN]})
    limits = pd.DataFrame({"volume": [1, 40], "lower95": [0, 40], "upper95": [100, 80],
                           "lower998": [0, 30], "upper998": [100, 90]})
    fig = charts.funnel_chart(frame, "base", "value", "district", 55.0, limits, EVIL, "Volume",
                              "Rate", "%")
    assert not _raw_markup(fig)
    assert fig.data[-1].text == (plotly_text(EVIL), PLAIN)


def test_spc_chart_title_with_a_programme_name() -> None:
    result = spc.xmr([10.0, 12.0, 11.0, 13.0, 12.0], good="lower")
    fig = charts.spc_chart(result, ["P1", "P2", "P3", "P4", "P5"], f"Days: {EVIL}", "Days", "days")
    assert not _raw_markup(fig)
    assert fig.layout.title.text == f"Days: {plotly_text(EVIL)}"


def test_our_own_markup_stays() -> None:
    """Escaping is for data: the hover templates' own <br> and <extra> still work."""
    frame = pd.DataFrame({"category": [PLAIN], "cases": [1]})
    fig = charts.bar_chart(frame, "category", "cases", "Cases", "Cases", "count")
    assert _hovers(fig) == ["%{x}: %{y:,.1f}<extra></extra>"]
