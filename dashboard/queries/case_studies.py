"""Case studies for the evidence page: only those with consent to publish ever leave the database,
and for readers below officer the text is screened for personal data again on the way out (the
loader screened it on the way in; this catches anything stored before, or by other means).

A case study belongs to a period when the work with the resident overlapped it (work with no end
date is still going on), or when it was submitted in it (which also places one with no dates)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from dashboard.access.screening import redact
from dashboard.db import schema as s
from dashboard.figures.periods import parse_period
from dashboard.queries.cache import cached_query
from dashboard.queries.programmes import programme_id

CARD_COLUMNS = ["title", "district", "date_submitted", "referral_source", "referral_reason",
                "start_date", "end_date", "main_issues", "actions_taken", "referrals_made",
                "benefits", "others_involved", "ongoing_support", "quote"]
SEARCHED = ("title", "main_issues", "actions_taken", "benefits", "quote")
FREE_TEXT = ("title", "main_issues", "actions_taken", "referrals_made", "benefits", "others_involved",
             "ongoing_support", "quote")


@cached_query
def published_case_studies(engine: Engine, programme: str, districts: tuple[str, ...] | None = None,
                           search: str = "", referral_reason: str | None = None,
                           referral_made: str | None = None, screened: bool = True,
                           period: str | None = None) -> pd.DataFrame:
    """Columns: ``CARD_COLUMNS``, newest first. Case studies without consent are never returned.

    ``screened``: personal data in the text is replaced by labels such as "[postcode removed]".
    ``period`` (a label such as ``2019/20-Q1``): only case studies whose work overlapped it, or
    that were submitted in it; None: every period.
    """
    c, d = s.case_studies, s.districts
    conditions = [c.c.programme_id == programme_id(engine, programme),
                  c.c.consent_to_publish.is_(True)]
    if districts:
        conditions.append(d.c.name.in_(districts))
    if search.strip():
        pattern = f"%{search.strip().lower()}%"
        conditions.append(or_(*(func.lower(func.coalesce(c.c[col], "")).like(pattern)
                                for col in SEARCHED)))
    if referral_reason:
        conditions.append(c.c.referral_reason == referral_reason)
    if referral_made:
        conditions.append(func.coalesce(c.c.referrals_made, "").like(f"%{referral_made}%"))
    if period is not None:
        chosen = parse_period(period)
        worked = and_(c.c.start_date <= chosen.end,
                      or_(c.c.end_date.is_(None), c.c.end_date >= chosen.start))
        conditions.append(or_(worked, c.c.date_submitted.between(chosen.start, chosen.end)))
    query = (select(*(d.c.name.label("district") if col == "district" else c.c[col]
                      for col in CARD_COLUMNS))
             .join_from(c, d, c.c.district_id == d.c.id)
             .where(*conditions)
             .order_by(c.c.date_submitted.desc(), c.c.title))
    with engine.connect() as conn:
        found = pd.DataFrame(conn.execute(query).mappings().all(), columns=CARD_COLUMNS)
    if screened and len(found):
        places = tuple(found["district"].dropna().unique())
        for column in FREE_TEXT:
            found[column] = found[column].map(
                lambda text: redact(text, places)[0] if isinstance(text, str) else text)
    return found


@cached_query
def withheld_count(engine: Engine, programme: str) -> int:
    """How many case studies are held back for lack of consent (a count only, never content)."""
    c = s.case_studies
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(
            c.c.programme_id == programme_id(engine, programme),
            c.c.consent_to_publish.is_(False))).scalar())
