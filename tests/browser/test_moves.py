"""A commission moved on in the browser: Kent's approver approves a draft, and
the partner signs its agreement. This module changes its demo, so it has its own."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def open_first(page, stage: str) -> str:
    page.get_by_role("link", name="Commissions", exact=True).click()
    page.get_by_label("Stage").select_option(stage)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_load_state("load")
    link = page.locator("table tbody th a").first
    reference = link.inner_text()
    link.click()
    page.wait_for_load_state("load")
    return reference


def test_approver_approves_then_the_partner_signs(page, live_server, browser):
    sign_in_as(page, live_server, "approver@kent.demo")
    reference = open_first(page, "approval")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Approve the partnership").click()
    assert "Now Approved, awaiting signature" in page.locator(".messages").inner_text()
    assert page.locator(".stage-badge").inner_text() == "Stage: Approved, awaiting signature"
    assert_no_csp_violations(page)
    assert_accessible(page, context="after approving")

    partner = browser.new_context().new_page()
    sign_in_as(partner, live_server, "medway@kent.demo")
    todo = partner.get_by_role("row").filter(has_text=reference)
    assert "Sign the partnership agreement" in todo.inner_text()
    todo.get_by_role("link", name=reference).click()
    partner.wait_for_load_state("load")
    assert reference in partner.locator("h1").inner_text()
    # Signing is on the agreement's own page (tests/browser/test_agreements.py
    # follows it through to the countersignature).
    with partner.expect_navigation(wait_until="load"):
        partner.get_by_role("link", name="Partnership agreement").click()
    with partner.expect_navigation(wait_until="load"):
        partner.get_by_role("link", name="Review and sign the agreement").click()
    partner.get_by_label("Your full name").fill("Pat Partner")
    partner.get_by_label("Your role").fill("Director")
    partner.get_by_label("I confirm the statement above").check()
    with partner.expect_navigation(wait_until="load"):
        partner.get_by_role("button", name="Sign the agreement").click()
    assert "Signed by the partner" in partner.locator(".stage-badge").inner_text()
    assert_accessible(partner, context="after signing")
    partner.context.close()
