"""A councillor's path in a real browser: the council overview, then Provider quality through its
link, with the report's figures on the page and the public note in words."""

from __future__ import annotations

from dashboard.figures.safe_text import WORD_JOINER
from tests.browser.conftest import charts_drawn, drawn, no_exception, open_page, screenshot

VIEW = "?council=Leicestershire&grain=Year&period_year=2019%2F20"


def test_from_the_overview_to_provider_quality(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/council{VIEW}")
    no_exception(page)
    body = page.inner_text("body")
    assert "Council overview" in body and "Quality of care providers" in body
    assert "83.4%" in body  # 221 of 265 rated services Good or Outstanding
    page.get_by_role("link", name="Provider quality: ratings, inspections and changes").click()
    page.wait_for_url("**/provider-quality**", timeout=30_000)
    page.wait_for_selector("text=Ratings now", timeout=60_000)
    drawn(page)
    no_exception(page)
    body = page.inner_text("body")
    assert "Services rated Good or Outstanding" in body and "83.4%" in body
    assert "small-number suppression that protects people in the programme figures does not apply" in body
    assert "Improved: 4 · Declined: 3 · Newly rated: 2" in body
    screenshot(page, "council-provider-quality-after-link")
    page.close()


def test_from_the_overview_to_the_savings_tracker(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/council?council=Leicestershire&grain=Quarter"
                              "&period_quarter=2019%2F20+Q2")
    no_exception(page)
    assert "Savings programmes" in page.inner_text("body")
    page.get_by_role("button", name="Open Target Operating Model's savings tracker").click()
    page.wait_for_url("**/savings**", timeout=30_000)
    page.wait_for_selector("text=The plan's estimates of annual benefit", timeout=60_000)
    charts_drawn(page, 1)  # below the fold: not yet on the page when the title is
    no_exception(page)
    body = page.inner_text("body").replace(WORD_JOINER, "")  # plain-text guards, invisible to readers
    # Para 10's totals and the guarantee in words (the tables are drawn on a canvas: their cells,
    # para 11's lines, are read through AppTest in tests/pages/test_savings_page.py)
    assert "Recurrent benefit, lower estimate: £10,450,000 a year, above the guarantee threshold of " \
           "£6,750,000." in body
    assert "Recurrent benefit, upper estimate: £13,850,000 a year" in body
    assert "£2,298,000" in body  # delivered to the end of September 2019
    screenshot(page, "council-savings-tracker-after-link")
    page.close()


def test_from_the_overview_to_care_at_home(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/council?council=East+Lothian&grain=Month&period_month=Aug+2016")
    no_exception(page)
    assert "21,388 hours a week commissioned" in page.inner_text("body").replace(WORD_JOINER, "")
    page.get_by_role("link", name="East Lothian care at home: care at home").click()
    page.wait_for_url("**/care-at-home**", timeout=30_000)
    page.wait_for_selector("text=Hours commissioned and delivered", timeout=60_000)
    charts_drawn(page, 3)
    no_exception(page)
    body = page.inner_text("body").replace(WORD_JOINER, "")
    assert "21,388" in body and "Below the new framework's entry rule" in body
    screenshot(page, "council-care-at-home-after-link")
    page.close()
