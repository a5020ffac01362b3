"""Newcomers in a real browser. An organisation new to the consortium hub
registers from its public call: makes an account, follows the confirmation
link from allauth's email, registers its profile (a duplicate charity number
and a bad company number are refused beside their fields, nothing typed
lost), expresses interest and submits; the officer then scores it. An
individual practitioner applies for Kent's quality assurance visits the same
way. Every page visited passes axe-core and its Content-Security-Policy.
This module changes its demo, so it has its own."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from commissioning.calls.closing import calls_close_due
from commissioning.calls.selectors import open_q
from commissioning.models import Call, Proposal, ProposalStatus
from demo.management.commands.load_demo import Pipeline, build_hub
from partners.models import PartnerOrganisation
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, assert_no_horizontal_scroll, visit
from tests.browser.test_roles import sign_in_as
from tests.commissioning.calls.test_services import publish
from tests.conftest import SPECS

pytestmark = pytest.mark.usefixtures("demo")

PASSWORD = "riverside-passphrase-2026"
CONFIRM = re.compile(r"https?://[^/\s]+(/accounts/confirm-email/\S+)")


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def press(page, button: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button).click()


def follow(page, link: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=link).first.click()


def make_account(page, live_server, call: Call, first: str, last: str, email: str) -> None:
    """From the call's public page to a verified account, signed in, on the
    page for registering with the hub."""
    visit(page, f"{live_server}/hubs/{call.hub.slug}/calls/{call.pk}/")
    check(page, "a public call, for a newcomer")
    follow(page, "Register to express interest")
    assert page.locator("h1").inner_text() == f"Register with {call.hub.name}"
    check(page, "the ways in")
    follow(page, "Create an account")
    check(page, "creating an account")
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    mail.outbox.clear()
    press(page, "Create my account")
    assert page.locator("h1").inner_text() == "Check your email"
    check(page, "check your email")

    link = CONFIRM.search(mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == [email]
    visit(page, live_server + link)
    check(page, "confirming the address")
    press(page, "Confirm my email address")
    assert urlsplit(page.url).path == f"/hubs/{call.hub.slug}/join/"
    assert page.locator("h1").inner_text() == f"Register your organisation with {call.hub.name}"
    check(page, "registering an organisation")


def express_interest(page, title: str) -> None:
    press(page, "Start an expression of interest")
    assert page.locator("h1").inner_text() == "Your expression of interest"
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Summary").fill("Weekly sessions for young people new to music.")
    page.get_by_label("How you will deliver it").fill("Thirty sessions from January, two tutors.")
    page.get_by_label("Quality and inclusion").fill("Free places; we follow the Hub's framework.")
    page.locator("#id_costs-0-description").fill("Tutors")
    page.locator("#id_costs-0-amount").fill("6000")
    page.locator("#id_funding-0-kind").select_option("hub_grant")
    page.locator("#id_funding-0-amount").fill("3000")
    page.get_by_role("button", name="Add another funding source").click()
    page.locator("#id_funding-1-kind").select_option("other")
    page.locator("#id_funding-1-description").fill("Local trust")
    page.locator("#id_funding-1-amount").fill("3000")
    press(page, "Submit expression of interest")
    assert "Expression of interest submitted at" in page.locator(".messages").inner_text()
    check(page, "the newcomer's receipt")


def test_a_new_organisation_registers_from_the_consortiums_call_and_is_scored(page, live_server):
    call = Call.objects.filter(open_q(), hub__slug="consortium", is_public=True).first()
    existing = PartnerOrganisation.objects.filter(hub=call.hub).exclude(charity_number="")[0]
    make_account(page, live_server, call, "Nia", "Okonkwo", "nia@riverside-music.example.org")

    page.get_by_label("What kind of organisation is it?").select_option(label="Charity")
    page.get_by_label("Legal name").fill("Riverside Music Makers")
    page.get_by_label("Charity number (if it is a registered charity)").fill(
        existing.charity_number
    )
    page.get_by_label("Company number (companies and CICs)").fill("12AB")
    page.get_by_label("Address line 1").fill("4 The Old Wharf")
    page.get_by_label("Town or city").fill("Riverside")
    page.get_by_label("Postcode").fill("RV1 4WQ")
    press(page, "Register and continue")
    assert (
        f"{existing.name} is already registered"
        in page.locator("#id_charity_number_error").inner_text()
    )
    assert "is not a company number" in page.locator("#id_company_number_error").inner_text()
    assert page.get_by_label("Legal name").input_value() == "Riverside Music Makers"
    assert page.get_by_label("Postcode").input_value() == "RV1 4WQ"
    check(page, "a profile refused beside its fields")
    page.set_viewport_size({"width": 320, "height": 640})
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": 1280, "height": 800})

    page.get_by_label("Charity number (if it is a registered charity)").fill("1187654")
    page.get_by_label("Company number (companies and CICs)").fill("")
    press(page, "Register and continue")
    assert "Riverside Music Makers is registered with" in page.locator(".messages").inner_text()
    assert urlsplit(page.url).path == f"/h/consortium/calls/{call.pk}/"
    check(page, "the call, for the newcomer")
    express_interest(page, "Riverside: music for new arrivals")

    partner = PartnerOrganisation.objects.get(hub=call.hub, name="Riverside Music Makers")
    assert partner.is_newcomer
    proposal = Proposal.objects.get(call=call, partner=partner)
    assert proposal.status == ProposalStatus.SUBMITTED

    # The call closes; the officer sees a new organisation and scores it.
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    calls_close_due()
    page.context.clear_cookies()
    sign_in_as(page, live_server, "officer@consortium.demo")
    visit(page, f"{live_server}/h/consortium/calls/{call.pk}/proposals/")
    row = page.get_by_role("row").filter(has_text="Riverside Music Makers")
    assert "New organisation" in row.inner_text()
    check(page, "the call's expressions of interest, with a newcomer")
    visit(page, f"{live_server}/h/consortium/calls/{call.pk}/scoring/")
    follow(page, "Panel")
    page.get_by_label("Add to the panel").select_option(
        label="Olivia Officer (officer@consortium.demo)"
    )
    press(page, "Add to the panel")
    follow(page, "Scoring overview")
    follow(page, "Declare your interests for Riverside Music Makers")
    page.get_by_label("No, I have no conflict of interest").check()
    press(page, "Record my declaration")
    assert page.locator("h1").inner_text() == "Score: Riverside Music Makers"
    for cc in call.call_criteria.select_related("criterion"):
        name = cc.criterion.name
        page.get_by_label(f"Score for {name}").select_option("3")
        page.get_by_label(f"Comment on {name}").fill(f"Sound evidence for {name.lower()}.")
    press(page, "Save my scores")
    assert (
        "Your scores for Riverside Music Makers are saved."
        in page.locator(".messages").inner_text()
    )
    check(page, "the newcomer scored")
    assert proposal.scores.count() == call.call_criteria.count()


def test_an_individual_applies_for_kents_quality_assurance_visits(page, live_server):
    cast = build_hub(SPECS["kent"])
    call = publish(
        cast,
        Pipeline,
        title="Quality assurance visits: open application for individuals",
        summary="Experienced music educators to visit and report on funded activity.",
    )
    make_account(page, live_server, call, "Ade", "Bakare", "ade.bakare@example.org")

    page.get_by_label("What kind of organisation is it?").select_option(
        label="Individual practitioner"
    )
    page.get_by_label("Legal name").fill("Ade Bakare")
    page.get_by_label("Address line 1").fill("12 Orchard Road")
    page.get_by_label("Town or city").fill("Canterbury")
    page.get_by_label("Postcode").fill("CT1 2AB")
    press(page, "Register and continue")
    assert urlsplit(page.url).path == f"/h/{cast.hub.slug}/calls/{call.pk}/"
    express_interest(page, "Quality assurance visits across East Kent")

    partner = PartnerOrganisation.objects.get(hub=cast.hub, name="Ade Bakare")
    assert partner.organisation_type == "individual" and partner.is_newcomer
    assert Proposal.objects.get(call=call, partner=partner).status == ProposalStatus.SUBMITTED
