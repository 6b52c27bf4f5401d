"""Every KPI a page explains links to its trend: the Trends page, that KPI chosen, same view."""

from __future__ import annotations

from urllib.parse import parse_qs

from sqlalchemy import Engine

from dashboard.queries.board import HEADLINE_KPIS
from dashboard.queries.registry import get_kpi

VIEW = {"programme": "Testshire", "grain": "Month", "period_month": "Jun 2019", "district": "Beta"}


def trend_links(at) -> dict[str, dict[str, list[str]]]:  # noqa: ANN001
    """The KPI each link to the Trends page chooses, with the link's query parameters."""
    links = [e.proto for e in at.get("page_link")]
    found = {}
    for link in links:
        params = parse_qs(link.query_string)
        if "kpi" in params:
            assert link.page == "trends", link
            found[params["kpi"][0]] = params
    return found


def test_each_kpi_on_the_board_summary_links_to_its_trend(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app(**VIEW)
    links = trend_links(at)
    assert set(links) == {get_kpi(k).name for k in HEADLINE_KPIS}
    for params in links.values():
        assert {k: v[0] for k, v in params.items() if k != "kpi"} == VIEW  # the same view


def test_the_link_opens_the_trend_of_that_kpi(app, testshire: Engine) -> None:  # noqa: ANN001
    params = trend_links(app(**VIEW))[get_kpi("open_cases").name]
    at = app("trends", **{k: v[0] for k, v in params.items()})
    assert at.selectbox(key="kpi").value == "Open cases"
    assert at.sidebar.selectbox(key="period_month").value == "Jun 2019"
    assert at.sidebar.multiselect(key="district").value == ["Beta"]


def test_other_pages_link_their_kpis_too(app, testshire: Engine) -> None:  # noqa: ANN001
    at = app("cases", programme="Testshire")
    assert set(trend_links(at)) >= {"Cases completed", "Average days to complete a case",
                                    "Open cases"}
