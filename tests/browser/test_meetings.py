"""The meeting cycle through the pages in a real browser: a comment on Trends, an action on the
action log, then a meeting created and issued, at desk and phone width."""

from __future__ import annotations

from tests.browser.conftest import no_exception, open_page, screenshot

QUERY = "programme=Lightbulb&grain=Quarter&period_quarter=2019%2F20+Q1"
URL = f"/meetings?{QUERY}"
REASON = "Two surveyors left in May; agency cover from July."
ACTION = "Recruit two surveyors"


def _write_a_comment(browser, server: str) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/trends?{QUERY}", height=1400)
    page.get_by_text("Commentary", exact=True).click()
    page.get_by_label("Reason for the variance").fill(REASON)
    page.get_by_role("button", name="Save comment").click()
    page.get_by_text("Saved as version 1.").wait_for(timeout=60_000)
    page.get_by_text(REASON).wait_for(timeout=60_000)  # shown beside its KPI once saved
    no_exception(page)
    page.close()


def _add_an_action(browser, server: str) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}/actions?{QUERY}", height=1400)
    page.get_by_label("What is to be done").fill(ACTION)
    page.get_by_role("textbox", name="Owner").fill("Head of Housing")
    page.get_by_role("button", name="Add action").click()
    page.get_by_text("added.").wait_for(timeout=60_000)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=60_000)
    no_exception(page)
    screenshot(page, "actions-1366")
    page.close()


def test_comment_action_then_issue_a_meeting(server: str, browser) -> None:  # noqa: ANN001
    _write_a_comment(browser, server)
    _add_an_action(browser, server)
    page = open_page(browser, f"{server}{URL}", height=1400)
    page.get_by_text("Create a meeting").click()
    page.get_by_label("Title").fill("Programme board, July 2019")
    page.get_by_role("textbox", name="Period its papers report on").fill("2019/20-Q1")
    page.get_by_role("button", name="Create meeting").click()
    page.get_by_text("created as a draft").wait_for(timeout=60_000)
    page.get_by_text("Draft: the figures below are live").wait_for(timeout=60_000)
    page.get_by_text("I understand issued figures can never change").click()
    page.get_by_role("button", name="Issue this meeting").click()
    page.get_by_text("Meeting issued: its figures are frozen and its papers kept").wait_for(timeout=120_000)
    page.get_by_text("Headline figures as issued").wait_for(timeout=60_000)
    no_exception(page)
    screenshot(page, "meetings-issued-1366")
    board = open_page(browser, f"{server}/?{QUERY}", height=2400)
    board.get_by_text("Open actions").wait_for(timeout=60_000)
    board.get_by_text(REASON).first.wait_for(timeout=60_000)  # the comment beside its tile
    screenshot(board, "board-summary-with-meeting-cycle-1366")
    board.close()
    page.close()
    narrow = open_page(browser, f"{server}{URL}", width=390, height=1600)
    narrow.get_by_text("Headline figures as issued").wait_for(timeout=60_000)
    no_exception(narrow)
    screenshot(narrow, "meetings-issued-390")
    narrow.close()
    phone = open_page(browser, f"{server}/?{QUERY}", width=390, height=5000)
    phone.get_by_text("Open actions").wait_for(timeout=60_000)
    no_exception(phone)
    screenshot(phone, "board-summary-with-meeting-cycle-390")
    phone.close()
