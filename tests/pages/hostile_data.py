"""Returns whose free text is hostile: Markdown, HTML, autolinks and spreadsheet formulas in every
field a partner or a person can write, loaded through the real loader into Testshire.

Shared by the page tests (tests/pages/test_hostile_text.py) and the browser test
(tests/browser/test_hostile_text.py)."""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import Engine, insert, select

from dashboard.db import schema as s
from tests.loaders.conftest import load_text

EVIL_DISTRICT = '<a href="http://evil.example">Evil</a> [x](http://evil.example) :red[Call]'
FORMULA_DISTRICT = '=HYPERLINK("http://evil.example","Click")'
LINK_SOURCE = '<a href="http://evil.example">GP</a>'
FORMULA_SOURCE = "=cmd|' /C calc'!A0"
FORMULA_ROLE = "+cmd|' /C calc'!A0"
WORK_TYPE = "[Stairlift](http://evil.example) :red[W]"
PARTNER = "@SUM(1+1)*cmd|' /C calc'!A0"
PAYLOAD = ("![pixel](http://evil.example/pixel.png) [login here](http://evil.example/login) "
           ":red[**Call now**] <b>bold</b> https://evil.example/ www.evil.example $x$ # head")
TITLE = "[Title](http://evil.example) :red[T] <img src=http://evil.example/t.png>"
EMAIL_TEXT = "write to a@evil.example or see www.evil.example"  # e-mail: screened out by the loader
CASE_STUDY_TEXT = ("title", "main_issues", "actions_taken", "benefits", "others_involved",
                   "ongoing_support", "quote")


def csv_text(header: list[str], *rows: list[object]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue()


def load_hostile(engine: Engine) -> None:
    """Two districts with hostile names and codes, and returns for them in 2019/20 Q1 whose free
    text (and every non-strict choice, kept as sent) is hostile too."""
    load_text(engine, csv_text(["district", "code", "aliases"], [EVIL_DISTRICT, "=1+2", ""],
                           [FORMULA_DISTRICT, "-2+3", ""]), name="=HYPERLINK(districts).csv")
    load_text(engine, csv_text(
        ["case_ref", "district", "referral_date", "referral_source", "referral_reason", "case_type",
         "worker_role", "closed_date", "outcome", "interventions", "referrals_out"],
        ["H1", EVIL_DISTRICT, "01/04/2019", LINK_SOURCE, WORK_TYPE, "Housing MOT", FORMULA_ROLE,
         "20/04/2019", "Completed", LINK_SOURCE, WORK_TYPE],
        ["H2", FORMULA_DISTRICT, "02/04/2019", FORMULA_SOURCE, "Falls", "Housing MOT", "HSC",
         "25/05/2019", "Completed", "", ""]), name="cases.csv")
    load_text(engine, csv_text(
        ["dfg_ref", "district", "tenure", "work_type", "enquiry_date", "valid_application_date",
         "completion_date", "grant_amount", "status"],
        *[[f"H{i}", EVIL_DISTRICT, "Owner occupier", WORK_TYPE, "01/01/2019", "01/02/2019",
           "20/06/2019", "5000", "Completed"] for i in range(3)]), name="dfg.csv")
    load_text(engine, csv_text(
        ["feedback_ref", "district", "received_date", "kind", "resolved_date", "upheld"],
        ["HF1", EVIL_DISTRICT, "01/05/2019", "Complaint", "10/05/2019", "No"]), name="feedback.csv")
    load_text(engine, csv_text(
        ["partner", "financial_year", "month", "cost_line", "budget", "actual", "forecast"],
        [PARTNER, "2019/20", "1", "Staffing", "1000", "1200", "12000"]), name="finance.csv")
    load_text(engine, csv_text(
        ["district", "date_submitted", "referral_source", "referral_reason", "referrals_made",
         "consent_to_publish", *CASE_STUDY_TEXT],
        [EVIL_DISTRICT, "01/05/2019", LINK_SOURCE, FORMULA_SOURCE, WORK_TYPE, "Yes", TITLE,
         *[PAYLOAD] * (len(CASE_STUDY_TEXT) - 1)]), name="case_studies.csv")


def store_email_study(engine: Engine) -> None:
    """An e-mail address can only arrive unscreened (an older version, another tool): written
    straight into the table, as tests/pages/test_case_studies.py does."""
    with engine.begin() as conn:
        district = conn.execute(select(s.districts.c.id, s.districts.c.programme_id)
                                .where(s.districts.c.name == "Alpha")).first()
        conn.execute(insert(s.case_studies).values(
            programme_id=district.programme_id, district_id=district.id, title="Write to us",
            date_submitted=date(2019, 5, 14), main_issues=EMAIL_TEXT, consent_to_publish=True))


def strings_in(value: object) -> list[str]:
    """Every string inside a decoded JSON value (a Plotly figure as sent to the browser)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_in(item)]
    return [value] if isinstance(value, str) else []
