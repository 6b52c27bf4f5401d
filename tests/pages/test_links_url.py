"""Links mean what they say: the view a page opens on is written into its URL (so a link copied on
the default view keeps its period when newer data arrives), and a link naming something that does
not exist says so in one line, then shows the default."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.pages.conftest import as_read

LINK_ICON = ":material/link_off:"


def warnings(at) -> str:  # noqa: ANN001
    """What the page says about the link (not the local-mode notice)."""
    return as_read("\n".join(w.value for w in at.warning if w.icon == LINK_ICON))


def test_the_default_view_is_written_into_the_link(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app()
    assert at.query_params["programme"] == "Testshire"
    assert at.query_params["grain"] == "Quarter"
    assert at.query_params["period_quarter"] == "2019/20 Q2"  # the newest quarter with data
    assert "district" not in at.query_params
    assert not warnings(at)


def test_explicit_choices_stay_in_the_link_across_pages(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("trends", programme="Testshire", grain="Month", period_month="Jun 2019", district="Beta")
    assert at.query_params["programme"] == "Testshire"
    assert at.query_params["grain"] == "Month"
    assert at.query_params["period_month"] == "Jun 2019"
    assert at.query_params["district"] == "Beta"
    assert at.sidebar.selectbox(key="period_month").value == "Jun 2019"


def test_a_changed_filter_is_written_into_the_link(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app()
    at.sidebar.selectbox(key="period_quarter").select("2019/20 Q1").run()
    assert at.query_params["period_quarter"] == "2019/20 Q1"
    at.sidebar.segmented_control(key="grain").set_value("Year").run()
    assert at.query_params["grain"] == "Year" and at.query_params["period_year"] == "2019/20"
    assert "period_quarter" not in at.query_params


def test_an_unknown_programme_is_named_then_the_default_shown(sample_app) -> None:  # noqa: ANN001
    at = sample_app(programme="Moonbeam *bold*")
    # the default: the first council's first programme (Leicestershire's Lightbulb)
    assert warnings(at) == ("The link named programme 'Moonbeam *bold*', which does not exist; "
                            "showing Lightbulb.")
    assert at.sidebar.selectbox(key="programme").value == "Lightbulb"
    assert at.query_params["programme"] == "Lightbulb"
    assert at.metric  # the default view's figures


def test_a_period_the_programme_does_not_have_is_named(sample_app) -> None:  # noqa: ANN001
    at = sample_app(programme="Lightbulb", grain="Quarter", period_quarter="2015/16 Q1")
    assert warnings(at) == ("The link named period '2015/16 Q1', which Lightbulb has no data for; "
                            "showing 2019/20 Q4.")
    assert at.sidebar.selectbox(key="period_quarter").value == "2019/20 Q4"
    assert at.query_params["period_quarter"] == "2019/20 Q4"


def test_a_district_of_another_programme_is_named(sample_app) -> None:  # noqa: ANN001
    at = sample_app(programme="Lightbulb", district="Rugby")
    assert warnings(at) == ("The link named district 'Rugby', which is not part of Lightbulb; "
                            "showing all districts.")
    assert at.sidebar.multiselect(key="district").value == []
    assert "district" not in at.query_params


def test_the_warning_stays_while_the_view_is_the_one_the_link_opened(sample_app) -> None:  # noqa: ANN001
    at = sample_app("trends", programme="Nowhere")
    assert "programme 'Nowhere'" in warnings(at)  # still there after moving to another page
    at.sidebar.selectbox(key="council").select("Warwickshire").run()
    assert not warnings(at)  # a choice of the reader's own: the link's fault no longer applies
