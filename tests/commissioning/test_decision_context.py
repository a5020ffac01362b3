"""The decision context panel (issue 15, item 5): whoever decides an award,
an agreement or a renewal sees the year's Hub grant against its allocation
and what approving would do to it, the call's scores, the match funding
against the policy, the board's comments and the risks; never another
hub's figures, never for a partner, and at a fixed cost in queries."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import services as ag
from agreements.models import Agreement
from commissioning.models import CallCriterion, Commission, Score
from hubs.access import HubAccess, hub_access
from oversight.dashboard import academic_year
from oversight.decision_context import decision_context
from oversight.models import HubAllocation
from tests.auth_helpers import sign_in
from tests.factories import PartnerFactory, ProposalFactory

pytestmark = pytest.mark.django_db

YEAR = "2025/26"
PANEL = "Before you decide"


def page(client, c) -> str:
    answer = client.get(reverse("commissioning:detail", args=[c.hub.slug, c.reference]))
    assert answer.status_code == 200
    return answer.content.decode()


def agreement_page(client, c) -> str:
    url = reverse("agreements:detail", args=[c.hub.slug, c.reference, 1])
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def opened(flow, *steps) -> Commission:
    c = flow._open("Inclusive ensembles")
    for step in steps:
        getattr(flow, step)(c)
    c.refresh_from_db()
    return c


def access_of(user, hub) -> HubAccess:
    request = RequestFactory().get("/")
    request.user = user
    return hub_access(request, hub.slug)


@pytest.fixture
def kent(build, pipeline):
    """Kent with two awards of 2025/26 (£5,000 and £10,000), the first awaiting
    approval; the allocation was recorded at £520,000 and revised to £12,000."""
    cast = build("kent")
    HubAllocation.objects.create(hub=cast.hub, year=YEAR, amount=Decimal(520000))
    flow = pipeline(cast)
    deciding = opened(flow, "identify", "award", "to_approval")
    other = opened(flow, "identify", "award")
    assert (deciding.hub_grant_amount, other.hub_grant_amount) == (5000, 10000)
    return cast, deciding


def test_kent_s_approver_is_told_in_words_that_approving_passes_the_allocation(client, kent):
    cast, c = kent
    HubAllocation.objects.filter(hub=cast.hub).update(amount=Decimal(12000))
    sign_in(client, cast.approver)
    text = html.unescape(page(client, c))
    assert PANEL in text
    assert cast.hub.name.startswith("Kent")
    assert (
        f"Over the allocation: approving this takes {cast.hub.name}'s commitments for 2025/26 "
        "to £15,000, £3,000 past the £12,000 allocated."
    ) in text
    assert "<dt>Committed to other awards</dt><dd>£10,000.00</dd>" in text
    assert "£5,000.00 (41.7% of the allocation)" in text
    assert "£15,000.00 (over the allocation by £3,000.00)" in text
    # The agreement's own decision page says the same.
    assert "£3,000 past the £12,000 allocated." in agreement_page(client, c)


def test_within_the_allocation_there_is_no_warning(client, kent):
    cast, c = kent
    sign_in(client, cast.approver)
    text = page(client, c)
    assert "£15,000.00 (within the allocation)" in text
    assert 'data-warning="allocation"' not in text
    assert "<dt>Allocated for 2025/26</dt><dd>£520,000.00</dd>" in text
    assert "No call for proposals: the partner was chosen directly" in text
    assert "No risks recorded." in text


def test_no_allocation_recorded_is_said_in_words(client, build, pipeline):
    cast = build("herts")
    c = opened(pipeline(cast), "identify", "award", "_to_board")
    sign_in(client, cast.approver)
    assert "No Hub grant allocation is recorded for 2025/26" in page(client, c)


def test_another_hub_s_awards_and_allocation_never_count(client, build, pipeline, kent):
    cast, c = kent
    herts = build("herts")
    HubAllocation.objects.create(hub=herts.hub, year=YEAR, amount=Decimal(1))
    flow = pipeline(herts)
    for _ in range(3):
        opened(flow, "identify", "award")
    budget = decision_context(c, access_of(cast.approver, cast.hub)).budget
    assert (budget.allocated, budget.committed_elsewhere, budget.grant) == (520000, 10000, 5000)
    sign_in(client, cast.approver)
    assert "£1.00" not in page(client, c)


def test_a_partner_and_a_stage_nobody_decides_show_no_panel(client, kent):
    cast, c = kent
    assert decision_context(c, access_of(cast.contacts[c.partner_id], cast.hub)) is None
    Commission.objects.filter(pk=c.pk).update(status="draft")
    c.refresh_from_db()
    assert decision_context(c, access_of(cast.approver, cast.hub)) is None


# ── Leicestershire: a call's scores, and the match funding against the 50% ──


def scored(cast, c, totals: dict) -> None:
    """Each proposal scored by one panel member, the same score on every
    criterion (so its weighted total is that score over the scale's top)."""
    criteria = list(CallCriterion.objects.filter(call=c.call))
    scorer = cast.board[0] if cast.board else cast.officer
    for proposal, value in totals.items():
        for cc in criteria:
            Score.objects.create(
                proposal=proposal, scorer=scorer, criterion=cc.criterion, score=value, comment="."
            )


@pytest.fixture
def leics(build, pipeline):
    cast = build("leics")
    HubAllocation.objects.create(hub=cast.hub, year=YEAR, amount=Decimal(300000))
    c = opened(pipeline(cast), "identify", "award", "to_approval")
    chosen = c.awarded_proposal
    rival = c.proposals.exclude(pk=chosen.pk).get()
    return cast, c, chosen, rival


def test_the_chosen_proposal_s_score_rank_and_the_spread(client, leics):
    cast, c, chosen, rival = leics
    scored(cast, c, {chosen: 3, rival: 4})
    top = decision_context(c, access_of(cast.approver, cast.hub)).scores
    assert (top.rank, top.scored) == (2, 2)
    assert top.total < top.highest and top.lowest == top.total
    sign_in(client, cast.approver)
    text = page(client, c)
    assert f"{top.total}, ranked 2 of 2 scored" in text
    assert f"{top.lowest} (lowest) to {top.highest} (highest)" in text


def test_leicestershire_s_match_funding_against_its_50_percent(client, leics):
    cast, c, *_ = leics
    sign_in(client, cast.approver)
    text = page(client, c)
    assert "£12,000.00, 60.0% of the cost" in text
    assert "<dt>Policy minimum</dt><dd>50% of the cost: met</dd>" in text


def test_without_a_minimum_the_policy_line_is_not_shown(client, kent):
    cast, c = kent
    sign_in(client, cast.approver)
    assert "Policy minimum" not in page(client, c)


def _panel_queries(c, access, agreement=None) -> int:
    """What the panel costs a page, given the commission as the page reads
    it (commissioning.selectors.commission_for) and the policy's routes read."""
    fresh = Commission.objects.select_related(
        "hub", "policy", "service_category", "awarded_proposal", "call"
    ).get(pk=c.pk)
    if agreement is not None:
        agreement.commission = fresh  # as agreements.selectors.agreement_for does
    with CaptureQueriesContext(connection) as ctx:
        assert decision_context(fresh, access, agreement) is not None
    return len(ctx)


def test_the_panel_and_the_page_cost_the_same_for_2_or_20_proposals(client, leics):
    cast, c, chosen, rival = leics
    scored(cast, c, {chosen: 4, rival: 3})
    access = access_of(cast.approver, cast.hub)
    sign_in(client, cast.approver)
    url = reverse("commissioning:detail", args=[cast.hub.slug, c.reference])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    panel_few = _panel_queries(c, access)
    more = {}
    for i in range(18):
        partner = PartnerFactory(hub=cast.hub, name=f"Partner {i:02d}")
        more[ProposalFactory(commission=c, call=c.call, partner=partner)] = 1 + i % 5
    scored(cast, c, more)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert _panel_queries(c, access) == panel_few
    # two for the budget, one for the comments, five for the call's results
    assert panel_few == 8
    top = decision_context(c, access).scores
    assert top.scored == 20 and top.rank is not None


# ── Hertfordshire: the board's comments and the officer's responses ─────────


def test_hertfordshire_s_board_comments_and_responses_are_in_front_of_the_approver(
    client, build, pipeline
):
    cast = build("herts")
    c = opened(pipeline(cast), "identify", "award", "_to_board")
    agreement = Agreement.objects.get(commission=c, period_number=1)
    first = ag.board_comment_add(
        agreement=agreement, user=cast.board[0], body="Is the reach in Stevenage enough?"
    )
    ag.board_comment_add(agreement=agreement, user=cast.board[1], body="Content with this.")
    ag.board_comment_respond(
        comment=first, user=cast.officer, response="Two more schools join in spring."
    )
    sign_in(client, cast.approver)
    text = page(client, c)
    assert "Is the reach in Stevenage enough?" in text
    assert "Two more schools join in spring." in text
    assert "Content with this.<br>No response yet." in text
    # The agreement page lists them in full already: the panel counts them.
    assert "2 comments, 1 answered by the officer" in agreement_page(client, c)


def test_the_agreement_page_s_budget_for_comments_rises_by_the_panel_s_cost(
    client, build, pipeline
):
    cast = build("herts")
    c = opened(pipeline(cast), "identify", "award", "_to_board")
    access = access_of(cast.approver, cast.hub)
    agreement = Agreement.objects.get(commission=c, period_number=1)
    assert _panel_queries(c, access, agreement) == 3, "two for the budget, one for the comments"


# ── a renewal, and a decommissioning with the board ──────────────────────────


def test_a_renewal_counts_against_the_year_it_starts_in(client, build, pipeline):
    cast = build("leics")
    c = opened(pipeline(cast), "identify", "award", "to_approval", "approve", "sign")
    renewal = ag.agreement_renew(
        agreement=Agreement.objects.get(commission=c, period_number=1), user=cast.officer
    )
    ag.agreement_submit_for_approval(agreement=renewal, user=cast.officer)
    renewal.refresh_from_db()
    year = academic_year(renewal.starts_on)
    assert year != YEAR, "the next period is next year's money"
    HubAllocation.objects.create(hub=cast.hub, year=year, amount=Decimal(4000))
    sign_in(client, cast.approver)
    url = reverse("agreements:detail", args=[cast.hub.slug, c.reference, 2])
    text = html.unescape(client.get(url).content.decode())
    assert "Before you decide on the renewal" in text
    assert f"<dt>Allocated for {year}</dt><dd>£4,000.00</dd>" in text
    assert "<dt>This renewal's Hub grant</dt><dd>£8,000.00 (200.0% of the allocation)" in text
    assert f"commitments for {year} to £8,000, £4,000 past the £4,000 allocated." in text


def test_the_decider_of_a_decommissioning_reads_the_board_s_comments(client, build, pipeline):
    from monitoring import services as ms

    cast = build("herts")
    c = opened(pipeline(cast), "identify", "award", "to_approval", "approve", "sign")
    review = ms.review_open(
        commission=c, user=cast.officer, trigger="targets", findings="Enrolment is 45 of 120."
    )
    review = ms.review_recommend(
        review=review, user=cast.officer, grounds="unmet_objectives", reason="Targets missed."
    )
    ms.review_move(review=review, user=cast.officer, action="send_decommission_to_board")
    ms.review_comment_add(review=review, user=cast.board[0], body="Give them one more term.")
    c.refresh_from_db()
    sign_in(client, cast.approver)
    text = html.unescape(page(client, c))
    assert "Before you decide on decommissioning" in text
    assert "Give them one more term.<br>No response yet." in text
    assert "Committed if approved" not in text, "decommissioning commits nothing"
    assert "Scores" not in text
