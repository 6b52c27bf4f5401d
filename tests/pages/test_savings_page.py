"""The Savings tracker through AppTest on the built-in sample: Leicestershire's Target Operating
Model (Scrutiny Commission, 7 November 2019, item 8) and its 2014 prevention services review."""

from __future__ import annotations

from dashboard.access.roles import Role
from dashboard.ui.navigation import offered
from tests.pages.conftest import VISITOR, as_read, frames

TOM = {"council": "Leicestershire", "programme": "Target Operating Model"}


def _words(at) -> str:  # noqa: ANN001
    return as_read("\n".join(m.value for m in at.markdown))


def test_a_savings_programme_opens_on_its_tracker_with_only_its_pages(sample_app) -> None:  # noqa: ANN001
    at = sample_app(**TOM, grain="Quarter", period_quarter="2019/20 Q2")
    assert [t.value for t in at.title] == ["Savings tracker"]
    assert "district" not in [s.key for s in at.multiselect]  # a savings programme has no districts
    assert "Data as at **31 March 2021** (latest return)" in "\n".join(
        m.value for m in at.sidebar.markdown) + "\n".join(c.value for c in at.sidebar.caption)


def test_the_tracker_reproduces_paras_10_and_11(sample_app) -> None:  # noqa: ANN001
    at = sample_app("savings", **TOM, grain="Quarter", period_quarter="2019/20 Q2")
    estimates = next(f for f in frames(at) if "Line" in f.columns)
    assert estimates.values.tolist() == [
        ["Total of the workstreams' estimates", "£10,450,000", "£13,850,000"],
        ["Cashable and demand offset", "£7,790,000", "£10,430,000"],
        ["Less savings already in the MTFS", "-£1,250,000", "-£1,250,000"],
        ["Net cashable and demand offset", "£6,540,000", "£9,180,000"],
        ["Quality improvements reinvested", "£2,660,000", "£3,420,000"],
        ["Overall benefit", "£9,200,000", "£12,600,000"]]
    plan = next(f for f in frames(at) if "Benefit" in f.columns).set_index("Code")
    assert list(plan.index) == ["OA1", "OA2", "OA3", "WAA1", "WAA2", "WAA3", "WAA4"]
    bounds = plan[["Lower estimate", "Upper estimate"]].values.tolist()
    assert (bounds[0], bounds[-1]) == (["£3,780,000", "£4,920,000"], ["£1,240,000", "£1,640,000"])
    assert plan.loc["OA1", "Already in the MTFS"] == "£1,250,000"
    delivery = next(f for f in frames(at) if "Status" in f.columns).set_index("Code")
    assert delivery.loc["WAA1", "Status"] == "Off track"
    assert delivery.loc["OA1", "Delivered to date"] == "£865,000"
    # the lead KPI from the council's programme of districts, beside the money
    lead = next(f for f in frames(at) if "Lead KPI" in f.columns).set_index("Code").loc["OA1", "Lead KPI"]
    assert lead.startswith("Average days to complete a case: ") and lead.endswith(", Lightbulb)")
    words = _words(at)
    assert ("Recurrent benefit, lower estimate: £10,450,000 a year, above the guarantee threshold of "
            "£6,750,000.") in words
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Savings delivered to date"] == "£2,298,000"  # as `summary --json` gives it
    assert "Off track: 1" in words


def test_the_period_cuts_off_later_returns(sample_app) -> None:  # noqa: ANN001
    early = sample_app("savings", **TOM, grain="Month", period_month="Apr 2019")
    later = sample_app("savings", **TOM, grain="Month", period_month="May 2019")
    first = {m.label: m.value for m in early.metric}["Savings delivered to date"]
    second = {m.label: m.value for m in later.metric}["Savings delivered to date"]
    assert first != second and first == "£377,000"  # April's returns only


def test_the_prevention_review_shows_what_the_budget_is_left_with(sample_app) -> None:  # noqa: ANN001
    at = sample_app("savings", council="Leicestershire", programme="Prevention services review",
                    grain="Year", period_year="2016/17")
    assert ("A budget of £9,400,000 less £3,500,000 of savings (37.2%) leaves £5,900,000 a year."
            in _words(at))


def test_the_overview_lists_the_savings_programmes(sample_app) -> None:  # noqa: ANN001
    at = sample_app("council_overview", council="Leicestershire", grain="Quarter",
                    period_quarter="2019/20 Q2")
    assert "Savings programmes" in [h.value for h in at.header]
    words = _words(at)
    assert "£2,298,000 delivered against a profiled target of £2,090,000" in words
    assert "No delivery return for Quarter 2 2019/20 (Jul–Sep 2019); the newest is for March 2017." in words


def test_housing_pages_are_not_offered_for_a_savings_programme() -> None:
    shown = {spec.title for spec in offered(Role.OFFICER, True, True, "savings")}
    assert {"Savings tracker", "Meetings", "Actions", "Papers", "Returns", "Import log"} <= shown
    assert not shown & {"Board summary", "Trends", "District comparison", "Finance", "Data quality"}
    housing = {spec.title for spec in offered(Role.OFFICER, True, True, "housing")}
    assert "Savings tracker" not in housing and "Board summary" in housing


def test_the_public_view_shows_the_figures_but_not_the_return_notes(sample_app) -> None:  # noqa: ANN001
    shown = sample_app("savings", **TOM, grain="Quarter", period_quarter="2019/20 Q2")
    public = sample_app("savings", user=VISITOR, **TOM, grain="Quarter", period_quarter="2019/20 Q2")
    assert [e.label for e in shown.expander].count("Notes with this month's returns") == 1
    assert "Notes with this month's returns" not in [e.label for e in public.expander]
    assert {m.label: m.value for m in public.metric}["Savings delivered to date"] == "£2,298,000"
