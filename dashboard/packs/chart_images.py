"""Charts for the printed packs: the pages' Plotly figures restyled for A4 and drawn to SVG by
Debian's Chromium through Kaleido.

One browser draws every chart of a pack (starting it costs ~2 s, a chart ~0.2 s), and only the
charts not drawn before: an image is kept by its figure, so the same data draws once. Kaleido's sync
server is a process-wide singleton, and Streamlit runs sessions in threads, so a module lock makes
a second pack wait rather than share, or stop, the first pack's browser. Images go into the
template as SVG data URIs: plain ASCII that autoescaping cannot break and that WeasyPrint draws as
vectors.
"""

from __future__ import annotations

import base64
import hashlib
import os
import queue
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import kaleido
import plotly.graph_objects as go

from dashboard.figures.charts import wrapped
from dashboard.packs.errors import PackError

DEFAULT_BROWSER = "/usr/bin/chromium"
PRINT_FONT = "Liberation Sans, Arial, Helvetica, sans-serif"  # the PDF's font: same metrics both sides
TEXT = "#0B0C0C"
TITLE_CHARS = 78  # a 15 px bold title across the 680 px packs draw charts at
IMAGE_TIMEOUT = 45  # seconds Kaleido allows one image (its default, 90, is long for someone waiting)
DRAW_TIMEOUT = 60  # our deadline: the first image also waits for Chromium to start (2-8 s)

_LOCK = threading.Lock()

Draw = Callable[[go.Figure, int, int], str]


def _browser() -> str:
    """The Chromium Kaleido will drive; never downloads one (no network, no unvetted binary)."""
    named = os.environ.get("BROWSER_PATH") or os.environ.get("CHROMIUM_PATH")
    candidates = [named] if named else [DEFAULT_BROWSER, shutil.which("chromium") or ""]
    for path in candidates:
        if path and Path(path).is_file() and os.access(path, os.X_OK):
            return path
    where = named or DEFAULT_BROWSER
    raise PackError(f"Charts for the pack are drawn by Chromium, and there is none at {where}. "
                    "Install it (apt-get install chromium) or set BROWSER_PATH to a Chromium or "
                    "Chrome executable.")


def for_print(fig: go.Figure, height: int | None = None) -> go.Figure:
    """A copy of ``fig`` for ~16 cm of A4 text width: white, fixed font sizes (about 9 pt when
    680 px wide), long titles wrapped, the y-axis title written level above the axis (read without
    turning the page), and any legend in a column right of the plot, where Plotly widens the
    margin to fit it: it never covers the title, the axis titles or the tick labels."""
    printed = go.Figure(fig)
    title = wrapped(printed.layout.title.text, TITLE_CHARS)
    top = 16 + 20 * (title.count("<br>") + 1 if title else 0)
    y_title = printed.layout.yaxis.title.text
    if y_title:
        printed.layout.yaxis.title.text = None
        printed.add_annotation(text=wrapped(y_title, TITLE_CHARS), xref="paper", yref="paper", x=0,
                               y=1, xanchor="left", yanchor="bottom", yshift=8, align="left",
                               showarrow=False)
        top += 24
    printed.update_layout(
        height=height or printed.layout.height or 380, paper_bgcolor="white",
        plot_bgcolor="white", font={"family": PRINT_FONT, "size": 13, "color": TEXT},
        title={"text": title, "font": {"size": 15, "color": TEXT, "weight": "bold"}, "x": 0,
               "xanchor": "left", "xref": "container", "y": 1, "yanchor": "top",
               "yref": "container", "pad": {"t": 6, "l": 2}},
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                "font": {"size": 12}, "bgcolor": "rgba(0,0,0,0)", "title": {"text": ""}},
        margin={"l": 56, "r": 16, "t": top, "b": 40, "autoexpand": True},
        hovermode=False,
    )
    printed.update_xaxes(title_font_size=13, tickfont_size=12, automargin=True)
    printed.update_yaxes(tickfont_size=12, automargin=True)
    printed.update_annotations(font_size=12)
    for trace in printed.data:
        if "textfont" in trace:
            trace.textfont.size = 12
    return printed


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _svg(fig: go.Figure, width: int, height: int) -> bytes:
    """One image from the running server, with a deadline: if Chromium died on start, Kaleido's
    sync call would otherwise wait for ever, holding the lock every other pack needs."""
    result: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            result.put(kaleido.calc_fig_sync(fig, opts={"format": "svg", "width": width,
                                                        "height": height}))
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
            result.put(error)

    threading.Thread(target=work, name="pack-chart", daemon=True).start()
    try:
        outcome = result.get(timeout=DRAW_TIMEOUT)
    except queue.Empty:
        raise PackError(f"Chromium did not draw a chart within {DRAW_TIMEOUT} s; check that "
                        f"{os.environ.get('BROWSER_PATH')} starts (chromium --headless).") from None
    if isinstance(outcome, BaseException):
        raise PackError(f"Chromium could not draw a chart: {outcome}") from outcome
    return outcome


# Images already drawn, by the figure and its size: a pack made again from the same figures (the
# same data version) needs no browser at all. Bounded: a chart's SVG is tens of KB.
_DRAWN: OrderedDict[str, str] = OrderedDict()
DRAWN_KEPT = 200


def _key(fig: go.Figure, width: int, height: int) -> str:
    return hashlib.sha256(f"{width}x{height}:{fig.to_json()}".encode()).hexdigest()


@contextmanager
def chart_renderer() -> Iterator[Draw]:
    """``draw(fig, width, height)`` -> an SVG data URI, from one Chromium for the whole pack,
    started at the first chart not drawn before.

    Packs made at the same time wait for each other here (the server is process-wide).
    """
    browser = _browser()
    with _LOCK:
        os.environ.setdefault("BROWSER_PATH", browser)
        started = False

        def draw(fig: go.Figure, width: int, height: int) -> str:
            nonlocal started
            key = _key(fig, width, height)
            if key in _DRAWN:
                _DRAWN.move_to_end(key)
                return _DRAWN[key]
            if not started:
                kaleido.start_sync_server(mathjax=False, timeout=IMAGE_TIMEOUT, silence_warnings=True)
                started = True
            _DRAWN[key] = _data_uri(_svg(fig, width, height))
            while len(_DRAWN) > DRAWN_KEPT:
                _DRAWN.popitem(last=False)
            return _DRAWN[key]

        try:
            yield draw
        finally:
            if started:
                kaleido.stop_sync_server(silence_warnings=True)
