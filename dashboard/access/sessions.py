"""Sign-out that holds on the server: a signed-out identity's older sign-in cookies open nothing.

Streamlit keeps a signed-in person in a signed cookie and has no server-side session to end, so
sign-out only deletes the cookie from that browser: a copy taken earlier (from a shared computer,
or a stolen one) would still sign its holder in. Here sign-out records, per identity (issuer and
subject), the second it happened, and a cookie whose ID token was issued (``iat``) at or before
then is treated as signed out. Signing in again makes a new token, issued later, which works.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from sqlalchemy import Engine, insert, select, update

from dashboard.db import schema as s

SUBJECT_LENGTH = 400


def subject(claims: Mapping[str, object]) -> str | None:
    """Who the identity provider says this is, for good: issuer and subject (an e-mail address can
    be given to someone else later; ``sub`` cannot)."""
    sub = claims.get("sub")
    if not sub:
        return None
    return f"{claims.get('iss') or ''}|{sub}"[:SUBJECT_LENGTH]


def record_sign_out(engine: Engine, claims: Mapping[str, object], now: float | None = None) -> None:
    """Every sign-in of this identity issued up to now ends (in this browser and any other)."""
    who = subject(claims)
    if who is None:
        return
    at = int(now if now is not None else time.time())
    table = s.sign_outs
    with engine.begin() as conn:
        changed = conn.execute(update(table).where(table.c.subject == who)
                               .values(signed_out_at=at)).rowcount
        if not changed:
            conn.execute(insert(table).values(subject=who, signed_out_at=at))


def signed_out(engine: Engine, claims: Mapping[str, object]) -> bool:
    """True when this sign-in's ID token was issued at or before the identity's last sign-out.
    A token without ``iat`` (OpenID Connect requires one) cannot be told apart, so it stands."""
    who, issued = subject(claims), claims.get("iat")
    if who is None or not isinstance(issued, int | float):
        return False
    table = s.sign_outs
    with engine.connect() as conn:
        at = conn.execute(select(table.c.signed_out_at).where(table.c.subject == who)).scalar()
    return at is not None and issued <= at
