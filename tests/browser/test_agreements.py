"""Partnership agreements in the browser: each of the five policies' routes
from draft to signed, with the board's comments where the policy asks for
them, the approver's decision, the partner's signature and the HLO's
countersignature. Every kind of agreement page is checked with axe-core.
This module changes its demo, so it has its own."""

from __future__ import annotations

import pytest

from agreements.models import Agreement, Signature
from commissioning.models import Commission
from demo.stories import title as demo_title
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

# slug: (who drafts, the partner contact, does the draft go to the board?)
ROUTES = {
    "herts": ("officer@herts.demo", "soundwaves@herts.demo", True),
    "kent": ("officer@kent.demo", "medway@kent.demo", False),  # advisory: straight on
    "blmk": ("lead-luton@blmk.demo", "lutonms@blmk.demo", False),
    "leics": ("officer@leics.demo", "leicjazz@leics.demo", False),
    "consortium": ("officer@consortium.demo", "countyms@consortium.demo", False),
}


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def drafting(slug: str) -> Commission:
    return Commission.objects.get(hub__slug=slug, title=demo_title(slug, "Drafting the agreement"))


def agreement_url(live_server, c: Commission, tail: str = "") -> str:
    return f"{live_server.url}/h/{c.hub.slug}/commissions/{c.reference}/agreement/1/{tail}"


def click(page, role: str, name: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role(role, name=name).click()


def sign_form(page, name: str, role: str, button: str) -> None:
    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Your role").fill(role)
    page.get_by_label("I confirm the statement above").check()
    click(page, "button", button)


def new_page(browser, live_server, email: str):
    page = browser.new_context().new_page()
    sign_in_as(page, live_server, email)
    return page


@pytest.mark.parametrize("slug", list(ROUTES))
def test_each_policy_from_draft_to_signed(page, browser, live_server, slug):
    drafter, partner_email, via_board = ROUTES[slug]
    c = drafting(slug)
    board_name = c.policy.board_name
    approving_body = c.policy.approving_body

    # The officer finds the agreement from the commission and sends it on.
    sign_in_as(page, live_server, drafter)
    visit(page, f"{live_server.url}/h/{slug}/commissions/{c.reference}/")
    click(page, "link", "Partnership agreement")
    assert page.locator(".stage-badge").inner_text() == "Status: Draft"
    if via_board:
        click(page, "button", f"Send the draft to the {board_name} for comment")
        assert "With the board for comment" in page.locator(".stage-badge").inner_text()
        for member in (f"board1@{slug}.demo", f"board2@{slug}.demo"):
            board = new_page(browser, live_server, member)
            visit(board, agreement_url(live_server, c))
            board.get_by_label("Comment on").select_option(label="Payment schedule")
            board.get_by_label("Your comment").fill(f"{member}: the schedule reads well.")
            click(board, "button", "Add your comment")
            assert f"{member}: the schedule reads well." in board.content()
            board.context.close()
        page.reload()
        click(page, "button", f"Close board comment and submit to the {approving_body}")
    else:
        click(page, "button", f"Submit the draft to the {approving_body}")
    assert page.locator(".stage-badge").inner_text() == "Status: Awaiting approval"

    # The approver decides, with the board's comments in front of them.
    approver = new_page(browser, live_server, f"approver@{slug}.demo")
    visit(approver, agreement_url(live_server, c))
    if via_board:
        assert "The board's comments" in approver.content()
        assert approver.get_by_text("the schedule reads well").count() == 2
    approver.get_by_label("Approve the partnership agreement").check()
    click(approver, "button", "Record the decision")
    assert approver.locator(".stage-badge").inner_text() == "Status: Issued for signature"

    # The partner signs: name, role, consent; time, account and IP recorded.
    partner = new_page(browser, live_server, partner_email)
    visit(partner, agreement_url(live_server, c))
    click(partner, "link", "Review and sign the agreement")
    sign_form(partner, "Pat Partner", "Director", "Sign the agreement")
    assert "Signed by the partner" in partner.locator(".stage-badge").inner_text()
    partner.context.close()

    # The HLO's signatory the agreement names (the demo's officer, by title)
    # countersigns: the partnership is live.
    approver.context.close()
    signatory = new_page(browser, live_server, f"officer@{slug}.demo")
    visit(signatory, agreement_url(live_server, c))
    click(signatory, "link", "Countersign for")
    sign_form(signatory, "Olivia Officer", "Chief Executive", "Countersign the agreement")
    assert signatory.locator(".stage-badge").inner_text() == "Status: Signed by both parties"
    signatory.context.close()
    c.refresh_from_db()
    assert c.status == "monitoring"
    signatures = Signature.objects.filter(agreement__commission=c)
    assert {s.ip_address for s in signatures} == {"127.0.0.1"}
    assert Agreement.objects.get(commission=c).pdf, "the PDF was made after commit"


def test_the_agreement_pages_are_accessible(page, live_server):
    """Drafting pages as the officer: the agreement, the editor (with an
    error), the payment schedule (with one that does not add up), versions."""
    c = Commission.objects.get(hub__slug="kent", title=demo_title("kent", "Returned to draft"))
    sign_in_as(page, live_server, "officer@kent.demo")
    visit(page, agreement_url(live_server, c))
    assert "Returned to draft because" in page.content()
    check(page, "agreement, returned to draft")

    visit(page, agreement_url(live_server, c, "edit/"))
    check(page, "agreement editor")
    page.get_by_label("Scope and purpose").fill("A new purpose, agreed with the partner.")
    page.get_by_label("Ends on").fill("2000-01-01")
    click(page, "button", "Save a new version")
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("Scope and purpose").input_value().startswith("A new purpose")
    check(page, "agreement editor with an error")
    page.get_by_label("Ends on").fill("2027-08-31")
    page.get_by_label("What changed (optional)").fill("Purpose agreed")
    click(page, "button", "Save a new version")
    assert "Saved as version" in page.locator(".messages").inner_text()

    visit(page, agreement_url(live_server, c, "payments/"))
    check(page, "payment schedule")
    page.locator("#id_instalments-1-percent").fill("40")
    click(page, "button", "Save the schedule")
    assert "they must add up to 100%" in page.locator(".error-summary").first.inner_text()
    check(page, "payment schedule that does not add up")

    visit(page, agreement_url(live_server, c, "versions/"))
    assert "Purpose agreed" in page.content()
    assert page.get_by_text("A new purpose, agreed with the partner.").count() >= 1
    check(page, "versions compared")


def test_the_board_and_the_partner_see_their_own_views(page, browser, live_server):
    c = Commission.objects.get(
        hub__slug="herts", title=demo_title("herts", "With the board for comment")
    )
    sign_in_as(page, live_server, "board1@herts.demo")
    visit(page, agreement_url(live_server, c))
    assert "The board's comments" in page.content()
    check(page, "agreement as a board member")

    signed = Commission.objects.get(
        hub__slug="kent", title=demo_title("kent", "Signed by the partner")
    )
    partner = new_page(browser, live_server, "medway@kent.demo")
    visit(partner, agreement_url(live_server, signed))
    assert "The board's comments" not in partner.content()
    assert "versions and changes" not in partner.content()
    check(partner, "agreement as the partner")
    signatory = new_page(browser, live_server, "officer@kent.demo")
    visit(signatory, agreement_url(live_server, signed, "countersign/"))
    check(signatory, "countersigning page")
    signatory.context.close()
    partner.context.close()
