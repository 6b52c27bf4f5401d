"""A partner return uploaded through the Returns page in a real browser: preview, then load."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import drawn, no_exception, open_page, screenshot, shown

RETURN = (
    "case_ref,district,referral_date,case_type,outcome,closed_date\n"
    "BROWSER-1,Blaby,02/03/2020,Housing MOT,Completed,20/03/2020\n"
    "BROWSER-2,Melton,03/03/2020,Equipment,Open,\n"
)


def test_upload_a_return(server: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    file = tmp_path / "blaby-melton-march.csv"
    file.write_text(RETURN)
    page = open_page(browser, f"{server}/returns?programme=Lightbulb", height=1600)
    # The return's uploader, by its label: administrators also see one for a new programme's districts.
    uploader = page.get_by_label("Return file (CSV or Excel .xlsx)")
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(file))
    page.get_by_text("is a valid cases return").wait_for(timeout=60_000)
    page.get_by_text("Rows to insert").wait_for(timeout=60_000)
    # Loaded as the signed-in person (here local mode's administrator), never a typed-in name.
    page.get_by_text("will record this load as Local administrator").wait_for(timeout=30_000)
    page.get_by_role("button", name="Load this return").click()
    page.get_by_text("Loaded: blaby-melton-march.csv").wait_for(timeout=60_000)
    drawn(page)  # the rerun after the load has finished: no stale preview in the picture
    no_exception(page)
    screenshot(page, "returns-loaded")
    page.close()


def test_upload_cqc_s_directory_as_published(server: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    """CQC's .ods, notices above the header, through the Returns page's council files tab; the
    provider figures move to the new file at once."""
    from tests.loaders.test_cqc import directory

    file = tmp_path / "01_December_2019_HSCA_Active_Locations.ods"
    file.write_bytes(directory())
    page = open_page(browser, f"{server}/returns?council=Leicestershire", height=1600)
    page.get_by_role("tab", name="Council files").click()
    uploader = page.get_by_label("CQC's file, or the council's contracts, population or councils file")
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(file))
    page.get_by_text("14 rows pass every check").wait_for(timeout=60_000)
    page.get_by_role("button", name="Load this file").click()
    page.get_by_text("14 rows loaded").wait_for(timeout=60_000)
    drawn(page)
    # the officer stays on the tab they loaded from (the rerun after a load used to go to the first)
    assert page.get_by_role("tab", name="Council files").get_attribute("aria-selected") == "true"
    # the load is done: the uploader is empty for the next file and there is nothing to load twice
    shown(page.get_by_text("Choose a file to check it."))
    assert page.get_by_role("button", name="Load this file").count() == 0
    no_exception(page)
    screenshot(page, "returns-council-file-loaded")
    page.close()
