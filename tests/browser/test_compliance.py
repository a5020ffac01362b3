"""Compliance records in the browser: a partner contact adds its public
liability insurance (a mistake first, told beside the field, nothing lost),
and the officer finds it waiting, verifies it, and reads the partner's
records. Every page checked by axe."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

PDF = b"%PDF-1.4\n%%EOF\n"


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def click_and_load(page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()


def test_partner_adds_insurance_and_the_officer_verifies_it(page, live_server, browser):
    sign_in_as(page, live_server, "beats@herts.demo")
    click_and_load(page, page.get_by_role("link", name="Compliance", exact=True))
    assert page.get_by_role("heading", name="Compliance records").is_visible()
    check(page, "partner's compliance records")
    assert "Beats Academy Herts" in page.locator("table").inner_text()
    assert "Soundwaves" not in page.locator("main").inner_text()

    click_and_load(page, page.get_by_role("link", name="Add a record"))
    check(page, "choosing what the record is")
    click_and_load(page, page.get_by_role("link", name="Public liability insurance"))
    page.get_by_label("Insurer").fill("Hiscox")
    page.get_by_label("Cover (£)").fill("5000000")
    page.get_by_label("Cover starts on").fill("2026-09-01")
    page.get_by_label("Cover expires on").fill("2026-08-01")  # before it starts
    page.set_input_files(
        "#id_document",
        files=[{"name": "schedule.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    click_and_load(page, page.get_by_role("button", name="Add the record"))
    summary = page.locator("#error-summary")
    assert "This date must be after 1 September 2026." in summary.inner_text()
    assert page.get_by_label("Insurer").input_value() == "Hiscox"
    assert page.get_by_label("Cover (£)").input_value() == "5000000"
    check(page, "the record's form with a mistake")

    page.get_by_label("Cover expires on").fill("2027-08-31")
    page.set_input_files(
        "#id_document",
        files=[{"name": "schedule.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    click_and_load(page, page.get_by_role("button", name="Add the record"))
    assert "Public liability insurance added" in page.locator(".messages").inner_text()
    assert "Waiting to be verified" in page.locator("dl.summary").inner_text()
    assert page.get_by_role("button", name="Verify the record").count() == 0
    check(page, "partner's new record")
    record_url = page.url

    officer = browser.new_context(locale="en-GB").new_page()
    sign_in_as(officer, live_server, "officer@herts.demo")
    click_and_load(officer, officer.get_by_role("link", name="Compliance", exact=True))
    officer.get_by_label("Status").select_option("waiting")
    click_and_load(officer, officer.get_by_role("button", name="Apply filters"))
    check(officer, "records waiting to be verified")
    row = officer.locator("tr", has_text="Beats Academy Herts").filter(
        has_text="Waiting to be verified"
    )
    click_and_load(officer, row.get_by_role("link").first)
    assert officer.url == record_url
    click_and_load(officer, officer.get_by_role("button", name="Verify the record"))
    assert "Verified" in officer.locator(".messages").inner_text()
    check(officer, "verified record")
    assert officer.locator("dl.summary dd").first.inner_text().startswith("Verified")
    officer.context.close()


def test_officer_reads_certificate_numbers_a_partner_never_does(page, live_server, browser):
    sign_in_as(page, live_server, "officer@herts.demo")
    click_and_load(page, page.get_by_role("link", name="Compliance", exact=True))
    page.get_by_label("Kind of record").select_option("dbs_check")
    click_and_load(page, page.get_by_role("button", name="Apply filters"))
    click_and_load(page, page.locator("table tbody th a").first)
    assert "001" in page.locator("dl.summary").inner_text()  # the demo's numbers start so
    check(page, "a DBS check, as HLO staff read it")
    url = page.url

    partner = browser.new_context(locale="en-GB").new_page()
    sign_in_as(partner, live_server, "soundwaves@herts.demo")
    partner.goto(url)
    text = partner.locator("dl.summary").inner_text()
    assert "shown to HLO staff only" in text and "001" not in text
    check(partner, "a DBS check, as its partner reads it")
    partner.context.close()
