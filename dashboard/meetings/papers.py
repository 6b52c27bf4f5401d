"""The papers issued to a meeting, kept as the exact PDF with its SHA-256.

Written once per meeting, after its figures are frozen, and never changed (the table is
append-only in the database): months later anyone can show which document the board was given,
and check a copy against the hash.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from dashboard.access import audit
from dashboard.access.roles import User, require
from dashboard.db import schema as s
from dashboard.meetings.meetings import MeetingError, get_meeting
from dashboard.meetings.snapshots import _engine

MAX_PDF_BYTES = 50 * 1024 * 1024  # far above a real pack (under 2 MB); bounds what is stored


@dataclass(frozen=True)
class KeptPapers:
    meeting_id: int
    pack: str
    pdf: bytes
    sha256: str
    pages: int
    made_by: str
    made_at: datetime


def sha256_of(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


def keep_papers(user: User, meeting_id: int, pack: str, pdf: bytes, pages: int,
                engine: Engine | None = None) -> KeptPapers:
    """Store the issued meeting's PDF once; a second attempt is refused with the reason."""
    require(user, "issue_meeting")
    engine = _engine(engine)
    meeting = get_meeting(meeting_id, engine)
    if meeting["status"] != "issued":
        raise MeetingError(f"Meeting {meeting_id} is a draft: its papers are kept when it is issued.")
    if not pdf.startswith(b"%PDF-") or len(pdf) > MAX_PDF_BYTES:
        raise MeetingError("The papers to keep are not a PDF of a sensible size.")
    kept = KeptPapers(meeting_id, pack, pdf, sha256_of(pdf), pages, user.actor, datetime.now())
    try:
        with engine.begin() as conn:
            conn.execute(insert(s.meeting_papers).values(
                meeting_id=meeting_id, pack=pack, pdf=pdf, sha256=kept.sha256, pages=pages,
                made_by=kept.made_by, made_at=kept.made_at))
            audit.record(conn, actor=user.actor, role=user.role.label, action="issue_meeting",
                         programme=meeting["programme"],
                         detail=f"meeting {meeting_id}: {pack} pack kept, {pages} pages, "
                                f"SHA-256 {kept.sha256}")
    except IntegrityError:
        raise MeetingError(f"Meeting {meeting_id}'s papers are already kept; they never change.") from None
    return kept


def kept_papers(meeting_id: int, engine: Engine | None = None) -> KeptPapers | None:
    """The papers kept for a meeting, or None (a draft, or issued before papers were kept)."""
    p = s.meeting_papers.c
    with _engine(engine).connect() as conn:
        row = conn.execute(select(p.meeting_id, p.pack, p.pdf, p.sha256, p.pages, p.made_by, p.made_at)
                           .where(p.meeting_id == meeting_id)).first()
    return None if row is None else KeptPapers(*row)
