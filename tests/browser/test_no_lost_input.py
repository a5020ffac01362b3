"""No lost input (issue 15): an autosave still in flight, carrying older data,
must never land over what the partner submitted after it.

Playwright holds the autosave request (page.route) while the partner goes on
typing and submits with an error; then the held request is sent to the server
(route.fetch), as a slow network or a busy server would deliver it, late.
Before the fix it replaced the budget rows with the older ones while the page
said "Everything you entered is still here". Now the form waits for (or
cancels) the autosave in flight before it is sent, and the server refuses a
save carrying an older draft version.
"""

from __future__ import annotations

import contextlib
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from commissioning.models import Proposal, ProposalStatus
from hubs.models import Membership, Role
from monitoring.models import Report, ReportStatus
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

AUTOSAVE = "**/autosave/"


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def hold_autosaves(page) -> list:
    held: list = []
    page.route(AUTOSAVE, lambda route: held.append(route))
    return held


def wait_for(page, held: list, n: int = 1) -> None:
    deadline = time.monotonic() + 10
    while len(held) < n:
        assert time.monotonic() < deadline, "no autosave was sent"
        page.wait_for_timeout(50)


def deliver_late(route):
    """Send a held autosave to the server now, after the page moved on."""
    response = route.fetch()
    # The page that sent it may be gone, or have given up on it.
    with contextlib.suppress(PlaywrightError):
        route.fulfill(response=response)
    return response


def contact_of(partner_id: int, hub_id: int) -> str:
    member = Membership.objects.filter(
        hub_id=hub_id, role=Role.PARTNER_CONTACT, partner_id=partner_id
    ).select_related("user")
    return member.order_by("pk").first().user.email


def draft_eoi() -> Proposal:
    return (
        Proposal.objects.filter(
            hub__slug="consortium", status=ProposalStatus.DRAFT, call__closes_at__gt=timezone.now()
        )
        .select_related("hub")
        .order_by("pk")
        .first()
    )


def open_eoi(page, live_server) -> Proposal:
    proposal = draft_eoi()
    sign_in_as(page, live_server, contact_of(proposal.partner_id, proposal.hub_id))
    visit(page, live_server.url + reverse("calls:eoi_edit", args=[proposal.hub.slug, proposal.pk]))
    assert page.locator("h1").inner_text() == "Your expression of interest"
    return proposal


def add_cost(page, description: str, amount: str) -> None:
    page.get_by_role("button", name="Add another cost").click()
    n = page.locator("#costs-lines fieldset").count() - 1
    page.locator(f"#id_costs-{n}-description").fill(description)
    page.locator(f"#id_costs-{n}-amount").fill(amount)


def cost_descriptions(page) -> list[str]:
    fields = page.locator('#costs-lines input[name$="-description"]')
    return [fields.nth(i).input_value() for i in range(fields.count())]


def test_a_late_autosave_never_takes_budget_rows_away(page, live_server):
    proposal = open_eoi(page, live_server)
    before = cost_descriptions(page)
    held = hold_autosaves(page)

    page.get_by_label("Title", exact=True).fill("Inclusive ensembles in four towns")
    page.get_by_label("Summary").focus()  # leaving a field autosaves: held, in flight
    wait_for(page, held)
    add_cost(page, "Accessible venue hire", "1500")
    add_cost(page, "Sign language interpreter", "900")
    # Costs now exceed the funding: the submit is refused, the page comes back.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit expression of interest").click()
    assert "There is a problem" in page.locator(".error-summary").inner_text()
    expected = [*before, "Accessible venue hire", "Sign language interpreter"]
    assert cost_descriptions(page) == expected

    late = deliver_late(held[0])
    page.unroute(AUTOSAVE)
    visit(page, page.url)  # a GET: reloading the refused submit would post it again
    assert cost_descriptions(page) == expected
    lines = proposal.budget_lines.order_by("position").values_list("description", flat=True)
    assert list(lines) == expected
    assert late.status == 409  # refused: it carried the version the page was loaded with
    proposal.refresh_from_db()
    assert proposal.title == "Inclusive ensembles in four towns"
    check(page, "EOI form after a late autosave")


def test_a_submit_waits_for_a_slow_autosave_and_carries_its_version(page, live_server):
    proposal = open_eoi(page, live_server)
    held = hold_autosaves(page)
    page.get_by_label("Title", exact=True).fill("Inclusive ensembles, a slow network")
    page.get_by_label("Summary").focus()
    wait_for(page, held)
    add_cost(page, "Transport", "300")
    page.get_by_role("button", name="Submit expression of interest").click()
    # The form waits for the autosave in flight and sends nothing else meanwhile.
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saving")
    page.wait_for_timeout(300)
    assert len(held) == 1
    with page.expect_navigation(wait_until="load"):
        assert deliver_late(held[0]).status == 200
    assert "There is a problem" in page.locator(".error-summary").inner_text()
    assert "Transport" in cost_descriptions(page)
    assert "changed since" not in page.content()  # not taken for a stale page
    proposal.refresh_from_db()
    assert proposal.title == "Inclusive ensembles, a slow network"
    assert proposal.budget_lines.filter(description="Transport").exists()


def owed_report() -> Report:
    return (
        Report.objects.filter(hub__slug="herts", status=ReportStatus.DUE)
        .select_related("commission", "hub")
        .order_by("due_on", "pk")
        .first()
    )


def test_a_late_autosave_never_takes_a_report_answer_away(page, live_server):
    report = owed_report()
    sign_in_as(page, live_server, contact_of(report.commission.partner_id, report.hub_id))
    visit(page, live_server.url + reverse("monitoring:report_edit", args=["herts", report.pk]))
    held = hold_autosaves(page)

    page.get_by_label("Activities delivered").fill("Weekly sessions in three schools.")
    page.get_by_label("Outcomes achieved").focus()  # autosaves: held, in flight
    wait_for(page, held)
    page.get_by_label("Activities delivered").fill(
        "Weekly sessions in three schools, and a sharing concert."
    )
    page.get_by_label("Outcomes achieved").fill("A new inclusive ensemble.")
    page.locator("#id_participants").fill("")
    # No number of participants: the submit is refused, the page comes back.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit report").click()
    assert "There is a problem" in page.locator(".error-summary").inner_text()

    late = deliver_late(held[0])
    page.unroute(AUTOSAVE)
    visit(page, page.url)  # a GET: reloading the refused submit would post it again
    expect(page.get_by_label("Activities delivered")).to_have_value(
        "Weekly sessions in three schools, and a sharing concert."
    )
    expect(page.get_by_label("Outcomes achieved")).to_have_value("A new inclusive ensemble.")
    report.refresh_from_db()
    assert report.activities == "Weekly sessions in three schools, and a sharing concert."
    assert late.status == 409
    check(page, "report form after a late autosave")


def test_a_second_tab_is_told_its_copy_is_older_and_keeps_what_it_typed(page, live_server):
    proposal = open_eoi(page, live_server)
    other = page.context.new_page()
    visit(other, page.url)  # the same draft in a second tab, loaded at the same version

    page.get_by_label("Title", exact=True).fill("Typed in the first tab")
    page.get_by_label("Summary").focus()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")

    other.get_by_label("Title", exact=True).fill("Typed in the second tab")
    other.get_by_label("Summary").focus()
    status = other.locator("[data-autosave-status]")
    expect(status).to_contain_text("Not saved. This expression of interest was saved from another")
    expect(other.get_by_label("Title", exact=True)).to_have_value("Typed in the second tab")
    proposal.refresh_from_db()
    assert proposal.title == "Typed in the first tab"
    check(other, "EOI form told its copy is older")

    # Saving the second tab shows what is saved beside what it typed, then keeps it.
    with other.expect_navigation(wait_until="load"):
        other.get_by_role("button", name="Save draft").last.click()
    assert "What is saved now" in other.locator("#saved-copy").inner_text()
    assert "Typed in the first tab" in other.locator("#saved-copy").inner_text()
    expect(other.get_by_label("Title", exact=True)).to_have_value("Typed in the second tab")
    check(other, "EOI form refused as stale")
    with other.expect_navigation(wait_until="load"):
        other.get_by_role("button", name="Save draft").last.click()
    assert "Draft saved at" in other.locator(".messages").inner_text()
    proposal.refresh_from_db()
    assert proposal.title == "Typed in the second tab"
