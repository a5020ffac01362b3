"""A Leicestershire officer scores a closed call and awards it in the
browser: seats themself on the panel, declares no conflict on one proposal
and a conflict on the other (and is recused from it), scores, sees the
totals, moderates (after a missing rationale is refused beside its field),
and awards (after the policy refuses a proposal with 35% match funding,
keeping the feedback typed). Every page visited passes axe-core and its
Content-Security-Policy. This module changes its demo, so it has its own."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from commissioning.models import Commission, ProposalStatus
from commissioning.workflow import Stage
from demo.management.commands.load_demo import Pipeline, build_hub
from tests.browser.axe import assert_accessible
from tests.browser.helpers import assert_no_csp_violations, visit
from tests.browser.test_roles import sign_in_as
from tests.commissioning.scoring.test_services import open_call, submit
from tests.conftest import SPECS

pytestmark = pytest.mark.usefixtures("demo")

JAZZ, BHANGRA = "Leicester Jazz Futures", "Bhangra Beats Leicester"


@pytest.fixture
def leics_call():
    """A closed call of Leicestershire's, with a proposal from each of two
    partners: Leicester Jazz Futures (60% match funding), Bhangra Beats
    Leicester (35%, below the policy's 50%: refused if submitted today, so it
    stands for one that went in before the rule applied)."""
    cast = build_hub(SPECS["leics"])
    call = open_call(cast, Pipeline, title="Jazz and bhangra for schools")
    jazz = submit(call, cast.partners["leicjazz"], match="0.6")
    bhangra = submit(call, cast.partners["bhangra"], match="0.35", checked=False)
    # Leicestershire's council rules (the demo's) want the route recorded
    # before an award: the open call, as an open tender.
    from procurement import services as procurement
    from procurement.models import CommissionKind, ProcurementRoute

    procurement.procurement_record(
        commission=call.commission,
        user=cast.officer,
        kind=CommissionKind.GRANT,
        route_taken=ProcurementRoute.OPEN_TENDER,
        evidence="Open call for expressions of interest on the Hub's website.",
        procurement_reference="LCC-CPR-JAZZ",
        started_on=timezone.localdate() - timedelta(days=30),
    )
    return call, jazz, bhangra


def check(page, context: str) -> None:
    assert_no_csp_violations(page)
    assert_accessible(page, context=context)


def press(page, button: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button).click()


def follow(page, link: str) -> None:
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name=link, exact=True).click()


def totals_row(page, partner: str):
    return page.get_by_role("region", name="Totals").get_by_role("row").filter(has_text=partner)


def test_an_officer_scores_moderates_and_awards_a_call(page, live_server, leics_call):
    call, jazz, bhangra = leics_call
    sign_in_as(page, live_server, "officer@leics.demo")
    visit(page, f"{live_server}/h/leics/calls/{call.pk}/scoring/")
    assert page.locator("h1").inner_text() == f"Scoring: {call.title}"
    check(page, "the scoring overview, panel empty")

    follow(page, "Panel")
    page.get_by_label("Add to the panel").select_option(label="Olivia Officer (officer@leics.demo)")
    press(page, "Add to the panel")
    assert "Olivia Officer is on the panel." in page.locator(".messages").inner_text()
    check(page, "the panel")

    # A conflict with one partner: recused from its proposal.
    follow(page, "Scoring overview")
    follow(page, f"Declare your interests for {BHANGRA}")
    assert page.locator("h1").inner_text() == f"Declare your interests: {BHANGRA}"
    check(page, "the declaration form")
    page.get_by_label("Yes, I have a conflict").check()
    page.get_by_label("What is the conflict?").fill("My brother teaches for Bhangra Beats.")
    press(page, "Record my declaration")
    assert "you are recused" in page.locator(".messages").inner_text()
    yours = page.get_by_role("region", name="Your scoring")
    assert (
        "Conflict declared: you are recused"
        in yours.get_by_role("row").filter(has_text=BHANGRA).inner_text()
    )
    assert f"{BHANGRA}" in page.get_by_role("region", name="Declarations of interest").inner_text()
    check(page, "the overview with a recusal")

    # No conflict with the other: on to its scoring form.
    follow(page, f"Declare your interests for {JAZZ}")
    page.get_by_label("No, I have no conflict of interest").check()
    press(page, "Record my declaration")
    assert page.locator("h1").inner_text() == f"Score: {JAZZ}"
    check(page, "the scoring form")
    for criterion, score in (
        ("Inclusion and quality principles", "4"),
        ("Evaluation and impact", "4"),
        ("Value for money", "5"),
    ):
        page.get_by_label(f"Score for {criterion}").select_option(score)
        page.get_by_label(f"Comment on {criterion}").fill(f"Evidence for {criterion.lower()}.")
    press(page, "Save my scores")

    # (4 x 35 + 4 x 35 + 5 x 30) / 5 = 86
    assert (
        "Your scores for Leicester Jazz Futures are saved."
        in page.locator(".messages").inner_text()
    )
    cells = totals_row(page, JAZZ).get_by_role("cell").all_inner_texts()
    assert cells[:4] == ["1", "86.0", "0.0", "86.0"]
    check(page, "the overview with totals")

    # Moderation: an agreed score needs its rationale.
    follow(page, f"Moderate {JAZZ}")
    check(page, "the moderation page")
    page.get_by_label("Agreed score for Value for money").select_option("4")
    press(page, "Save the agreed scores")
    rationale = page.get_by_label("Rationale for Value for money")
    assert rationale.get_attribute("aria-invalid") == "true"
    assert "Give the rationale" in page.get_by_role("alert").inner_text()
    check(page, "a moderation refused beside its field")
    rationale.fill("The budget's venue costs are high for the reach; agreed at 4.")
    press(page, "Save the agreed scores")
    # (4 x 35 + 4 x 35 + 4 x 30) / 5 = 80
    assert "80.0 out of 100" in page.locator("dl.summary").inner_text()
    check(page, "the moderation saved")

    # The award: the policy refuses 35% match funding, keeping what was typed.
    follow(page, "Results and award")
    check(page, "the results page")
    feedback = f"Feedback for {BHANGRA}"
    page.get_by_label(feedback).fill("Lively plan; the match funding fell short of 50%.")
    page.get_by_label(f"Feedback for {JAZZ}").fill("A clear evaluation plan.")
    page.get_by_label(re.compile(f"{BHANGRA}: ")).check()
    press(page, "Award the commission")
    choice = page.locator("fieldset").filter(has_text="Which proposal wins the award?")
    assert "this proposal has 35%" in choice.inner_text()
    assert page.get_by_label(feedback).input_value() == (
        "Lively plan; the match funding fell short of 50%."
    ), "what was typed is kept"
    check(page, "an award refused by the policy")

    page.get_by_label(re.compile(f"{JAZZ}: ")).check()
    page.get_by_label("Reason for the award").fill("Highest moderated score; meets 50% match.")
    press(page, "Award the commission")
    assert f"Awarded to {JAZZ}" in page.locator(".messages").inner_text()
    assert "Feedback sent" in page.locator("main").inner_text()
    check(page, "the results after the award")

    follow(page, f"Commission {call.commission.reference}")
    assert page.locator(".stage-badge").inner_text() == "Stage: Drafting the agreement"
    check(page, "the commission after the award")

    commission = Commission.objects.get(pk=call.commission_id)
    assert (commission.status, commission.partner_id) == (Stage.DRAFT, jazz.partner_id)
    bhangra.refresh_from_db()
    assert bhangra.status == ProposalStatus.UNSUCCESSFUL
    assert bhangra.feedback == "Lively plan; the match funding fell short of 50%."
