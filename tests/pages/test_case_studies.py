"""Case studies: only consented ones ever appear; search and filters narrow them."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.loaders.conftest import load_text

STUDIES = """title,district,date_submitted,referral_reason,referrals_made,main_issues,quote,consent_to_publish
Rails by the back door,Alpha,01/05/2019,Access,Adaptations,Could not manage the step,Safer now,Yes
A warm home,Beta,02/05/2019,Warmth,First Contact Plus,Cold bedroom,Warm at last,Yes
Private story,Alpha,03/05/2019,Falls,OT,Should never be shown,Not for publication,No
"""


def titles(at) -> list[str]:  # noqa: ANN001
    return [h.value for h in at.subheader]


def test_only_consented_case_studies_appear(app, testshire: Engine) -> None:  # noqa: ANN001
    load_text(testshire, STUDIES, programme="Testshire")
    at = app("case_studies", programme="Testshire")
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
    at = app("case_studies", programme="Testshire", district="Beta")
    assert titles(at) == ["A warm home"]
    at.selectbox(key="case_reason").select("Falls").run()
    assert titles(at) == [] and any("No case studies match" in i.value for i in at.info)


def test_sample_case_studies(sample_app) -> None:  # noqa: ANN001
    at = sample_app("case_studies", programme="Lightbulb")
    assert len(titles(at)) == 10  # 12 in the sample, 2 without consent


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
        at = app("case_studies", user=user, programme="Testshire")
        text = "\n".join(m.value for m in at.markdown)
        assert "could not climb the stairs" in text
        for personal in ("Joan Smith", "Church Lane", "LE1 6ZG", "943 476 5919"):
            assert personal not in text, personal
    public = "\n".join(c.value for c in app("case_studies", user=VISITOR, programme="Testshire").caption)
    assert "submitted May 2019" in public and "March 2019 to April 2019" in public
    assert "14 May 2019" not in public and "2 March 2019" not in public
    officer_view = app("case_studies", programme="Testshire")  # local administrator: as stored
    assert "LE1 6ZG" in "\n".join(m.value for m in officer_view.markdown)
