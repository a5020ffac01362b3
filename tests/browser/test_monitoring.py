"""Monitoring in the browser: a partner writes and submits a report (saved as
they go) and the officer accepts it; an officer opens a review and
recommends decommissioning through the hub's route. Every page checked by axe."""

from __future__ import annotations

import re

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def click_and_load(page, locator) -> None:
    with page.expect_navigation(wait_until="load"):
        locator.click()


def test_partner_submits_a_report_and_the_officer_accepts_it(page, live_server, browser):
    sign_in_as(page, live_server, "soundwaves@herts.demo")
    owed = page.locator("h2#reports-heading + ul a").first
    assert page.locator("h2#reports-heading").inner_text() == "Reports you owe"
    title = owed.inner_text()
    click_and_load(page, owed)
    click_and_load(page, page.get_by_role("link", name=re.compile("Write this report")))
    check(page, "partner's report form")

    page.get_by_label("Activities delivered").fill("Weekly sessions in three schools.")
    page.locator("#id_participants").fill("52")
    page.get_by_label("Outcomes achieved").focus()  # leaving a field saves the form
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Saved at").wait_for()

    page.get_by_label("Outcomes achieved").fill("A new inclusive ensemble.")
    page.get_by_label("With special educational needs (SEND)").fill("3")
    click_and_load(page, page.get_by_role("button", name="Submit report"))
    assert "submitted" in page.locator(".messages").inner_text()
    assert "Submitted, awaiting review" in page.locator("dl.summary").inner_text()
    assert "fewer than 5" in page.locator("table").last.inner_text()
    check(page, "partner's submitted report")

    officer = browser.new_context(locale="en-GB").new_page()
    sign_in_as(officer, live_server, "officer@herts.demo")
    click_and_load(
        officer, officer.get_by_role("link", name="Partners' reports waiting to be accepted")
    )
    check(officer, "reports waiting to be accepted")
    click_and_load(officer, officer.get_by_role("link", name=title).first)
    assert "Weekly sessions in three schools." in officer.locator("main").inner_text()
    officer.get_by_label("Accept the report").check()
    officer.get_by_label("Comments for the partner").fill("Thank you.")
    click_and_load(officer, officer.get_by_role("button", name="Record the decision"))
    assert "accepted" in officer.locator(".messages").inner_text()
    assert "Accepted" in officer.locator("dl.summary").inner_text()
    check(officer, "accepted report")
    officer.context.close()


def test_officer_opens_a_review_and_recommends_decommissioning(page, live_server):
    sign_in_as(page, live_server, "officer@kent.demo")
    page.get_by_role("link", name="Commissions", exact=True).click()
    page.get_by_label("Stage").select_option("monitoring")
    click_and_load(page, page.get_by_role("button", name="Apply filters"))
    click_and_load(page, page.locator("table tbody th a").first)
    assert page.get_by_role("heading", name="Monitoring and progress").is_visible()
    check(page, "commission with its progress")
    click_and_load(page, page.get_by_role("link", name=re.compile("Reports, reviews")))
    check(page, "partnership's monitoring")

    page.get_by_text("Open a review", exact=True).click()
    page.get_by_role("button", name="Open the review").click()
    page.wait_for_load_state("load")
    assert "There is a problem" in page.locator(".error-summary").inner_text()
    check(page, "review form with an error")
    page.get_by_label("Why open a review").select_option("targets")
    page.get_by_label("Findings").fill("Enrolment 45 against a target of 120 at the spring review.")
    click_and_load(page, page.get_by_role("button", name="Open the review"))
    assert page.locator("h1").inner_text() == "Review: Targets missed"
    check(page, "open review")

    recommend = page.locator(
        "section", has=page.locator("h3", has_text="Recommend decommissioning")
    )
    recommend.get_by_label("Grounds").select_option("unmet_objectives")
    recommend.get_by_label("Reason").fill("Targets missed for two terms despite an action plan.")
    click_and_load(page, recommend.get_by_role("button", name="Recommend decommissioning"))
    assert "Now Decommissioning recommended" in page.locator(".messages").inner_text()
    # Kent's board comment is advisory: both routes are offered.
    assert page.get_by_role("button", name="Send the recommendation to the board for comment")
    assert page.get_by_role("button", name="Submit the recommendation for decision").is_visible()
    check(page, "review after recommending")
