"""A councillor's path in a real browser: the council overview, then Provider quality through its
link, with the report's figures on the page and the public note in words."""

from __future__ import annotations

from tests.browser.conftest import drawn, no_exception, open_page, screenshot

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
