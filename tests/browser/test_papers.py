"""The board pack made and downloaded through the Papers page in a real browser."""

from __future__ import annotations

from tests.browser.conftest import no_exception, open_page, screenshot

URL = "/papers?programme=Lightbulb&grain=Quarter&period_quarter=2019%2F20+Q3"


def test_make_and_download_the_board_pack(server: str, browser) -> None:  # noqa: ANN001
    page = open_page(browser, f"{server}{URL}", height=1400)
    page.get_by_role("button", name="Make the PDF").click()
    page.get_by_text("The pack is ready").wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download the PDF").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000
    assert download.value.suggested_filename.endswith(".pdf")
    no_exception(page)
    screenshot(page, "papers-1366")
    page.close()
