"""Writes the care-at-home sample: East Lothian's care at home in the care_providers, care_hours
and care_requests return formats (docs/returns-format.md), calibrated to the Integration Joint
Board's paper on recommissioning care at home (2016), and two Care Inspectorate datastore files
for the same services.

- August 2016: 21,388 hours a week commissioned from external providers, 21,000 of them for adults
  and older people (para 3.2); two frameworks of 8 providers each, "Help to Live at Home" (mainly
  over-65s) and "Specialist" (learning or physical disabilities, mental health), one children's
  supplier, and purchase off framework (para 3.3); £17.5m a year (paras 3.2, 6.1).
- Grades: the datastore as at 31 January 2016 and 31 July 2016, so each service's last two
  inspections are known; a few providers fall below the new framework's entry rule (grade 3 or
  more at the last two inspections, para 3.13).

And Leicestershire's home care (Scrutiny Commission, November 2019, item 11): providers of 250 to
1,000 hours a week recommended, so most of the sample's lie in that range, a few spot providers off
framework below it; each a community service the council contracts with in the sample CQC files
(its Location ID), so its hours are weighed by CQC's rating.

``python sample_data/generate_care.py`` writes the same bytes every time.
"""

from __future__ import annotations

import calendar
import csv
import io
import random
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FOLDER = ROOT / "care_at_home" / "East Lothian care at home"
GRADES = ROOT / "council_files"
SEED = 20161006
AREA = "East Lothian"
HELP = "Help to Live at Home"
SPECIALIST = "Specialist"
CHILDREN = "Children's care at home"
OFF = "Off framework"
# (provider, framework, lot, weekly hours in August 2016 by client group)
PROVIDERS = (
    *((f"{name} Care", HELP, lot, {"Older people": hours}) for name, lot, hours in (
        ("Musselburgh Home", "West", 2_300), ("Haddington Community", "Central", 2_100),
        ("Tranent Caring Hands", "West", 2_000), ("Dunbar Coastal", "East", 1_900),
        ("North Berwick Homecare", "East", 1_700), ("Prestonpans Support", "West", 1_600),
        ("Lammermuir", "Central", 1_500), ("Garleton", "Central", 1_400))),
    *((f"{name} Support", SPECIALIST, "County", groups) for name, groups in (
        ("Esk Valley", {"Learning disability": 1_300}), ("Forth Living", {"Learning disability": 700}),
        ("Tyne Independent", {"Physical disability": 500}), ("Seton", {"Mental health": 400}),
        ("Aberlady Enablement", {"Learning disability": 350}),
        ("Gifford Outreach", {"Physical disability": 300}), ("Whitekirk", {"Mental health": 250}),
        ("Longniddry Pathways", {"Learning disability": 200}))),
    ("Little Steps Children's Care", CHILDREN, "County", {"Children": 300}),
    *((name, OFF, None, groups) for name, groups in (
        ("Lothian Nursing Agency", {"Older people": 1_300, "Physical disability": 150}),
        ("Citywide Homecare", {"Older people": 500, "Learning disability": 200}),
        ("Pentland Care Services", {"Older people": 200, "Mental health": 50}),
        ("Borders Domiciliary", {"Older people": 100}),
        ("Family Respite Partners", {"Children": 88}))),
)
DELIVERED_SHARE = 0.985  # hours delivered of those commissioned, about
ANNUAL_SPEND = 17_500_000
MONTHS = [(2016 + (m >= 9), (m + 3) % 12 + 1) for m in range(12)]  # April 2016 to March 2017
# Below the entry rule at one of the last two inspections (their grades as at July 2016).
BELOW_RULE = {"Dunbar Coastal Care": (3, 2), "Seton Support": (2, 4), "Citywide Homecare": (2, 2)}


def _csv(header: list[str], rows: list[list[object]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def cs_number(index: int) -> str:
    return f"CS2004{70_000 + index * 37:06d}"


def providers_rows() -> list[list[object]]:
    return [[name, framework, lot or "", cs_number(i)]
            for i, (name, framework, lot, _groups) in enumerate(PROVIDERS)]


def _weeks(year: int, month: int) -> float:
    return calendar.monthrange(year, month)[1] / 7


def hours_rows(rng: random.Random) -> list[list[object]]:
    """August 2016 exactly as the paper; the other months drift a little around it. Spend is the
    hours delivered at each provider's rate, scaled so the year comes to £17.5m."""
    rates = {name: rng.uniform(14.6, 17.2) for name, *_ in PROVIDERS}
    raw = []
    for year, month in MONTHS:
        drift = 1.0 if (year, month) == (2016, 8) else rng.uniform(0.97, 1.03)
        for name, _framework, _lot, groups in PROVIDERS:
            for group, hours in groups.items():
                commissioned = hours if drift == 1.0 else round(hours * drift)
                share = rng.uniform(DELIVERED_SHARE - 0.02, DELIVERED_SHARE + 0.01)
                delivered = round(commissioned * share, 1)
                spend = delivered * _weeks(year, month) * rates[name]
                raw.append([name, f"{year}-{month:02d}", group, commissioned, delivered, spend,
                            "Personal budget" if group == "Learning disability" else "Time and task"])
    scale = ANNUAL_SPEND / sum(row[5] for row in raw)
    return [[*row[:5], round(row[5] * scale, 2), row[6]] for row in raw]


def requests_rows(rng: random.Random) -> list[list[object]]:
    """Requests from April 2016: most start within a few weeks; some wait longer; a few end
    before a service starts (the person's needs changed)."""
    rows, day, number = [], date(2016, 4, 1), 0
    groups = ("Older people",) * 7 + ("Learning disability", "Physical disability", "Mental health")
    while day < date(2017, 3, 1):
        number += 1
        group = rng.choice(groups)
        hours = rng.choice((3.5, 5, 7, 7, 10.5, 14, 21))
        wait = int(rng.expovariate(1 / 24))
        start = day + timedelta(days=wait)
        ended = None
        if rng.random() < 0.06:
            ended, start = day + timedelta(days=min(wait, 40)), None
        elif start > date(2017, 3, 31):
            start = None
        rows.append([f"EL-{number:05d}", group, day.strftime("%d/%m/%Y"), hours,
                     start.strftime("%d/%m/%Y") if start else "", ended.strftime("%d/%m/%Y") if ended else "",
                     "Needs changed before a service began" if ended else ""])
        day += timedelta(days=rng.choice((0, 0, 1, 1, 2)))
    return rows


GRADE_COLUMNS = ["Quality_of_Care_and_Support", "Quality_of_Environment", "Quality_of_Staffing",
                 "Quality_of_Mgmt_and_Lship"]
DATASTORE_HEADER = ["CSNumber", "ServiceType", "ServiceName", "ServiceProvider", "Council_Area_Name",
                    "Publication_of_Latest_Grading", *GRADE_COLUMNS, "KQ_Support_Wellbeing",
                    "KQ_Care_and_Support_Planning", "MinGrade", "MaxGrade"]


def datastore(as_at: date, rng: random.Random, earlier: bool) -> bytes:
    """The Care Inspectorate's datastore for the sample's services, as published (Windows-1252).
    The earlier file holds each service's previous inspection; the later its latest."""
    rows = []
    for i, (name, _framework, _lot, _groups) in enumerate(PROVIDERS):
        previous, latest = BELOW_RULE.get(name, (rng.choice((4, 4, 5, 5, 6)), rng.choice((4, 5, 5, 6))))
        grade = previous if earlier else latest
        published = (date(2015, 6, 1) if earlier else date(2016, 2, 1)) + timedelta(days=7 * i)
        grades = [grade, "", max(grade, rng.choice((3, 4, 5))), max(grade, rng.choice((3, 4, 5)))]
        rows.append([cs_number(i), "Support Service", f"{name} - Care at Home", name, AREA,
                     published.strftime("%d/%m/%Y"), *grades, "", "", grade, max(g for g in grades if g)])
    return _csv(DATASTORE_HEADER, rows, encoding="cp1252")


LEICESTERSHIRE = ROOT / "care_at_home" / "Leicestershire home care"
LEICESTERSHIRE_LOTS = ("North West", "Charnwood", "Melton", "Harborough", "Blaby and Oadby", "Hinckley")
LEICESTERSHIRE_MONTHS = [(2019 + (m >= 9), (m + 3) % 12 + 1) for m in range(12)]  # 2019/20


def leicestershire(rng: random.Random) -> tuple[list[list[object]], list[list[object]], list[list[object]]]:
    """Providers, hours and requests: 18 lead providers of 250-1,000 hours a week on the home
    care framework's lots, and 4 spot providers off it."""
    with (GRADES / "Leicestershire_contracts.csv").open(encoding="utf-8", newline="") as handle:
        community = sorted((r for r in csv.DictReader(handle) if r["Council funded hours weekly"]),
                           key=lambda r: r["Location ID"])[:22]
    providers, sizes = [], {}
    for i, row in enumerate(community):
        on_framework = i < 18
        providers.append([row["Location Name"] + f" ({row['Location ID'][-4:]})",
                          "Home care framework" if on_framework else OFF,
                          LEICESTERSHIRE_LOTS[i % len(LEICESTERSHIRE_LOTS)] if on_framework else "",
                          row["Location ID"]])
        sizes[providers[-1][0]] = rng.randint(250, 1000) if on_framework else rng.randint(40, 200)
    hours = []
    for year, month in LEICESTERSHIRE_MONTHS:
        for name, size in sizes.items():
            commissioned = round(size * rng.uniform(0.96, 1.04))
            delivered = round(commissioned * rng.uniform(0.94, 0.995), 1)
            rate = 18.9 if name in {p[0] for p in providers if p[1] == OFF} else 17.6
            hours.append([name, f"{year}-{month:02d}", "Older people", commissioned, delivered,
                          round(delivered * _weeks(year, month) * rate, 2), "Time and task"])
    requests, day, number = [], date(2019, 4, 1), 0
    while day < date(2020, 3, 1):
        number += 1
        wait = int(rng.expovariate(1 / 18))
        start = day + timedelta(days=wait)
        started = start.strftime("%d/%m/%Y") if start <= date(2020, 3, 31) else ""
        requests.append([f"LH-{number:05d}", "Older people", day.strftime("%d/%m/%Y"),
                         rng.choice((7, 10.5, 14)), started, "", ""])
        day += timedelta(days=rng.choice((0, 1, 1, 2)))
    return providers, hours, requests


def main() -> None:
    rng = random.Random(SEED)
    FOLDER.mkdir(parents=True, exist_ok=True)
    (FOLDER / "care_providers.csv").write_bytes(
        _csv(["provider", "framework", "lot", "regulator_id"], providers_rows()))
    (FOLDER / "care_hours.csv").write_bytes(_csv(
        ["provider", "month", "client_group", "hours_commissioned_weekly", "hours_delivered_weekly",
         "spend", "model"], hours_rows(rng)))
    (FOLDER / "care_requests.csv").write_bytes(_csv(
        ["request_ref", "client_group", "request_date", "hours_weekly", "service_start_date",
         "ended_date", "reason"], requests_rows(rng)))
    providers, hours, requests = leicestershire(random.Random(SEED + 3))
    LEICESTERSHIRE.mkdir(parents=True, exist_ok=True)
    (LEICESTERSHIRE / "care_providers.csv").write_bytes(
        _csv(["provider", "framework", "lot", "regulator_id"], providers))
    (LEICESTERSHIRE / "care_hours.csv").write_bytes(_csv(
        ["provider", "month", "client_group", "hours_commissioned_weekly", "hours_delivered_weekly",
         "spend", "model"], hours))
    (LEICESTERSHIRE / "care_requests.csv").write_bytes(_csv(
        ["request_ref", "client_group", "request_date", "hours_weekly", "service_start_date",
         "ended_date", "reason"], requests))
    grades_rng = random.Random(SEED + 1)
    (GRADES / "MDSF_data_31 January 2016.csv").write_bytes(datastore(date(2016, 1, 31), grades_rng, True))
    grades_rng = random.Random(SEED + 2)
    (GRADES / "MDSF_data_31 July 2016.csv").write_bytes(datastore(date(2016, 7, 31), grades_rng, False))


if __name__ == "__main__":
    main()
