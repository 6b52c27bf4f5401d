"""Commentary on a KPI for an area and period: the reason for a variance and the action recommended.

Every version is kept: an edit inserts the next version and nothing is ever updated or deleted, so
the board can see who said what and when. Reads are not cached (a few rows, one indexed query), so
a comment shows at once after it is written.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, func, insert, select
from sqlalchemy.exc import IntegrityError

from dashboard.access import audit
from dashboard.access.roles import User, require
from dashboard.db import schema as s
from dashboard.db.engine import database_url, get_engine
from dashboard.figures.periods import parse_period
from dashboard.queries.programmes import districts_frame, programme_id
from dashboard.queries.registry import get_kpi

MAX_TEXT = 5_000
WRITE_ATTEMPTS = 3
PROGRAMME_AREA = 0  # commentary.area for the programme as a whole
HISTORY_COLUMNS = ["version", "reason", "recommended_action", "author", "written_at", "drafted"]
LATEST_COLUMNS = ["kpi", "area", "district", "period", *HISTORY_COLUMNS]


def engine_for(engine: Engine | None) -> Engine:
    """The configured database unless a caller (a test) passes its own."""
    return engine or get_engine(database_url())


def now() -> datetime:
    """Naive UTC to the second, as the audit trail stores times."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def clean_text(value: str | None, what: str, required: bool) -> str | None:
    """Trimmed text within ``MAX_TEXT``; a ValueError a page can show when it is missing or too long."""
    text = (value or "").replace("\x00", "").strip()
    if not text:
        if required:
            raise ValueError(f"Write the {what}.")
        return None
    if len(text) > MAX_TEXT:
        raise ValueError(f"The {what} is {len(text):,} characters; the most is {MAX_TEXT:,}.")
    return text


def area_of(engine: Engine, programme: str, district: str | None) -> tuple[int, str | None]:
    """``(0, None)`` for the programme, else the district's id and name (by name or code, any case)."""
    if district is None or not district.strip():
        return PROGRAMME_AREA, None
    frame = districts_frame(engine, programme)
    key = district.strip().lower()
    found = frame[(frame["district"].str.lower() == key) | (frame["code"].str.lower() == key)]
    if found.empty:
        raise ValueError(f"Unknown district '{district}'. Districts: {', '.join(frame['district'])}.")
    return int(found["district_id"].iloc[0]), str(found["district"].iloc[0])


def _key(pid: int, kpi: str, area: int, period: str) -> ColumnElement[bool]:
    c = s.commentary.c
    return and_(c.programme_id == pid, c.kpi == kpi, c.area == area, c.period == period)


def write_commentary(user: User, programme: str, kpi: str, district: str | None, period: str,
                     reason: str, recommended_action: str | None = None, drafted: bool = False,
                     engine: Engine | None = None, meeting_id: int | None = None) -> int:
    """Add the next version of the comment on ``kpi`` for the area and period; returns its number.
    ``meeting_id``: the draft meeting of this programme it is written for (an issued meeting's
    papers are frozen, so nothing more is written for it)."""
    require(user, "commentary")
    kpi_id = get_kpi(kpi).id
    label = parse_period(period).label
    reason_text = clean_text(reason, "reason", required=True)
    action_text = clean_text(recommended_action, "recommended action", required=False)
    engine = engine_for(engine)
    pid = programme_id(engine, programme)
    area, name = area_of(engine, programme, district)
    if meeting_id is not None:
        _check_meeting(engine, pid, programme, meeting_id)
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return _insert_version(engine, user, programme, pid, kpi_id, area, name, label,
                                   {"reason": reason_text, "recommended_action": action_text,
                                    "drafted": bool(drafted)}, meeting_id)
        except IntegrityError:  # another officer took this version number first: take the next
            if attempt == WRITE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _check_meeting(engine: Engine, pid: int, programme: str, meeting_id: int) -> None:
    m = s.meetings.c
    with engine.connect() as conn:
        found = conn.execute(select(m.programme_id, m.status).where(m.id == meeting_id)).first()
    if found is None or found.programme_id != pid:
        raise ValueError(f"Meeting {meeting_id} is not a meeting of {programme}.")
    if found.status != "draft":
        raise ValueError(f"Meeting {meeting_id} has been issued: its papers are frozen, so nothing "
                         "more can be written for it.")


def _insert_version(engine: Engine, user: User, programme: str, pid: int, kpi_id: str, area: int,
                    name: str | None, label: str, text: dict[str, object],
                    meeting_id: int | None = None) -> int:
    """One transaction: the next version number, the row, its meeting, and its audit record."""
    c = s.commentary.c
    with engine.begin() as conn:
        latest = conn.execute(select(func.max(c.version)).where(_key(pid, kpi_id, area, label))).scalar()
        version = int(latest or 0) + 1
        row_id = conn.execute(insert(s.commentary).values(
            programme_id=pid, kpi=kpi_id, area=area, period=label, version=version, author=user.actor,
            written_at=now(), **text).returning(c.id)).scalar_one()
        if meeting_id is not None:
            conn.execute(insert(s.meeting_commentary).values(commentary_id=row_id, meeting_id=meeting_id))
        audit.record(conn, actor=user.actor, role=user.role.label, action="commentary",
                     programme=programme,
                     detail=f"{kpi_id} {name or 'programme'} {label} version {version}"
                            + (" (drafted)" if text["drafted"] else ""))
    return version


def commentary_history(programme: str, kpi: str, district: str | None, period: str,
                       engine: Engine | None = None) -> pd.DataFrame:
    """Every version of one comment, newest first."""
    engine = engine_for(engine)
    pid = programme_id(engine, programme)
    area, _ = area_of(engine, programme, district)
    c = s.commentary.c
    query = (select(*(c[name] for name in HISTORY_COLUMNS))
             .where(_key(pid, get_kpi(kpi).id, area, parse_period(period).label))
             .order_by(c.version.desc()))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS).astype({"drafted": bool})


def latest_commentary(programme: str, periods: tuple[str, ...],
                      engine: Engine | None = None) -> pd.DataFrame:
    """The newest version of every comment in ``periods``, with the district's name (None for the
    programme). Columns: ``LATEST_COLUMNS``."""
    engine = engine_for(engine)
    pid = programme_id(engine, programme)
    labels = [parse_period(p).label for p in periods]
    c, d = s.commentary.c, s.districts.c
    newest = (select(c.kpi, c.area, c.period, func.max(c.version).label("version"))
              .where(c.programme_id == pid, c.period.in_(labels))
              .group_by(c.kpi, c.area, c.period).subquery())
    query = (select(c.kpi, c.area, d.name.label("district"), c.period,
                    *(c[name] for name in HISTORY_COLUMNS))
             .join(newest, and_(c.kpi == newest.c.kpi, c.area == newest.c.area,
                                c.period == newest.c.period, c.version == newest.c.version))
             .outerjoin(s.districts, d.id == c.area)
             .where(c.programme_id == pid)
             .order_by(c.period, c.kpi, c.area))
    with engine.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=LATEST_COLUMNS).astype({"drafted": bool})


def meeting_commentary(meeting_id: int, engine: Engine | None = None) -> pd.DataFrame:
    """The comments written for a meeting, every version, in KPI order. Columns: kpi, district
    (None: the programme), period, version, reason, recommended_action, author, written_at."""
    engine = engine_for(engine)
    c, link, d = s.commentary.c, s.meeting_commentary.c, s.districts.c
    query = (select(c.kpi, d.name.label("district"), c.period, c.version, c.reason,
                    c.recommended_action, c.author, c.written_at)
             .join_from(s.commentary, s.meeting_commentary, link.commentary_id == c.id)
             .outerjoin(s.districts, d.id == c.area)
             .where(link.meeting_id == meeting_id).order_by(c.kpi, c.area, c.version))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(query).mappings().all(),
                            columns=["kpi", "district", "period", "version", "reason",
                                     "recommended_action", "author", "written_at"])
