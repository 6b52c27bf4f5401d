"""The whole path a new user takes: first start seeds the sample data, every page renders, the
URL carries the filters, and phones get a readable layout."""

from __future__ import annotations

import pytest

from tests.browser.conftest import no_exception, open_page, screenshot

PAGES = {
    "": "Board summary",
    "trends": "Trends",
    "districts": "District comparison",
    "finance": "Finance",
    "cases": "Cases and customer journey",
    "dfg": "Disabled Facilities Grants",
    "satisfaction": "Customer satisfaction and feedback",
    "case-studies": "Case studies",
    "about": "About the figures",
}
VIEW = "?programme=Lightbulb&grain=Quarter&period_quarter=2019%2F20+Q1"


def test_first_start_shows_sample_figures(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, server)
    no_exception(page)
    assert "Board summary" in page.inner_text("h1")
    assert page.locator('[data-testid="stMetric"]').count() >= 6
    assert "Data as at" in page.inner_text('[data-testid="stSidebar"]')
    page.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders(server: str, browser, path: str) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/{path}{VIEW}", height=4200)
    no_exception(page)
    assert PAGES[path] in page.inner_text("h1")
    screenshot(page, f"{path or 'board-summary'}-1366")
    page.close()


def test_filters_come_from_the_url(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/dfg?programme=HEART&grain=Year&period_year=2015%2F16")
    no_exception(page)
    text = page.inner_text('[data-testid="stMainBlockContainer"]')
    assert "HEART" in text and "Financial year 2015/16" in text
    page.close()


@pytest.mark.parametrize("path", ["", "dfg"])
def test_phone_width(server: str, browser, path: str) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/{path}{VIEW}", width=390, height=4200)
    no_exception(page)
    screenshot(page, f"{path or 'board-summary'}-phone")
    page.close()
