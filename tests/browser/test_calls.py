"""Calls in a real browser: the public's open calls and a call's page, and a
partner filling in an expression of interest (word counts, another budget
line, save, reload, autosave, submit), each page checked with axe-core and
for CSP refusals; the form fits a phone. This module publishes a call in its
own demo, so it changes nothing other modules see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from commissioning.calls import services as calls
from commissioning.models import Call, Commission, Route
from commissioning.workflow import Stage
from tests.browser.axe import assert_accessible
from tests.browser.helpers import (
    assert_no_csp_violations,
    assert_no_horizontal_scroll,
    assert_skip_link_works,
    visit,
)
from tests.browser.test_roles import sign_in_as

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def call(demo, media) -> Call:
    """The demo's Leicestershire commission that is looking for a partner
    through an open call and has no call yet, with its call published."""
    commission = Commission.objects.get(
        hub__slug="leics", status=Stage.IDENTIFY, route=Route.OPEN_CALL, call__isnull=True
    )
    now = timezone.now()
    return calls.call_publish(
        commission=commission,
        user=commission.created_by,
        title="Jazz and improvisation for 11 to 18 year olds",
        summary="Weekly sessions in Leicester and two market towns.",
        eligibility="Organisations that have met the HLO.",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=21),
    )


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def test_the_public_open_calls_and_a_call_page(page, live_server, call):
    visit(page, f"{live_server}/hubs/leics/calls/")
    assert page.locator("h1").inner_text() == "Open calls"
    check(page, "open calls, anonymous")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=call.title).click()
    assert page.locator("h1").inner_text() == call.title
    assert page.get_by_role("table", name="The budget: costs").count() == 1
    check(page, "a public call, anonymous")
    page.reload()
    assert_skip_link_works(page)


def test_a_partner_fills_in_saves_and_submits_an_eoi(page, live_server, call):
    sign_in_as(page, live_server, "leicjazz@leics.demo")
    visit(page, f"{live_server}/h/leics/calls/")
    check(page, "calls, partner")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=call.title).click()
    check(page, "a call, partner")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Start an expression of interest").click()
    assert page.locator("h1").inner_text() == "Your expression of interest"
    check(page, "the empty EOI form")

    page.get_by_label("Title", exact=True).fill("Leicester Jazz Futures: youth big band")
    page.get_by_label("Summary").fill("A youth big band in three places")
    expect(page.locator("#id_summary_count")).to_have_text("7 of 500 words")
    page.get_by_label("How you will deliver it").fill("Weekly rehearsals, termly gigs.")
    page.get_by_label("Quality and inclusion").fill("Free places and loan instruments.")
    page.locator("#id_costs-0-description").fill("Tutors")
    page.locator("#id_costs-0-amount").fill("6000")
    page.get_by_role("button", name="Add another cost").click()  # JavaScript: no reload
    expect(page.locator("#costs-lines legend").nth(1)).to_have_text("Cost 2")
    expect(page.locator("#id_costs-1-description")).to_be_focused()
    page.locator("#id_costs-1-description").fill("Venue hire")
    page.locator("#id_costs-1-amount").fill("4,000")
    expect(page.locator('[data-total="costs"]')).to_have_text("10,000.00")
    page.locator("#id_funding-0-kind").select_option("hub_grant")
    page.locator("#id_funding-0-amount").fill("5000")
    page.locator("#id_funding-0-description").focus()
    page.locator("#id_funding-0-description").blur()  # leaving a field autosaves
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Save draft").last.click()
    assert "Draft saved at" in page.locator(".messages").inner_text()

    page.reload()
    expect(page.get_by_label("Title", exact=True)).to_have_value(
        "Leicester Jazz Futures: youth big band"
    )
    expect(page.locator("#id_costs-1-description")).to_have_value("Venue hire")
    expect(page.get_by_role("link", name="plan.pdf")).to_be_visible()
    check(page, "a saved draft")

    # The funding falls short: refused beside the budget, nothing lost.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit expression of interest").click()
    assert "they must match" in page.locator("#costs-error").inner_text()
    expect(page.locator("#id_costs-1-description")).to_have_value("Venue hire")
    check(page, "a refused submission")

    page.get_by_role("button", name="Add another funding source").click()
    page.locator("#id_funding-1-kind").select_option("other")
    page.locator("#id_funding-1-description").fill("Arts Council England")
    page.locator("#id_funding-1-amount").fill("5000")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit expression of interest").click()
    assert "Expression of interest submitted at" in page.locator(".messages").inner_text()
    assert page.locator(".stage-badge").inner_text() == "Status: Submitted"
    check(page, "the receipt")


def test_the_eoi_form_fits_a_phone(phone_page, live_server, call):
    sign_in_as(phone_page, live_server, "charnwood@leics.demo")
    visit(phone_page, f"{live_server}/h/leics/calls/{call.pk}/")
    with phone_page.expect_navigation(wait_until="load"):
        phone_page.get_by_role("button", name="Start an expression of interest").click()
    assert_no_horizontal_scroll(phone_page)
    check(phone_page, "the EOI form on a phone")
