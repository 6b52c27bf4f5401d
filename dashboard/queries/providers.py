"""Provider quality from CQC's files: the rating mix of a council, its comparators and England,
the provider-quality KPIs, inspections published in a period, changes between two snapshots, old
ratings, and contracted services that give concern.

A council here is a local authority as CQC spells it (``Location Local Authority``); it needs no
set-up to be queried, and its comparator group comes from its set-up unless one is given. The
figures speak for the newest directory snapshot on or before the date asked for, never one after.
England and comparator groups are read from the mix summary the loader keeps (a few hundred rows
per snapshot); only the council's own locations are read row by row, through their index.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Connection, Engine, and_, case, func, select

from dashboard.db import schema as s
from dashboard.db.councils import find_council
from dashboard.figures.vocabulary import CQC_RATING_GROUPS, CQC_RATINGS, CQC_SERVICES, NOT_YET_RATED
from dashboard.queries.cache import cached_query

GROUPS = ("council", "comparators", "england")
MIX_COLUMNS = ["group", "service", "rating", "count", "percent"]
RANK = {rating: rank for rank, rating in enumerate(CQC_RATINGS)}  # 0 best
OLD_RATING_YEARS = 2  # CQC re-inspects a Good service about two years after its last report


class NoSnapshot(LookupError):
    """No CQC directory loaded on or before the date asked for."""


def snapshot_at(conn: Connection, as_at: date | None) -> tuple[int, date]:
    """(id, date) of the newest directory snapshot on or before ``as_at`` (the newest if None)."""
    snaps = s.cqc_snapshots
    query = select(snaps.c.id, snaps.c.as_at).where(snaps.c.kind == "locations")
    if as_at is not None:
        query = query.where(snaps.c.as_at <= as_at)
    row = conn.execute(query.order_by(snaps.c.as_at.desc()).limit(1)).first()
    if row is None:
        when = f" on or before {as_at:%d/%m/%Y}" if as_at else ""
        raise NoSnapshot(f"No CQC care directory is loaded{when}. Load one with "
                         "python -m data_loaders load 01_November_2019_HSCA_Active_Locations.ods")
    return int(row[0]), row[1]


def _dates(conn: Connection) -> list[date]:
    snaps = s.cqc_snapshots
    return list(conn.execute(select(snaps.c.as_at).where(snaps.c.kind == "locations")
                             .order_by(snaps.c.as_at)).scalars())


def directory_dates_of(engine: Engine) -> list[date]:
    """Every directory snapshot's date, oldest first (uncached, for other cached queries)."""
    with engine.connect() as conn:
        return _dates(conn)


directory_dates = cached_query(directory_dates_of)


def _comparators(conn: Connection, council: str) -> tuple[str, ...]:
    found = find_council(conn, council)
    if found is None:
        return ()
    text = conn.execute(select(s.councils.c.comparators).where(s.councils.c.id == found[0])).scalar()
    return tuple(line for line in (text or "").splitlines() if line.strip())


@cached_query
def configured_comparators(engine: Engine, council: str) -> tuple[str, ...]:
    """The comparator group set up for the council (none if it is not set up)."""
    with engine.connect() as conn:
        return _comparators(conn, council)


def _spelling(conn: Connection, snapshot_id: int, council: str) -> str | None:
    """The council's name as the snapshot spells it (names are matched in any case)."""
    mix = s.cqc_mix
    return conn.execute(select(mix.c.local_authority).where(
        mix.c.snapshot_id == snapshot_id,
        func.lower(mix.c.local_authority) == " ".join(council.split()).lower()).limit(1)).scalar()


def _mix_rows(conn: Connection, snapshot_id: int) -> pd.DataFrame:
    mix = s.cqc_mix
    rows = conn.execute(select(mix.c.local_authority, mix.c.service, mix.c.rating, mix.c.locations,
                               mix.c.beds).where(mix.c.snapshot_id == snapshot_id)).all()
    frame = pd.DataFrame(rows, columns=["area", "service", "rating", "count", "beds"])
    frame["key"] = frame["area"].str.lower()
    return frame


def _group_frame(rows: pd.DataFrame, group: str, council: str, comparators: tuple[str, ...]) -> pd.DataFrame:
    if group == "council":
        return rows[rows["key"] == " ".join(council.split()).lower()]
    if group == "comparators":
        return rows[rows["key"].isin({" ".join(c.split()).lower() for c in comparators})]
    return rows


def _mix_of(part: pd.DataFrame, group: str) -> list[dict]:
    out = []
    for service in CQC_SERVICES:
        rows = part if service == "all" else part[part["service"] == service]
        counts = rows.groupby("rating")["count"].sum()
        total = int(counts.sum())
        for rating in CQC_RATING_GROUPS:
            count = int(counts.get(rating, 0))
            out.append({"group": group, "service": service, "rating": rating, "count": count,
                        "percent": round(100 * count / total, 1) if total else 0.0})
    return out


@cached_query
def rating_mix(engine: Engine, council: str, as_at: date | None = None,
               comparators: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Columns group, service, rating, count, percent (of the group's services of that kind,
    one decimal): every combination, zero where there is none."""
    with engine.connect() as conn:
        group_of = comparators if comparators is not None else _comparators(conn, council)
        snapshot_id, _day = snapshot_at(conn, as_at)
        rows = _mix_rows(conn, snapshot_id)
    records = [r for group in GROUPS for r in _mix_of(_group_frame(rows, group, council, group_of), group)]
    return pd.DataFrame(records, columns=MIX_COLUMNS)


def _population(conn: Connection, areas: set[str], year: int) -> int | None:
    """People aged 65+ in the areas, from the newest year on or before ``year`` each has."""
    pop = s.council_population
    rows = conn.execute(select(pop.c.area, pop.c.year, pop.c.aged_65_plus).where(pop.c.year <= year)).all()
    newest: dict[str, tuple[int, int]] = {}
    for area, row_year, people in rows:
        key = area.lower()
        if key in areas and (key not in newest or row_year > newest[key][0]):
            newest[key] = (row_year, people)
    if not newest or len(newest) < len(areas):
        return None
    return sum(people for _year, people in newest.values())


def _funded_exposure(conn: Connection, snapshot_id: int, council: str, spelling: str | None) -> dict:
    """Council-funded beds and hours in all its counted services, and in those rated Requires
    improvement or Inadequate."""
    found = find_council(conn, council)
    empty = {"beds": 0, "beds_exposed": 0, "hours": 0.0, "hours_exposed": 0.0}
    if found is None or spelling is None:
        return empty
    loc, con = s.cqc_locations, s.council_contracts
    rows = conn.execute(
        select(loc.c.rating, func.coalesce(func.sum(con.c.funded_beds), 0),
               func.coalesce(func.sum(con.c.funded_hours_weekly), 0))
        .join(con, and_(con.c.location_id == loc.c.location_id, con.c.council_id == found[0]))
        .where(loc.c.snapshot_id == snapshot_id, loc.c.local_authority == spelling,
               loc.c.service.is_not(None), con.c.contracted.is_(True))
        .group_by(loc.c.rating)).all()
    out = dict(empty)
    for rating, beds, hours in rows:
        out["beds"] += int(beds)
        out["hours"] += float(hours)
        if rating in ("Requires improvement", "Inadequate"):
            out["beds_exposed"] += int(beds)
            out["hours_exposed"] += float(hours)
    return out


def _share(part: float, whole: float) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


@cached_query
def provider_kpis(engine: Engine, council: str, as_at: date | None = None,
                  comparators: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Columns kpi, group, value: each provider-quality KPI (dashboard.queries.registry) for the
    council, its comparators and England; the funded-exposure KPIs for the council alone."""
    with engine.connect() as conn:
        group_of = comparators if comparators is not None else _comparators(conn, council)
        snapshot_id, day = snapshot_at(conn, as_at)
        rows = _mix_rows(conn, snapshot_id)
        spelling = _spelling(conn, snapshot_id, council)
        exposure = _funded_exposure(conn, snapshot_id, council, spelling)
        areas = {"council": {" ".join(council.split()).lower()},
                 "comparators": {" ".join(c.split()).lower() for c in group_of}, "england": {"england"}}
        people = {group: (_population(conn, keys, day.year) if keys else None)
                  for group, keys in areas.items()}
    records = []
    for group in GROUPS:
        part = _group_frame(rows, group, council, group_of)
        counts = part.groupby("rating")["count"].sum()
        total = int(counts.sum())
        rated = total - int(counts.get(NOT_YET_RATED, 0))
        good = int(counts.get("Outstanding", 0) + counts.get("Good", 0))
        concern = int(counts.get("Requires improvement", 0) + counts.get("Inadequate", 0))
        beds = int(part.loc[part["service"] == "care_home", "beds"].sum())
        values = {
            "provider_good_or_outstanding_pct": _share(good, rated),
            "provider_ri_or_inadequate_pct": _share(concern, rated),
            "provider_inadequate_count": int(counts.get("Inadequate", 0)) if total else None,
            "provider_not_yet_rated_count": int(counts.get(NOT_YET_RATED, 0)) if total else None,
            "provider_beds": beds if total else None,
            "provider_beds_per_1000_65": None if not people[group] or not total
            else round(1000 * beds / people[group], 1),
        }
        if group == "council":
            values["provider_funded_beds_exposed_pct"] = _share(exposure["beds_exposed"], exposure["beds"])
            values["provider_funded_hours_exposed_pct"] = _share(exposure["hours_exposed"], exposure["hours"])
        records += [{"kpi": kpi, "group": group, "value": value} for kpi, value in values.items()]
    frame = pd.DataFrame(records, columns=["kpi", "group", "value"])
    frame.attrs["as_at"] = day
    return frame


def _council_rows(conn: Connection, snapshot_id: int, spelling: str | None, *columns: object) -> list:
    loc = s.cqc_locations
    if spelling is None:
        return []
    return conn.execute(select(*columns).where(loc.c.snapshot_id == snapshot_id,
                                               loc.c.local_authority == spelling,
                                               loc.c.service.is_not(None))).all()


def _rated_locations(engine: Engine, council: str, as_at: date | None) -> tuple[pd.DataFrame, date]:
    """The council's counted services with a rating and a report date (location_id, name,
    service, rating, published), and the snapshot's date."""
    loc = s.cqc_locations
    with engine.connect() as conn:
        snapshot_id, day = snapshot_at(conn, as_at)
        spelling = _spelling(conn, snapshot_id, council)
        rows = _council_rows(conn, snapshot_id, spelling, loc.c.location_id, loc.c.name, loc.c.service,
                             loc.c.rating, loc.c.publication_date)
    frame = pd.DataFrame(rows, columns=["location_id", "name", "service", "rating", "published"])
    return frame[frame["published"].notna() & frame["rating"].isin(CQC_RATINGS)], day


@cached_query
def inspections_published(engine: Engine, council: str, first: date, last: date,
                          as_at: date | None = None) -> pd.DataFrame:
    """The council's counted services whose latest report was published from ``first`` to
    ``last`` (no later than the snapshot's date): location_id, name, service, rating, published."""
    frame, day = _rated_locations(engine, council, as_at)
    last = min(last, day)
    within = (frame["published"] >= first) & (frame["published"] <= last)
    return frame[within].sort_values(["published", "name"]).reset_index(drop=True)


def outcome_counts(inspections: pd.DataFrame) -> pd.DataFrame:
    """Inspections by service and rating (count and percent of the service's): the table of
    para 7, from ``inspections_published``."""
    records = []
    for service in CQC_SERVICES:
        rows = inspections if service == "all" else inspections[inspections["service"] == service]
        total = len(rows)
        for rating in CQC_RATINGS:
            count = int((rows["rating"] == rating).sum())
            records.append({"service": service, "rating": rating, "count": count,
                            "percent": round(100 * count / total, 1) if total else 0.0})
    return pd.DataFrame(records, columns=["service", "rating", "count", "percent"])


@cached_query
def rating_changes(engine: Engine, council: str, before: date | None = None,
                   after: date | None = None) -> dict[str, list[dict]]:
    """Between two directory snapshots (the newest two if not given): services that improved,
    declined, were newly rated, or closed (in the earlier, not the later), each as location_id,
    name, before and after."""
    out: dict[str, list[dict]] = {"improved": [], "declined": [], "newly_rated": [], "closed": []}
    loc = s.cqc_locations
    with engine.connect() as conn:
        dates = _dates(conn)
        after = after or (dates[-1] if dates else None)
        earlier = [d for d in dates if after is not None and d < after]
        before = before or (earlier[-1] if earlier else None)
        if before is None or after is None:
            return out
        states = []
        for day in (before, after):
            snapshot_id, _ = snapshot_at(conn, day)
            spelling = _spelling(conn, snapshot_id, council)
            rows = _council_rows(conn, snapshot_id, spelling, loc.c.location_id, loc.c.name, loc.c.rating)
            states.append({r[0]: (r[1], r[2]) for r in rows})
    old, new = states
    for location_id in sorted(old.keys() | new.keys(), key=lambda k: (new.get(k) or old[k])[0]):
        name, was = old.get(location_id, (None, None))
        if location_id not in new:
            out["closed"].append({"location_id": location_id, "name": name, "before": was, "after": None})
            continue
        name, now = new[location_id]
        item = {"location_id": location_id, "name": name, "before": was, "after": now}
        if now in RANK and (was is None or was == NOT_YET_RATED):
            out["newly_rated"].append(item)
        elif now in RANK and was in RANK and RANK[now] < RANK[was]:
            out["improved"].append(item)
        elif now in RANK and was in RANK and RANK[now] > RANK[was]:
            out["declined"].append(item)
    return out


@cached_query
def services_of_concern(engine: Engine, council: str, as_at: date | None = None) -> pd.DataFrame:
    """Services the council contracts with that are rated Requires improvement or Inadequate,
    worst first: location_id, name, service, rating, published, funded_beds, funded_hours_weekly.
    Names are public: CQC publishes them."""
    loc, con = s.cqc_locations, s.council_contracts
    columns = ["location_id", "name", "service", "rating", "published", "funded_beds", "funded_hours_weekly"]
    with engine.connect() as conn:
        snapshot_id, _day = snapshot_at(conn, as_at)
        spelling, found = _spelling(conn, snapshot_id, council), find_council(conn, council)
        if spelling is None or found is None:
            return pd.DataFrame(columns=columns)
        rows = conn.execute(
            select(loc.c.location_id, loc.c.name, loc.c.service, loc.c.rating, loc.c.publication_date,
                   con.c.funded_beds, con.c.funded_hours_weekly)
            .join(con, and_(con.c.location_id == loc.c.location_id, con.c.council_id == found[0]))
            .where(loc.c.snapshot_id == snapshot_id, loc.c.local_authority == spelling,
                   loc.c.service.is_not(None), con.c.contracted.is_(True),
                   loc.c.rating.in_(("Requires improvement", "Inadequate")))).all()
    frame = pd.DataFrame(rows, columns=columns)
    frame["order"] = frame["rating"].map(RANK)
    frame = frame.sort_values(["order", "name"], ascending=[False, True])
    return frame.drop(columns="order").reset_index(drop=True)


@cached_query
def contracted_services(engine: Engine, council: str, as_at: date | None = None) -> pd.DataFrame:
    """Per service kind: services counted, and those the council contracts with (para 5's "172
    of the residential/nursing homes")."""
    loc, con = s.cqc_locations, s.council_contracts
    with engine.connect() as conn:
        snapshot_id, _day = snapshot_at(conn, as_at)
        spelling, found = _spelling(conn, snapshot_id, council), find_council(conn, council)
        rows = [] if spelling is None else conn.execute(
            select(loc.c.service, func.count(),
                   func.sum(case((con.c.contracted.is_(True), 1), else_=0)))
            .select_from(loc.outerjoin(con, and_(con.c.location_id == loc.c.location_id,
                                                 con.c.council_id == (found[0] if found else -1))))
            .where(loc.c.snapshot_id == snapshot_id, loc.c.local_authority == spelling,
                   loc.c.service.is_not(None))
            .group_by(loc.c.service)).all()
    frame = pd.DataFrame(rows, columns=["service", "services", "contracted"])
    frame["contracted"] = frame["contracted"].fillna(0).astype(int)
    return frame.sort_values("service").reset_index(drop=True)


@cached_query
def old_ratings(engine: Engine, council: str, as_at: date | None = None) -> pd.DataFrame:
    """The council's rated services whose latest report is more than two years old at the
    snapshot's date: location_id, name, service, rating, published."""
    frame, day = _rated_locations(engine, council, as_at)
    try:
        cutoff = day.replace(year=day.year - OLD_RATING_YEARS)
    except ValueError:  # 29 February
        cutoff = day.replace(year=day.year - OLD_RATING_YEARS, day=28)
    return frame[frame["published"] < cutoff].sort_values("published").reset_index(drop=True)


HEADLINE_KPIS = ("provider_good_or_outstanding_pct", "provider_ri_or_inadequate_pct",
                 "provider_inadequate_count", "provider_not_yet_rated_count", "provider_beds_per_1000_65",
                 "provider_funded_beds_exposed_pct")


def named_mix(mix: pd.DataFrame, council: str) -> pd.DataFrame:
    """``rating_mix`` with an ``area`` column naming each group as a reader would."""
    names = {"council": council, "comparators": "Comparators", "england": "England"}
    return mix.assign(area=mix["group"].map(names))


def mix_table(mix: pd.DataFrame, service: str) -> pd.DataFrame:
    """One service's ratings, a row per rating and a column per area: "count (share%)", as the
    report's table sets it out. ``mix`` comes from ``named_mix``."""
    part = mix[mix["service"] == service]
    areas = list(dict.fromkeys(part["area"]))
    cells = part.set_index(["rating", "area"])
    return pd.DataFrame({"Rating": list(CQC_RATING_GROUPS), **{
        area: [f"{int(cells.loc[(r, area), 'count']):,} ({cells.loc[(r, area), 'percent']:.1f}%)"
               for r in CQC_RATING_GROUPS] for area in areas}})


def good_share_words(mix: pd.DataFrame, service: str) -> str:
    """'Good or Outstanding: Leicestershire 76.9%; ...' for one service of a ``named_mix``."""
    part = mix[(mix["service"] == service) & mix["rating"].isin(("Outstanding", "Good"))]
    good = part.groupby("area", sort=False)["percent"].sum()
    return "Good or Outstanding: " + "; ".join(f"{area} {value:.1f}%" for area, value in good.items()) + "."
