"""A new Leicestershire organisation's first expression of interest, in a
real browser: its contact is told at the start of the form that an
introductory meeting comes first and asks for one; the submission is refused
for it (the same rule); HLO staff find the organisation in the partner
directory and record the meeting; then the expression of interest goes
through. Every page is checked with axe-core. This module publishes a call
and adds an organisation in its own demo, so it changes nothing others see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.calls import services as calls
from commissioning.models import Call, Commission, Route
from commissioning.workflow import Stage
from hubs.models import Hub, Role
from hubs.services import membership_grant
from partners.models import PartnerOrganisation
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, signed_in, visit
from tests.browser.test_roles import sign_in_as
from tests.factories import PartnerFactory, UserFactory

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def call(demo, media) -> Call:
    commission = Commission.objects.get(
        hub__slug="leics", status=Stage.IDENTIFY, route=Route.OPEN_CALL, call__isnull=True
    )
    now = timezone.now()
    return calls.call_publish(
        commission=commission,
        user=commission.created_by,
        title="Steel pans in Melton and the Wolds",
        summary="Weekly steel pan sessions for 8 to 14 year olds.",
        eligibility="Organisations that have met the HLO.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=21),
    )


@pytest.fixture(scope="module")
def newcomer(demo) -> tuple[PartnerOrganisation, str]:
    hub = Hub.objects.get(slug="leics")
    partner = PartnerFactory(
        hub=hub,
        name="Melton Steel Pans",
        organisation_type="community",
        is_existing_partner=False,
        partnership_type="delivery",
    )
    contact = UserFactory(username="pans@melton.example", first_name="Ade", last_name="Okafor")
    membership_grant(hub=hub, user=contact, role=Role.PARTNER_CONTACT, partner=partner)
    return partner, contact.email


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def _fill_the_eoi(page) -> None:
    page.get_by_label("Title", exact=True).fill("Steel pans for the Wolds")
    page.get_by_label("Summary").fill("Weekly steel pan sessions in two villages.")
    page.get_by_label("How you will deliver it").fill("Two tutors, loan pans, a summer concert.")
    page.get_by_label("Quality and inclusion").fill("Free places for pupil premium children.")
    page.locator("#id_costs-0-description").fill("Tutors and pans")
    page.locator("#id_costs-0-amount").fill("8000")
    page.locator("#id_funding-0-kind").select_option("hub_grant")
    page.locator("#id_funding-0-amount").fill("4000")
    page.get_by_role("button", name="Add another funding source").click()
    page.locator("#id_funding-1-kind").select_option("other")
    page.locator("#id_funding-1-description").fill("Melton Borough Council")
    page.locator("#id_funding-1-amount").fill("4000")


def test_the_meeting_is_asked_for_recorded_and_the_eoi_goes_through(
    browser, page, live_server, call, newcomer
):
    _, email = newcomer
    signed_in(page, live_server, email, PASSWORD)
    visit(page, f"{live_server}/h/leics/calls/{call.pk}/")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Start an expression of interest").click()
    # Told at the start, before a word is written.
    notice = page.locator("#introductory-meeting")
    expect(notice).to_contain_text("An introductory meeting comes first")
    expect(notice).to_contain_text("none is recorded for Melton Steel Pans")
    check(page, "the EOI form, before the meeting")
    eoi_url = page.url

    with page.expect_navigation(wait_until="load"):
        notice.get_by_role(
            "link", name="Ask Leicestershire Music for an introductory meeting"
        ).click()
    assert page.locator("h1").inner_text() == "Ask for an introductory meeting"
    check(page, "asking for a meeting")
    page.get_by_label("What you would like to talk about").fill("Tuesday afternoons suit us.")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Ask for the meeting").click()
    assert page.url == eoi_url
    expect(page.locator("#introductory-meeting")).to_contain_text("You asked for one on")

    # The submission is refused by the same rule, and nothing typed is lost.
    _fill_the_eoi(page)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit expression of interest").click()
    expect(page.locator("#error-summary")).to_contain_text("requires an introductory meeting")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Steel pans for the Wolds")

    # HLO staff find the organisation and record the meeting.
    officer = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        sign_in_as(officer, live_server, "officer@leics.demo")
        with officer.expect_navigation(wait_until="load"):
            officer.get_by_role("navigation", name="Main").get_by_role(
                "link", name="Partners"
            ).click()
        officer.get_by_label("Search").fill("steel pans")
        officer.get_by_label("Status").select_option("new")
        with officer.expect_navigation(wait_until="load"):
            officer.get_by_role("button", name="Apply filters").click()
        check(officer, "the partner directory, searched")
        with officer.expect_navigation(wait_until="load"):
            officer.get_by_role("link", name="Melton Steel Pans").click()
        expect(officer.locator("#meetings + ul")).to_contain_text("Being arranged")
        check(officer, "a new partner's page")
        with officer.expect_navigation(wait_until="load"):
            officer.get_by_role("link", name="Record a meeting held").click()
        expect(officer.locator(".lead + p")).to_contain_text("Tuesday afternoons suit us.")
        held = (timezone.localdate() - timedelta(days=1)).isoformat()
        officer.get_by_label("Date held").fill(held)
        officer.get_by_label("Who attended").fill("Olivia Officer; Ade Okafor, director")
        officer.get_by_label("Successful: it can become a partner").check()
        officer.get_by_label("Partnership type agreed").select_option("delivery")
        officer.get_by_label("The Hub's minimum safeguarding standards were explained").check()
        officer.get_by_label("The Hub's quality standards were explained").check()
        check(officer, "recording a meeting")
        with officer.expect_navigation(wait_until="load"):
            officer.get_by_role("button", name="Record the meeting").click()
        expect(officer.locator(".messages")).to_contain_text("introductory meeting is recorded")
        expect(officer.locator("#meetings + ul")).to_contain_text("Held on")
        check(officer, "the partner's page, meeting held")
    finally:
        officer.close()

    # Now the expression of interest goes through.
    visit(page, eoi_url)
    expect(page.locator("#introductory-meeting")).to_have_count(0)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit expression of interest").click()
    expect(page.locator(".messages")).to_contain_text("Expression of interest submitted at")
    assert page.locator(".stage-badge").inner_text() == "Status: Submitted"
    check(page, "the receipt")
