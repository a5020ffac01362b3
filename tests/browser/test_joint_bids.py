"""A joint bid in the browser: the co-applicant's contact finds the bid on its
dashboard, reads it and confirms its part; once the bid is awarded and the
agreement issued, it signs the agreement for its organisation. Every page is
checked with axe-core. This module changes its demo, so it has its own."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from agreements import services as ag
from agreements.models import Agreement, CoSignature
from commissioning import joint
from commissioning import services as cs
from commissioning.calls import services as calls
from commissioning.models import Call, Need, ProposalPartner
from demo.joint_demo import open_call, write_bid
from hubs.models import Hub
from partners.models import PartnerOrganisation
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_agreements import agreement_url, click, new_page, sign_form

pytestmark = pytest.mark.usefixtures("demo")

CO_EMAIL = "northms@consortium.demo"


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def _people():
    users = get_user_model().objects
    hub = Hub.objects.get(slug="consortium")
    partners = PartnerOrganisation.objects.filter(hub=hub)
    return (
        hub,
        partners.get(name="Midshire University Music Education"),
        partners.get(name="North District Music Service"),
        users.get(email="uni@consortium.demo"),
        users.get(email="officer@consortium.demo"),
        users.get(email="approver@consortium.demo"),
    )


def test_the_co_applicant_confirms_then_signs(browser, live_server):
    hub, lead, co, writer, officer, approver = _people()
    need = Need.objects.filter(hub=hub).order_by("pk").first()
    call = open_call(officer, need, "Music technology for young carers", Decimal(18000))
    proposal = write_bid(call, lead, writer)
    joint.co_applicant_add(
        proposal=proposal,
        user=writer,
        partner=co,
        role_in_bid="Sessions in the district's schools",
        share_of_activity=Decimal(30),
        share_of_budget=Decimal(6000),
    )

    page = new_page(browser, live_server, CO_EMAIL)
    visit(page, f"{live_server.url}/h/{hub.slug}/")
    check(page, "co-applicant's dashboard")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role(
            "link",
            name="Midshire University Music Education's bid for Music technology for young carers",
        ).click()
    assert page.get_by_role("heading", name="Partners in the bid").is_visible()
    check(page, "a joint bid's partners, before confirming")
    click(page, "button", "Confirm North District Music Service's part")
    assert page.get_by_text("You have confirmed North District Music Service's part").is_visible()
    check(page, "a joint bid's partners, confirmed")
    assert ProposalPartner.objects.get(proposal=proposal, partner=co).confirmed_at is not None

    calls.proposal_submit_eoi(proposal=proposal, user=writer)
    Call.objects.filter(pk=call.pk).update(closed_at=call.closes_at)
    c = call.commission
    cs.commission_award(commission=c, user=officer, partner=lead, proposal=proposal)
    agreement = ag.agreement_create(commission=c, user=officer)
    cs.commission_submit_for_approval(commission=c, user=officer)
    cs.commission_approve(commission=c, user=approver)
    agreement.refresh_from_db()
    ag.agreement_sign(
        agreement=agreement,
        user=writer,
        full_name="Uma Writer",
        role_title="Director",
        consent=True,
        render_pdf=False,
    )

    visit(page, agreement_url(live_server, c))
    check(page, "the joint agreement, for the co-applicant")
    click(page, "link", "Review and sign the agreement as a co-applicant")
    check(page, "the co-applicant's signing page")
    click(page, "button", "Sign the agreement for North District Music Service")
    assert page.locator("#error-summary").is_visible()  # nothing typed: said beside each field
    check(page, "the co-applicant's signing page with what is missing")
    sign_form(
        page,
        "Nora District",
        "Head of service",
        "Sign the agreement for North District Music Service",
    )
    assert page.get_by_text("You have signed the partnership agreement.").is_visible()
    check(page, "the joint agreement, signed by the co-applicant")
    signature = CoSignature.objects.get(agreement=Agreement.objects.get(commission=c))
    assert (signature.partner, signature.full_name) == (co, "Nora District")
