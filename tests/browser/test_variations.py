"""A variation in the browser: a Hertfordshire partner proposes a change to
its signed agreement, the approver approves it, both parties sign, and the
agreement shows its next version; every page checked with axe-core. This
module changes its demo, so it has its own."""

from __future__ import annotations

import pytest

from agreements.models import Agreement, Variation
from hubs.models import Membership, Role
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_agreements import click, new_page, sign_form
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def _unvaried() -> Agreement:
    """A live Hertfordshire partnership the demo has not varied."""
    agreements = Agreement.objects.filter(
        hub__slug="herts", period_number=1, status="signed", commission__status="monitoring"
    ).exclude(variations__isnull=False)
    return agreements.select_related("commission").order_by("commission__reference").first()


def test_a_partner_proposes_a_change_the_approver_approves_and_both_sign(
    page, browser, live_server
):
    agreement = _unvaried()
    c = agreement.commission
    contact = (
        Membership.objects.filter(hub=c.hub, role=Role.PARTNER_CONTACT, partner=c.partner)
        .select_related("user")
        .first()
        .user
    )
    base = f"{live_server.url}/h/herts/commissions/{c.reference}/agreement/1/"

    sign_in_as(page, live_server, contact.email)
    visit(page, base)
    click(page, "link", "Propose a change to the agreement")
    check(page, "the variation form")
    # Nothing typed as the reason: the refusal is beside the field, the rest kept.
    page.get_by_label("Anything else about the KPIs (optional)").fill(
        "Sessions delivered: 40, not 30."
    )
    click(page, "button", "Propose the change")
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Anything else about the KPIs (optional)").input_value() == (
        "Sessions delivered: 40, not 30."
    )
    check(page, "the variation form with its errors")
    page.get_by_label("Why the change is needed").fill("Two more schools asked to join.")
    page.get_by_label("Hub grant in all (£)").fill(str(c.hub_grant_amount + 1000))
    click(page, "button", "Propose the change")
    assert "Proposed, awaiting decision" in page.locator(".stage-badge").inner_text()
    assert page.get_by_role("heading", name="Funding").is_visible()
    check(page, "a proposed variation, for the partner")

    approver = new_page(browser, live_server, "approver@herts.demo")
    visit(approver, f"{base}variations/1/")
    check(approver, "a proposed variation, for the approver")
    approver.get_by_label("Approve the variation").check()
    click(approver, "button", "Record the decision")
    assert "Approved" in approver.locator(".stage-badge").inner_text()

    visit(page, f"{base}variations/1/")
    sign_form(page, "Pat Partner", "Director", "Sign the variation")
    officer = new_page(browser, live_server, "officer@herts.demo")
    visit(officer, f"{base}variations/1/")
    sign_form(officer, "Olive Officer", "Head of Service", "Countersign the variation")
    assert "the agreement is varied" in officer.locator(".stage-badge").inner_text()
    click(officer, "link", "compare the two versions")
    check(officer, "the versions page comparing the variation")
    variation = Variation.objects.get(agreement=agreement)
    assert variation.status == "signed" and variation.to_version
    agreement.refresh_from_db()
    c.refresh_from_db()
    assert agreement.version_number == variation.to_version
