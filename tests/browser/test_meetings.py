"""A meeting created and issued through the Meetings page in a real browser, at desk and phone width."""

from __future__ import annotations

from tests.browser.conftest import no_exception, open_page, screenshot

URL = "/meetings?programme=Lightbulb&grain=Quarter&period_quarter=2019%2F20+Q1"


def test_create_and_issue_a_meeting(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}{URL}", height=1400)
    page.get_by_text("Create a meeting").click()
    page.get_by_label("Title").fill("Programme board, July 2019")
    page.get_by_role("textbox", name="Period its papers report on").fill("2019/20-Q1")
    page.get_by_role("button", name="Create meeting").click()
    page.get_by_text("created as a draft").wait_for(timeout=60_000)
    page.get_by_text("Draft: the figures below are live").wait_for(timeout=60_000)
    page.get_by_text("I understand issued figures can never change").click()
    page.get_by_role("button", name="Issue this meeting").click()
    page.get_by_text("Meeting issued: its figures are frozen.").wait_for(timeout=60_000)
    page.get_by_text("Headline figures as issued").wait_for(timeout=60_000)
    no_exception(page)
    screenshot(page, "meetings-issued-1366")
    page.close()
    narrow = open_page(browser, f"{server}{URL}", width=390, height=1600)
    narrow.get_by_text("Headline figures as issued").wait_for(timeout=60_000)
    no_exception(narrow)
    screenshot(narrow, "meetings-issued-390")
    narrow.close()
