"""The council level: the sidebar's council picker, the council overview and Provider quality, run
through AppTest on the built-in sample (Leicestershire holds Lightbulb, Warwickshire HEART)."""

from __future__ import annotations

from tests.pages.conftest import as_read, captions


def _words(at) -> str:  # noqa: ANN001
    return as_read("\n".join(m.value for m in at.markdown))


def test_the_council_comes_first_and_holds_its_programmes(sample_app) -> None:  # noqa: ANN001
    at = sample_app(council="Warwickshire")
    pickers = {s.label: s for s in at.selectbox}
    assert list(pickers)[:2] == ["Council", "Programme"]
    assert pickers["Council"].options == ["East Lothian", "Leicestershire", "Warwickshire"]
    assert pickers["Programme"].options == ["HEART"]
    at.selectbox(key="council").set_value("Leicestershire").run()
    assert at.selectbox(key="programme").options == ["Leicestershire home care", "Lightbulb",
                                                     "Prevention services review", "Target Operating Model"]
    assert at.selectbox(key="programme").value == "Lightbulb"  # a council opens on its programme of districts
    assert at.query_params["council"] == "Leicestershire"


def test_a_link_to_a_programme_opens_its_council(sample_app) -> None:  # noqa: ANN001
    at = sample_app(programme="HEART")
    assert at.selectbox(key="council").value == "Warwickshire"
    unknown = sample_app(council="Atlantis")
    assert "The link named council 'Atlantis', which is not set up; showing Leicestershire." in \
        as_read("\n".join(w.value for w in unknown.warning))


def test_the_overview_gives_each_service_s_headline(sample_app) -> None:  # noqa: ANN001
    at = sample_app("council_overview", council="Leicestershire", grain="Year", period_year="2019/20")
    words = _words(at)
    assert "Headline KPIs for Financial year 2019/20:" in words
    # 83.4% of 265 rated services Good or Outstanding (221), against 85.9% for the comparators
    assert "**83.4%** of rated services Good or Outstanding (comparators 85.9%, England 82.6%)" in words
    assert "Below its comparator councils" in words
    assert [h.value for h in at.header] == ["Housing support and adaptations", "Savings programmes",
                                            "Care at home", "Quality of care providers"]


def test_provider_quality_reproduces_the_report(sample_app) -> None:  # noqa: ANN001
    at = sample_app("provider_quality", council="Leicestershire", grain="Year", period_year="2019/20")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Services rated Good or Outstanding"] == "83.4%"  # 221 of 265 rated
    assert metrics["Services rated Inadequate"] == "1"
    assert metrics["Services not yet rated"] == "22"
    tables = [d.value for d in at.dataframe]
    care_homes = next(t for t in tables if "Leicestershire" in t.columns and len(t) == 5)
    # para 5's table, as the page shows it: count (share of the council's services)
    assert care_homes["Leicestershire"].tolist() == ["6 (2.1%)", "215 (74.9%)", "43 (15.0%)", "1 (0.3%)",
                                                     "22 (7.7%)"]
    assert "CQC care directory as at 1 November 2019" in captions(at)
    assert "no small-number suppression" not in captions(at)  # said in words below
    assert "small-number suppression that protects people in the programme figures does not apply" \
        in captions(at)
    words = _words(at)
    assert "Improved: 4 · Declined: 3 · Newly rated: 2 · Closed (left the directory): 2" in words
    assert "Care homes: the council contracts with 172 of 183" in words


def test_the_period_decides_the_cqc_file(sample_app) -> None:  # noqa: ANN001
    """Figures as at the period's end: Q2 2019/20 ends on 30 September, before either CQC file."""
    at = sample_app("provider_quality", council="Leicestershire", grain="Quarter",
                    period_quarter="2019/20 Q2")
    assert any("No CQC care directory is loaded on or before 30/09/2019" in as_read(i.value) for i in at.info)
    assert not at.metric


def test_the_public_sees_provider_quality(sample_app) -> None:  # noqa: ANN001
    from tests.pages.conftest import VISITOR

    at = sample_app("provider_quality", user=VISITOR, council="Leicestershire", grain="Year",
                    period_year="2019/20")
    assert {m.label: m.value for m in at.metric}["Services rated Inadequate"] == "1"
    assert not any("Not permitted" in e.value for e in at.error)
