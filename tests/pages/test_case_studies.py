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
