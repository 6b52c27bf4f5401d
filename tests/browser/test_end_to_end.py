"""The whole path a new user takes: first start seeds the sample data, pages render, URLs work."""

from __future__ import annotations

from tests.browser.conftest import no_exception, open_page, screenshot


def test_first_start_shows_sample_figures(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, server)
    no_exception(page)
    assert "Board summary" in page.inner_text("h1")
    assert page.locator('[data-testid="stMetric"]').count() >= 6
    assert "Data as at" in page.inner_text('[data-testid="stSidebar"]')
    screenshot(page, "board-summary-1366")
    page.close()


def test_filters_come_from_the_url(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/?programme=HEART&period_quarter=2015%2F16+Q2")
    no_exception(page)
    caption = page.inner_text('[data-testid="stMainBlockContainer"]')
    assert "HEART" in caption and "Quarter 2 2015/16" in caption
    screenshot(page, "board-summary-heart-url")
    page.close()


def test_phone_width(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, server, width=390, height=844)
    no_exception(page)
    screenshot(page, "board-summary-phone")
    page.close()
