"""Each of the five policies from a need to the award, in a real browser, as
the hub's own officer: the demo's commission at "Need identified" is taken
down the route its policy sets, and the award is made.

- Hertfordshire, Kent: existing partners first; the award goes to one.
- BLMK: the Luton service lead awards Luton Music Service, a consortium
  member; the policy refuses until its conflict of interest is declared.
- Leicestershire, the consortium hub: an open call is published for the
  need; the award is made on the demo's call that has closed and been
  scored. The consortium's policy refuses any other route (its HLO bids
  through the open call like anyone, and wins the demo's call).

Every page visited passes axe-core and its Content-Security-Policy. This
module changes its demo, so it has its own."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from commissioning.models import Call, Commission, ProposalStatus
from commissioning.workflow import Stage
from demo.stories import title as demo_title
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_roles import sign_in_as

pytestmark = pytest.mark.usefixtures("demo")

NEED = "Need identified"  # the demo commission at this stage (demo.stories.title)
EXISTING = {
    # hub: (officer, partner awarded, declaration the policy asks for)
    "herts": ("officer@herts.demo", "Soundwaves SEND Music", ""),
    "kent": ("officer@kent.demo", "Medway Youth Strings", ""),
    "blmk": (
        "lead-luton@blmk.demo",
        "Luton Music Service",
        "Luton Music Service is a consortium member; its bid followed Luton Borough "
        "Council's commissioning policy.",
    ),
}
OPEN_CALL = {
    # hub: (officer, winner, the other bidder, whether only an open call will do)
    "leics": ("officer@leics.demo", "Leicester Jazz Futures", "Bhangra Beats Leicester", False),
    "consortium": ("officer@consortium.demo", "County Music Service", "Circuit Music Tech", True),
}


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def press(page, button: str, scope=None) -> None:
    with page.expect_navigation(wait_until="load"):
        (scope or page).get_by_role("button", name=button).click()


def open_the_need(page, live_server, slug: str) -> Commission:
    commission = Commission.objects.get(hub__slug=slug, title=demo_title(slug, NEED))
    assert commission.status == Stage.NEEDS
    visit(page, f"{live_server}/h/{slug}/commissions/?stage=needs")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=commission.reference).click()
    check(page, f"{slug}: a commission at its need")
    return commission


def move_form(page, action: str):
    return page.locator("form").filter(has=page.locator(f'input[value="{action}"]'))


def stage_of(page) -> str:
    return page.locator(".stage-badge").inner_text()


@pytest.mark.parametrize("slug", sorted(EXISTING))
def test_an_existing_partner_is_awarded(page, live_server, slug):
    login, partner, declaration = EXISTING[slug]
    sign_in_as(page, live_server, login)
    commission = open_the_need(page, live_server, slug)

    start = move_form(page, "begin_identification")
    start.get_by_label("How will the partner be found?").select_option("existing_partner")
    press(page, "Start identifying a partner", start)
    assert stage_of(page) == "Stage: Identifying a partner"
    check(page, f"{slug}: identifying a partner")

    award = move_form(page, "award")
    award.get_by_label("Partner organisation").select_option(label=partner)
    award.get_by_label("Reason").fill("The needs analysis named this gap; they fill it.")
    if declaration:
        press(page, "Award to a partner", award)
        field = page.get_by_label("Conflict of interest declaration").first
        assert field.get_attribute("aria-invalid") == "true"
        assert "record its conflict of interest declaration" in (
            page.locator(".field-error").first.inner_text()
        )
        award = move_form(page, "award")
        assert award.get_by_label("Reason").input_value() == (
            "The needs analysis named this gap; they fill it."
        ), "what was typed is kept"
        check(page, f"{slug}: the award refused until the declaration")
        award.get_by_label("Conflict of interest declaration").fill(declaration)
    press(page, "Award to a partner", award)

    assert stage_of(page) == "Stage: Drafting the agreement"
    check(page, f"{slug}: awarded")
    commission.refresh_from_db()
    assert (commission.status, commission.partner.name) == (Stage.DRAFT, partner)
    assert commission.conflict_declaration == declaration


@pytest.mark.parametrize("slug", sorted(OPEN_CALL))
def test_an_open_call_is_published_and_a_scored_call_awarded(page, live_server, slug):
    login, winner, other, open_call_only = OPEN_CALL[slug]
    sign_in_as(page, live_server, login)
    need = open_the_need(page, live_server, slug)

    if open_call_only:
        start = move_form(page, "begin_identification")
        start.get_by_label("How will the partner be found?").select_option("existing_partner")
        press(page, "Start identifying a partner", start)
        route = page.locator("#id_begin_identification_route")
        assert route.get_attribute("aria-invalid") == "true"
        assert "puts every partnership through an open call" in (
            page.locator(".field-error").first.inner_text()
        )
        check(page, f"{slug}: any route but an open call refused")

    # The need goes to an open call, published with the hub's criteria.
    start = move_form(page, "begin_identification")
    start.get_by_label("How will the partner be found?").select_option("open_call")
    start.get_by_label("Reason").fill("The needs analysis found a gap no partner fills.")
    press(page, "Start identifying a partner", start)
    assert stage_of(page) == "Stage: Identifying a partner"
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="Publish a call for proposals").click()
    check(page, f"{slug}: publishing a call")
    now = timezone.localtime()
    page.get_by_label("Title").fill("Inclusive ensembles: call for expressions of interest")
    page.get_by_label("Summary").fill("Weekly inclusive ensembles for young people with SEND.")
    page.get_by_label("Opens").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes").fill((now + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M"))
    press(page, "Publish the call")
    assert "Call published" in page.locator(".messages").inner_text()
    check(page, f"{slug}: the published call")
    assert Call.objects.filter(commission=need).exists()

    # The demo's call that has closed and been scored: the award.
    scored = Call.objects.get(hub__slug=slug, commission__title=demo_title(slug, "call scoring"))
    visit(page, f"{live_server}/h/{slug}/calls/{scored.pk}/results/")
    check(page, f"{slug}: the results of a scored call")
    page.get_by_label(f"Feedback for {other}").fill("A good plan; the other reached more schools.")
    page.get_by_label(re.compile(f"{re.escape(winner)}: ")).check()
    page.get_by_label("Reason for the award").fill("Highest score from the panel.")
    press(page, "Award the commission")
    assert f"Awarded to {winner}" in page.locator(".messages").inner_text()
    check(page, f"{slug}: the results after the award")

    commission = scored.commission
    commission.refresh_from_db()
    assert (commission.status, commission.partner.name) == (Stage.DRAFT, winner)
    statuses = dict(scored.proposals.values_list("partner__name", "status"))
    assert statuses == {winner: ProposalStatus.SUCCESSFUL, other: ProposalStatus.UNSUCCESSFUL}
