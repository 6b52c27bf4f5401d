"""The packs' public surface: build a pack, make its PDF and workbook, and issue a meeting with
its papers kept. Pages and the command line call only these."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go
from sqlalchemy import Engine

from dashboard.access import audit
from dashboard.access.roles import User, require
from dashboard.meetings.meetings import get_meeting, issue_meeting, list_meetings
from dashboard.meetings.papers import KeptPapers, keep_papers, kept_papers
from dashboard.meetings.snapshots import _engine
from dashboard.packs.board import board_pack
from dashboard.packs.chart_images import chart_renderer, for_print
from dashboard.packs.excel import ExportTable, workbook_bytes
from dashboard.packs.pack import Pack
from dashboard.packs.render import render_pdf_pages
from dashboard.packs.scrutiny import scrutiny_pack
from dashboard.packs.tables import PackChart

PACKS = ("board", "scrutiny")


def build_pack(kind: str, programme: str, period: str | None = None, meeting_id: int | None = None,
               engine: Engine | None = None, today: date | None = None) -> Pack:
    """The contents of a board or scrutiny pack for a meeting or a period."""
    engine = _engine(engine)
    if kind == "board":
        return board_pack(engine, programme, period, meeting_id, today)
    if kind != "scrutiny":
        raise ValueError(f"A pack is one of {', '.join(PACKS)}, not {kind!r}.")
    meeting = get_meeting(meeting_id, engine) if meeting_id is not None else None
    chosen = meeting["period"] if meeting else period
    if chosen is None:
        raise ValueError("Choose a meeting or a period for the pack.")
    return scrutiny_pack(engine, programme, chosen, meeting, today)


_VIEWED: OrderedDict[tuple, Pack] = OrderedDict()  # packs built for the Papers page, newest last
VIEWED_KEPT = 16
_VIEWED_LOCK = threading.Lock()


def pack_for_view(kind: str, programme: str, period: str | None = None,
                  meeting_id: int | None = None, engine: Engine | None = None) -> Pack:
    """``build_pack`` for a page, kept while nothing has been written since (the audit trail's
    newest row moves with every load, comment, action and issue) and the day is the same (overdue
    actions count as at today): the Papers page built its pack again at every click, a second of
    its time. Packs are read, never changed, so sessions may share one."""
    engine = _engine(engine)
    key = (engine.url.render_as_string(), kind, programme, period, meeting_id,
           audit.newest_id(engine), date.today())
    with _VIEWED_LOCK:
        if key in _VIEWED:
            _VIEWED.move_to_end(key)
            return _VIEWED[key]
    pack = build_pack(kind, programme, period, meeting_id, engine)
    with _VIEWED_LOCK:
        _VIEWED[key] = pack
        while len(_VIEWED) > VIEWED_KEPT:
            _VIEWED.popitem(last=False)
    return pack


def _each_chart(value: object, change: Callable[[PackChart], object]) -> object:
    """The contents with every chart replaced by ``change(chart)``, however deep it lies."""
    if isinstance(value, PackChart):
        return change(value)
    if isinstance(value, dict):
        return {k: _each_chart(v, change) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_each_chart(v, change) for v in value]
    return value


def _drawn(value: object, draw: Callable[[go.Figure, int, int], str]) -> object:
    """The contents with every chart replaced by its image, alt text and caption."""
    return _each_chart(value, lambda chart: {
        "image": draw(for_print(chart.fig, chart.height), chart.width, chart.height),
        "alt": chart.alt, "caption": chart.caption})


Progress = Callable[[float, str], None]  # (share done, 0 to 1; what it is doing now)


def pack_pdf(pack: Pack, progress: Progress | None = None) -> bytes:
    """The pack as a tagged A4 PDF; charts drawn by one browser for the whole pack."""
    return _pdf(pack, progress)[0]


def _pdf(pack: Pack, progress: Progress | None = None) -> tuple[bytes, int]:
    """Charts take about half of a pack's time and the pages the rest, so each chart moves the
    bar by its share of the first half."""
    tell = progress or (lambda _share, _doing: None)
    charts: list[PackChart] = []
    _each_chart(pack.context, charts.append)
    total, done = max(len(charts), 1), 0
    tell(0.0, f"Drawing {total} charts")
    with chart_renderer() as draw:
        def counted(fig: go.Figure, width: int, height: int) -> str:
            nonlocal done
            image = draw(fig, width, height)
            done += 1
            tell(0.5 * done / total, f"Drew chart {done} of {total}")
            return image
        context = _drawn(pack.context, counted)
    tell(0.5, "Laying out the pages")
    made = render_pdf_pages(pack.template, context, title=pack.title,
                            subject=pack.context["pack_kind"])
    tell(1.0, "Done")
    return made


def pack_workbook(pack: Pack) -> bytes:
    """Every table of the pack as one Excel workbook, numbers as numbers, with the definitions."""
    return workbook_bytes([ExportTable(t.title, t.frame, dict(t.units)) for t in pack.tables
                           if t.title != "KPI definitions"])


def files_for(user: User, pack: Pack, engine: Engine | None = None,
              progress: Progress | None = None) -> tuple[bytes, bytes]:
    """The PDF and workbook for someone who asked for them, who must be a signed-in viewer
    (checked here, on the server): a PDF costs seconds of Chromium, so the public is given the
    scrutiny papers kept when a meeting was issued instead (``published_papers``), never a new
    one per click. Every pack made is audited."""
    require(user, "download_pack")
    pdf, workbook = pack_pdf(pack, progress), pack_workbook(pack)
    audit.record_event(_engine(engine), actor=user.actor, role=user.role.label, action="download_pack",
                       programme=pack.context["programme"], detail=f"{pack.kind} pack: {pack.title}")
    return pdf, workbook


def issue_with_papers(user: User, meeting_id: int, engine: Engine | None = None) -> KeptPapers:
    """Issue the meeting (its figures are frozen), then make its pack from the frozen figures and
    keep the exact PDF with its SHA-256. If the PDF cannot be made the meeting stays issued and
    ``keep_issued_papers`` can be run again."""
    require(user, "issue_meeting")
    engine = _engine(engine)
    issue_meeting(user, meeting_id, engine)
    return keep_issued_papers(user, meeting_id, engine)


def keep_issued_papers(user: User, meeting_id: int, engine: Engine | None = None) -> KeptPapers:
    engine = _engine(engine)
    meeting = get_meeting(meeting_id, engine)
    pack = build_pack(meeting["kind"], meeting["programme"], meeting_id=meeting_id, engine=engine)
    pdf, pages = _pdf(pack)
    return keep_papers(user, meeting_id, meeting["kind"], pdf, pages, engine)


def published_papers(programme: str, engine: Engine | None = None) -> list[tuple[dict, KeptPapers]]:
    """(meeting, papers) for the programme's issued scrutiny meetings with their papers kept,
    newest first: what the public may download (nothing is drawn for them)."""
    engine = _engine(engine)
    meetings = list_meetings(programme, engine)
    issued = meetings[(meetings["kind"] == "scrutiny") & (meetings["status"] == "issued")]
    found = []
    for meeting in issued.to_dict("records"):
        papers = kept_papers(int(meeting["id"]), engine)
        if papers is not None and papers.pack == "scrutiny":
            found.append((meeting, papers))
    return found
