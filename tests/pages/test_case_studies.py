"""Case studies: only consented ones ever appear; search and filters narrow them."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.loaders.conftest import load_text

STUDIES = """title,district,date_submitted,referral_reason,referrals_made,main_issues,quote,consent_to_publish
Rails by the back door,Alpha,01/05/2019,Access,Adaptations,Could not manage the step,Safer now,Yes
A warm home,Beta,02/05/2019,Warmth,First Contact Plus,Cold bedroom,Warm at last,Yes
Private story,Alpha,03/05/2019,Falls,OT,Should never be shown,Not for publication,No
"""
MAY_2019 = "2019/20 Q1"


def titles(at) -> list[str]:  # noqa: ANN001
    return [h.value for h in at.subheader]


def test_only_consented_case_studies_appear(app, testshire: Engine) -> None:  # noqa: ANN001
    load_text(testshire, STUDIES, programme="Testshire")
    at = app("case_studies", programme="Testshire", period_quarter=MAY_2019)
    assert titles(at) == ["A warm home", "Rails by the back door"]
    page_text = "\n".join(m.value for m in at.markdown)
    assert "Should never be shown" not in page_text and "Private story" not in page_text
    assert any("1 case study is not shown" in c.value for c in at.caption)
    at.text_input(key="case_search").input("warm").run()
    assert titles(at) == ["A warm home"]
    at.text_input(key="case_search").input("").run()
    at.selectbox(key="case_referral").select("Adaptations").run()
    assert titles(at) == ["Rails by the back door"]


def test_district_filter_and_empty_state(app, testshire: Engine) -> None:  # noqa: ANN001
    load_text(testshire, STUDIES, programme="Testshire")
    at = app("case_studies", programme="Testshire", period_quarter=MAY_2019, district="Beta")
    assert titles(at) == ["A warm home"]
    at.selectbox(key="case_reason").select("Falls").run()
    assert titles(at) == [] and any("No case studies match" in i.value for i in at.info)


def test_sample_case_studies(sample_app) -> None:  # noqa: ANN001
    at = sample_app("case_studies", programme="Lightbulb", grain="Year", period_year="2019/20")
    assert len(titles(at)) == 7  # 12 in the sample, 2 without consent, 3 worked and sent in 2018/19


def _store_unscreened(engine: Engine) -> None:
    """A case study written straight into the database (by an older version or another tool),
    never through the loader's screening."""
    from datetime import date

    from sqlalchemy import insert, select

    from dashboard.db import schema as s
    with engine.begin() as conn:
        district = conn.execute(select(s.districts.c.id, s.districts.c.programme_id)
                                .where(s.districts.c.name == "Alpha")).first()
        conn.execute(insert(s.case_studies).values(
            programme_id=district.programme_id, district_id=district.id, title="Home again",
            date_submitted=date(2019, 5, 14), start_date=date(2019, 3, 2),
            end_date=date(2019, 4, 30), main_issues="Mrs Joan Smith of 14 Church Lane, LE1 6ZG, "
            "NHS number 943 476 5919, could not climb the stairs.", consent_to_publish=True))


def test_text_is_screened_again_for_the_public_and_viewers(app, testshire: Engine) -> None:  # noqa: ANN001
    from dashboard.access import Role, User, role_store
    from tests.pages.conftest import VISITOR, signed_in

    _store_unscreened(testshire)
    role_store.assign_role(User(name="a", email="a@x.gov.uk", role=Role.ADMIN, signed_in=True),
                           "vic@council.gov.uk", Role.VIEWER, engine=testshire)
    for user in (VISITOR, signed_in("vic@council.gov.uk")):
        at = app("case_studies", user=user, programme="Testshire", period_quarter=MAY_2019)
        text = "\n".join(m.value for m in at.markdown)
        assert "could not climb the stairs" in text
        for personal in ("Joan Smith", "Church Lane", "LE1 6ZG", "943 476 5919"):
            assert personal not in text, personal
    public = "\n".join(c.value for c in app("case_studies", user=VISITOR, programme="Testshire",
                              period_quarter=MAY_2019).caption)
    assert "submitted May 2019" in public and "March 2019 to April 2019" in public
    assert "14 May 2019" not in public and "2 March 2019" not in public
    # local administrator: as stored
    officer_view = app("case_studies", programme="Testshire", period_quarter=MAY_2019)
    assert "LE1 6ZG" in "\n".join(m.value for m in officer_view.markdown)


DATED = """title,district,date_submitted,start_date,end_date,consent_to_publish
Worked in spring,Alpha,20/07/2019,01/04/2019,30/06/2019,Yes
Worked across the summer,Alpha,10/10/2019,15/06/2019,20/09/2019,Yes
Still being helped,Beta,05/08/2019,01/03/2019,,Yes
Undated work,Beta,12/09/2019,,,Yes
Long before,Alpha,15/03/2018,01/01/2018,28/02/2018,Yes
"""


def test_case_studies_of_the_chosen_period(app, testshire: Engine) -> None:  # noqa: ANN001
    """A study is in a period when its work with the resident overlapped it (still open: up to
    now), or when it was submitted in it; the page says so."""
    load_text(testshire, DATED, programme="Testshire")
    q1 = app("case_studies", programme="Testshire", period_quarter=MAY_2019)
    assert set(titles(q1)) == {"Worked in spring", "Worked across the summer", "Still being helped"}
    q2 = app("case_studies", programme="Testshire", period_quarter="2019/20 Q2")
    assert set(titles(q2)) == {"Worked in spring", "Worked across the summer", "Still being helped",
                               "Undated work"}  # spring's was submitted in July
    assert any("overlapped Quarter 2 2019/20" in c.value for c in q2.caption)
    june = app("case_studies", programme="Testshire", grain="Month", period_month="Jun 2019")
    assert set(titles(june)) == {"Worked in spring", "Worked across the summer", "Still being helped"}
    year = app("case_studies", programme="Testshire", grain="Year", period_year="2018/19")
    assert titles(year) == ["Still being helped"]  # from March 2019; Long before ended in 2017/18
