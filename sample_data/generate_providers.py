"""Writes the provider-quality sample: a synthetic national CQC care directory for two months (in
CQC's .ods format, notices above the header), a Latest ratings file, Leicestershire's contracts,
a population file and the councils file. Every location is invented; only the counts are
calibrated, by construction, to the Leicestershire scrutiny report of November 2019 (item 14):

- Leicestershire's current ratings 6 / 215 / 43 / 1 / 22 (care homes 3 / 143 / 33 / 0 / 4,
  community 3 / 72 / 10 / 1 / 18), 5,144 beds, 172 contracted care homes and 68 community services;
- 72 inspections published in 2019 (care homes 0 / 28 / 22 / 0, community 1 / 16 / 4 / 1);
- the 15 comparators and England within half a point of para 6's percentages.

``python sample_data/generate_providers.py`` writes the same bytes every time.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sample_data.generate import split_exactly  # noqa: E402
from sample_data.ods_file import ods_bytes  # noqa: E402

FOLDER = Path(__file__).resolve().parent / "council_files"
SEED = 20191101
AS_AT = date(2019, 11, 1)
BEFORE = date(2019, 10, 1)
RATINGS = ("Outstanding", "Good", "Requires improvement", "Inadequate", "")
LEICESTERSHIRE = "Leicestershire"
COMPARATORS = (
    "Buckinghamshire",
    "Cumbria",
    "Devon",
    "Derbyshire",
    "Gloucestershire",
    "Hampshire",
    "Northamptonshire",
    "North Yorkshire",
    "Nottinghamshire",
    "Oxfordshire",
    "Somerset",
    "Staffordshire",
    "Suffolk",
    "Warwickshire",
    "Worcestershire",
)
# Counts by rating (Outstanding, Good, RI, Inadequate, not yet rated): Leicestershire exactly as
# para 5; the comparators' and England's totals chosen so each share is within 0.5 of para 6.
COUNTS = {
    ("Leicestershire", "care_home"): (3, 143, 33, 0, 4),
    ("Leicestershire", "community"): (3, 72, 10, 1, 18),
    ("comparators", "care_home"): (118, 1546, 307, 42, 87),
    ("comparators", "community"): (78, 1071, 108, 6, 237),
    ("england", "care_home"): (570, 11055, 2505, 285, 585),
    ("england", "community"): (300, 6500, 1000, 100, 2100),
}
# Leicestershire's inspections published in 2019 (para 7, the table's 1 for the typo'd 8).
PUBLISHED_2019 = {"care_home": (0, 28, 22, 0), "community": (1, 16, 4, 1)}
LEICESTERSHIRE_BEDS = 5144
CONTRACTED = {"care_home": 172, "community": 68}

REGIONS = {
    "East Midlands": (
        "Derby",
        "Derbyshire",
        "Leicester",
        "Leicestershire",
        "Lincolnshire",
        "Northamptonshire",
        "Nottingham",
        "Nottinghamshire",
        "Rutland",
    ),
    "East of England": (
        "Bedford",
        "Cambridgeshire",
        "Central Bedfordshire",
        "Essex",
        "Hertfordshire",
        "Luton",
        "Norfolk",
        "Peterborough",
        "Southend-on-Sea",
        "Suffolk",
        "Thurrock",
    ),
    "London": (
        "Barking and Dagenham",
        "Barnet",
        "Bexley",
        "Brent",
        "Bromley",
        "Camden",
        "City of London",
        "Croydon",
        "Ealing",
        "Enfield",
        "Greenwich",
        "Hackney",
        "Hammersmith and Fulham",
        "Haringey",
        "Harrow",
        "Havering",
        "Hillingdon",
        "Hounslow",
        "Islington",
        "Kensington and Chelsea",
        "Kingston upon Thames",
        "Lambeth",
        "Lewisham",
        "Merton",
        "Newham",
        "Redbridge",
        "Richmond upon Thames",
        "Southwark",
        "Sutton",
        "Tower Hamlets",
        "Waltham Forest",
        "Wandsworth",
        "Westminster",
    ),
    "North East": (
        "County Durham",
        "Darlington",
        "Gateshead",
        "Hartlepool",
        "Middlesbrough",
        "Newcastle upon Tyne",
        "North Tyneside",
        "Northumberland",
        "Redcar and Cleveland",
        "South Tyneside",
        "Stockton-on-Tees",
        "Sunderland",
    ),
    "North West": (
        "Blackburn with Darwen",
        "Blackpool",
        "Bolton",
        "Bury",
        "Cheshire East",
        "Cheshire West and Chester",
        "Cumbria",
        "Halton",
        "Knowsley",
        "Lancashire",
        "Liverpool",
        "Manchester",
        "Oldham",
        "Rochdale",
        "Salford",
        "Sefton",
        "St Helens",
        "Stockport",
        "Tameside",
        "Trafford",
        "Warrington",
        "Wigan",
        "Wirral",
    ),
    "South East": (
        "Bracknell Forest",
        "Brighton and Hove",
        "Buckinghamshire",
        "East Sussex",
        "Hampshire",
        "Isle of Wight",
        "Kent",
        "Medway",
        "Milton Keynes",
        "Oxfordshire",
        "Portsmouth",
        "Reading",
        "Slough",
        "Southampton",
        "Surrey",
        "West Berkshire",
        "West Sussex",
        "Windsor and Maidenhead",
        "Wokingham",
    ),
    "South West": (
        "Bath and North East Somerset",
        "Bournemouth, Christchurch and Poole",
        "Bristol, City of",
        "Cornwall",
        "Devon",
        "Dorset",
        "Gloucestershire",
        "Isles of Scilly",
        "North Somerset",
        "Plymouth",
        "Somerset",
        "South Gloucestershire",
        "Swindon",
        "Torbay",
        "Wiltshire",
    ),
    "West Midlands": (
        "Birmingham",
        "Coventry",
        "Dudley",
        "Herefordshire, County of",
        "Sandwell",
        "Shropshire",
        "Solihull",
        "Staffordshire",
        "Stoke-on-Trent",
        "Telford and Wrekin",
        "Walsall",
        "Warwickshire",
        "Wolverhampton",
        "Worcestershire",
    ),
    "Yorkshire and The Humber": (
        "Barnsley",
        "Bradford",
        "Calderdale",
        "Doncaster",
        "East Riding of Yorkshire",
        "Kirklees",
        "Kingston upon Hull, City of",
        "Leeds",
        "North East Lincolnshire",
        "North Lincolnshire",
        "North Yorkshire",
        "Rotherham",
        "Sheffield",
        "Wakefield",
        "York",
    ),
}
REGION_OF = {council: region for region, councils in REGIONS.items() for council in councils}
HEADER = [
    "Location ID",
    "Location ODS Code",
    "Location Name",
    "Location Telephone Number",
    "Location Web Address",
    "Care home?",
    "Location Type/Sector",
    "Location Inspection Directorate",
    "Location Primary Inspection Category",
    "Location Latest Overall Rating",
    "Publication Date",
    "Inherited Rating (Y/N)",
    "Location Region",
    "Location Local Authority",
    "Location Postal Code",
    "Care homes beds",
    "Location HSCA start date",
    "Dormant (Y/N)",
    "Provider ID",
    "Provider Name",
    "Brand ID",
    "Brand Name",
]
PLACES = (
    "Ash",
    "Beech",
    "Cedar",
    "Elm",
    "Hazel",
    "Holly",
    "Larch",
    "Maple",
    "Oak",
    "Rowan",
    "Willow",
    "Yew",
    "Meadow",
    "Brook",
    "Orchard",
    "Park",
    "Church",
    "Mill",
    "Grange",
    "Manor",
)
SUFFIXES = {
    "care_home": ("House", "Lodge", "Court", "Care Home", "Nursing Home", "Hall"),
    "community": ("Home Care", "Care at Home", "Supported Living", "Community Care", "Homecare"),
}
COMMUNITY_CATEGORY = "Community based adult social care services"


def location_row(
    rng: random.Random, council: str, service: str, rating: str, published: date | None, serial: int
) -> dict:
    place = rng.choice(PLACES)
    name = f"{place} {rng.choice(SUFFIXES[service])}"
    if service == "community":
        name = f"{place} {rng.choice(SUFFIXES[service])} {council.split(',')[0]}"
    provider = 100_000 + rng.randrange(40_000)
    return {
        "Location ID": f"1-{1_000_000_000 + serial * 7919:010d}",
        "Location ODS Code": f"V{serial:05d}",
        "Location Name": name,
        "Location Telephone Number": "",
        "Location Web Address": "",
        "Care home?": "Y" if service == "care_home" else "N",
        "Location Type/Sector": "Social Care Org",
        "Location Inspection Directorate": "Adult social care",
        "Location Primary Inspection Category": "Residential social care"
        if service == "care_home"
        else COMMUNITY_CATEGORY,
        "Location Latest Overall Rating": rating,
        "Publication Date": published,
        "Inherited Rating (Y/N)": "N",
        "Location Region": REGION_OF[council],
        "Location Local Authority": council,
        "Location Postal Code": "",
        "Care homes beds": rng.randint(12, 60) if service == "care_home" else "",
        "Location HSCA start date": date(2011 + rng.randrange(8), 1 + rng.randrange(12), 1),
        "Dormant (Y/N)": "N",
        "Provider ID": f"1-{provider:09d}",
        "Provider Name": f"{place} Care Ltd",
        "Brand ID": "",
        "Brand Name": "",
    }


def _date_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _published(rng: random.Random, rating: str, in_2019: bool) -> date | None:
    if not rating:
        return None
    if in_2019:
        return _date_between(rng, date(2019, 1, 2), date(2019, 10, 28))
    return _date_between(rng, date(2016, 3, 1), date(2018, 12, 20))


def _leicestershire(rng: random.Random, serial: int) -> list[dict]:
    rows = []
    for service in ("care_home", "community"):
        for index, rating in enumerate(RATINGS):
            count = COUNTS[(LEICESTERSHIRE, service)][index]
            recent = PUBLISHED_2019[service][index] if rating else 0
            for n in range(count):
                serial += 1
                rows.append(
                    location_row(
                        rng, LEICESTERSHIRE, service, rating, _published(rng, rating, n < recent), serial
                    )
                )
    homes = [r for r in rows if r["Care home?"] == "Y"]
    for row, beds in zip(
        homes, split_exactly(LEICESTERSHIRE_BEDS, [rng.uniform(0.5, 1.5) for _ in homes]), strict=True
    ):
        row["Care homes beds"] = beds
    return rows


def _group(
    rng: random.Random,
    councils: tuple[str, ...],
    group: str,
    serial: int,
    minus: dict[str, tuple[int, ...]] | None = None,
) -> list[dict]:
    rows = []
    weights = [rng.uniform(0.6, 1.6) for _ in councils]
    for service in ("care_home", "community"):
        totals = COUNTS[(group, service)]
        if minus:
            totals = tuple(a - b for a, b in zip(totals, minus[service], strict=True))
        for index, rating in enumerate(RATINGS):
            for council, count in zip(councils, split_exactly(totals[index], weights), strict=True):
                for _ in range(count):
                    serial += 1
                    rows.append(
                        location_row(
                            rng, council, service, rating, _published(rng, rating, rng.random() < 0.3), serial
                        )
                    )
    return rows


def _uncounted(rng: random.Random, councils: list[str], serial: int) -> list[dict]:
    """Rows the council's adult social care does not count: GP surgeries, hospitals, dormant
    locations, another adult social care category."""
    rows = []
    for council in councils:
        for kind in ("gp", "hospital", "dormant", "other"):
            serial += 1
            row = location_row(
                rng,
                council,
                "care_home" if kind == "dormant" else "community",
                "Good",
                date(2018, 5, 1),
                serial,
            )
            if kind == "gp":
                row.update(
                    {
                        "Location Name": f"{row['Location Name'].split()[0]} Surgery",
                        "Location Type/Sector": "Primary Medical Services",
                        "Location Inspection Directorate": "Primary medical services",
                        "Location Primary Inspection Category": "GP Practices",
                    }
                )
            elif kind == "hospital":
                row.update(
                    {
                        "Location Name": f"{row['Location Name'].split()[0]} Clinic",
                        "Location Type/Sector": "Independent Healthcare Org",
                        "Location Inspection Directorate": "Hospitals",
                        "Location Primary Inspection Category": "Independent consulting doctors",
                    }
                )
            elif kind == "dormant":
                row["Dormant (Y/N)"] = "Y"
            else:
                row["Location Primary Inspection Category"] = "Residential substance misuse treatment"
            rows.append(row)
    return rows


def national(rng: random.Random) -> list[dict]:
    """Every location in England as at 1 November 2019."""
    rows = _leicestershire(rng, 0)
    rows += _group(rng, COMPARATORS, "comparators", 10_000)
    others = tuple(c for c in REGION_OF if c != LEICESTERSHIRE and c not in COMPARATORS)
    taken = {
        service: tuple(
            a + b
            for a, b in zip(COUNTS[(LEICESTERSHIRE, service)], COUNTS[("comparators", service)], strict=True)
        )
        for service in ("care_home", "community")
    }
    rows += _group(rng, others, "england", 100_000, minus=taken)
    rows += _uncounted(rng, sorted(REGION_OF), 900_000)
    _make_multi_service(rows)
    return rows


def _make_multi_service(rows: list[dict]) -> None:
    """Three Leicestershire community services rated Good that the directory shows as 'Not Rated'
    (CQC's newer approach: more than one type of service); their Good is in the ratings file."""
    chosen = [
        r
        for r in rows
        if r["Location Local Authority"] == LEICESTERSHIRE
        and r["Care home?"] == "N"
        and r["Location Latest Overall Rating"] == "Good"
    ][:3]
    for row in chosen:
        row["Location Latest Overall Rating"] = "Not Rated"
        row["multi_service"] = True


def month_before(rng: random.Random, rows: list[dict]) -> list[dict]:
    """The directory a month earlier: in Leicestershire four services inspected in 2019 improved
    since, three declined, two were newly rated, two closed and one is new. Only the earlier file
    differs, so the current one keeps every calibrated count."""
    leics = [
        r
        for r in rows
        if r["Location Local Authority"] == LEICESTERSHIRE
        and not r.get("multi_service")
        and r["Location Type/Sector"] == "Social Care Org"
        and r["Dormant (Y/N)"] == "N"
    ]
    recent = {
        rating: [
            r
            for r in leics
            if r["Location Latest Overall Rating"] == rating
            and r["Publication Date"]
            and r["Publication Date"].year == 2019
        ]
        for rating in RATINGS
    }
    earlier = {r["Location ID"]: dict(r) for r in rows}
    changes = (
        (recent["Good"][:4], "Requires improvement", date(2017, 9, 14)),  # improved since
        (recent["Requires improvement"][:3], "Good", date(2017, 6, 2)),  # declined since
        (recent["Good"][4:6], "", None),
    )  # newly rated since
    for chosen, rating, published in changes:
        for row in chosen:
            earlier[row["Location ID"]].update(
                {"Location Latest Overall Rating": rating, "Publication Date": published}
            )
    unrated = [r for r in leics if not r["Location Latest Overall Rating"]]
    del earlier[unrated[-1]["Location ID"]]  # registered in October: not in the earlier file
    closed = []
    for serial in (950_001, 950_002):
        gone = location_row(rng, LEICESTERSHIRE, "care_home", "Good", date(2017, 3, 3), serial)
        gone["Location Name"] = f"{gone['Location Name'].split()[0]} Closed Home"
        closed.append(gone)
    return list(earlier.values()) + closed


def directory_file(rows: list[dict], as_at: date) -> bytes:
    notices = [
        [
            "Care Quality Commission: active locations registered under the Health and Social Care Act "
            "2008 (synthetic sample for the dashboard; every location is invented)"
        ],
        [f"Data as at {as_at:%d %B %Y}"],
        ["Ratings shown are the latest overall rating for each location."],
        [],
        [],
    ]
    body = [[r.get(h, "") if h != "Location Latest Overall Rating" else r[h] for h in HEADER] for r in rows]
    return ods_bytes({"HSCA_Active_Locations": [*notices, HEADER, *body]})


def ratings_file(rng: random.Random, rows: list[dict]) -> bytes:
    """Latest ratings for Leicestershire's rated services (the sample covers one county), with
    service-level Overall ratings for the multi-service locations."""
    header = [
        "Location ID",
        "Location ODS Code",
        "Location Name",
        "Service / Population Group",
        "Domain",
        "Latest Rating",
        "Publication Date",
        "Report Type",
        "Inherited Rating (Y/N)",
        "URL",
        "Provider ID",
        "Provider Name",
    ]
    out = []
    for row in rows:
        if (
            row["Location Local Authority"] != LEICESTERSHIRE
            or row["Location Type/Sector"] != "Social Care Org"
        ):
            continue
        base = [row["Location ID"], row["Location ODS Code"], row["Location Name"]]
        tail = [row["Provider ID"], row["Provider Name"]]
        if row.get("multi_service"):
            published = row["Publication Date"]
            for group, rating in (
                (COMMUNITY_CATEGORY, "Good"),
                ("Extra care housing services", "Requires improvement"),
            ):
                out.append([*base, group, "Overall", rating, published, "Service", "N", "", *tail])
            continue
        rating = row["Location Latest Overall Rating"]
        if not rating:
            continue
        for domain in ("Overall", "Safe", "Effective", "Caring", "Responsive", "Well-led"):
            domain_rating = rating if domain == "Overall" or rng.random() < 0.8 else "Good"
            out.append(
                [*base, "Overall", domain, domain_rating, row["Publication Date"], "Location", "N", "", *tail]
            )
    return ods_bytes({"Locations": [header, *out]})


def contracts_file(rng: random.Random, rows: list[dict]) -> str:
    counted = [
        r
        for r in rows
        if r["Location Local Authority"] == LEICESTERSHIRE
        and r["Location Type/Sector"] == "Social Care Org"
        and r["Dormant (Y/N)"] == "N"
        and (r["Care home?"] == "Y" or r["Location Primary Inspection Category"] == COMMUNITY_CATEGORY)
    ]
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerow(
        ["Location ID", "Location Name", "Contracted", "Council funded beds", "Council funded hours weekly"]
    )
    for service, care_home in (("care_home", "Y"), ("community", "N")):
        group = [r for r in counted if r["Care home?"] == care_home]
        # the Inadequate service, and every Requires improvement one, is among those contracted
        group.sort(
            key=lambda r: (
                r["Location Latest Overall Rating"] not in ("Inadequate", "Requires improvement"),
                rng.random(),
            )
        )
        for index, row in enumerate(group):
            contracted = index < CONTRACTED[service]
            beds = (
                round(int(row["Care homes beds"]) * rng.uniform(0.3, 0.7))
                if contracted and care_home == "Y"
                else ""
            )
            hours = round(rng.uniform(80, 1200)) if contracted and care_home == "N" else ""
            writer.writerow(
                [row["Location ID"], row["Location Name"], "Yes" if contracted else "No", beds, hours]
            )
    return lines.getvalue()


POPULATION_65 = {"Leicestershire": (143_210, 146_320), "England": (10_218_400, 10_385_300)}


def population_file(rng: random.Random) -> str:
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerow(["Area", "Year", "Aged 65+"])
    for area, (y2018, y2019) in POPULATION_65.items():
        writer.writerow([area, 2018, y2018])
        writer.writerow([area, 2019, y2019])
    for area in COMPARATORS:
        people = rng.randrange(110_000, 260_000)
        writer.writerow([area, 2018, people])
        writer.writerow([area, 2019, round(people * 1.02)])
    return lines.getvalue()


def councils_file() -> str:
    lines = io.StringIO()
    writer = csv.writer(lines, lineterminator="\n")
    writer.writerow(["Council", "Kind", "Comparators", "Programmes"])
    writer.writerow([LEICESTERSHIRE, "Local authority", "; ".join(COMPARATORS),
                     "Lightbulb; Target Operating Model; Prevention services review; "
                     "Leicestershire home care"])
    writer.writerow(["Warwickshire", "Local authority", "", "HEART"])
    writer.writerow(["East Lothian", "Integration joint board", "", "East Lothian care at home"])
    return lines.getvalue()


def main() -> None:
    rng = random.Random(SEED)
    FOLDER.mkdir(exist_ok=True)
    now = national(rng)
    before = month_before(rng, now)
    (FOLDER / "councils.csv").write_text(councils_file(), encoding="utf-8")
    (FOLDER / f"{BEFORE:%d_%B_%Y}_HSCA_Active_Locations.ods").write_bytes(directory_file(before, BEFORE))
    (FOLDER / f"{AS_AT:%d_%B_%Y}_HSCA_Active_Locations.ods").write_bytes(directory_file(now, AS_AT))
    (FOLDER / f"{BEFORE:%d_%B_%Y}_Latest_ratings.ods").write_bytes(ratings_file(rng, before))
    (FOLDER / f"{AS_AT:%d_%B_%Y}_Latest_ratings.ods").write_bytes(ratings_file(rng, now))
    (FOLDER / "Leicestershire_contracts.csv").write_text(contracts_file(rng, now), encoding="utf-8")
    (FOLDER / "population_aged_65_plus.csv").write_text(population_file(rng), encoding="utf-8")


if __name__ == "__main__":
    main()
